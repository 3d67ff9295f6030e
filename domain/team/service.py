"""Use cases for teams and their members.

Admins create and delete teams; a team's managers (and admins) rename it and decide who
belongs to it in which role.
"""

from __future__ import annotations

from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.auth import Action, Principal, TeamRole
from domain.clock import Clock
from domain.errors import ConflictError, NotFoundError, ValidationError
from domain.team.model import Membership, Team, TeamChanges, TeamDraft
from domain.team.repository import TeamRepository
from domain.user.repository import UserRepository


class TeamDirectory:
    def __init__(
        self,
        *,
        repository: TeamRepository,
        users: UserRepository,
        audit: AuditTrail,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._users = users
        self._audit = audit
        self._clock = clock

    async def create(self, principal: Principal, draft: TeamDraft) -> Team:
        principal.require(Action.CONFIGURE)
        team = Team(
            slug=draft.slug,
            name=draft.name,
            description=draft.description,
            created_at=self._clock.now(),
        )
        await self._repository.insert(team)
        await self._audit.created(principal, AuditResource.TEAM, team)
        return team

    async def update(self, principal: Principal, slug: str, changes: TeamChanges) -> Team:
        principal.require(Action.CONFIGURE, slug)
        before = await self._repository.get(slug)
        after = changes.apply(before)
        await self._repository.replace(after)
        await self._audit.updated(principal, AuditResource.TEAM, before, after)
        return after

    async def delete(self, principal: Principal, slug: str) -> Team:
        principal.require(Action.CONFIGURE)
        team = await self._repository.get(slug)
        owned = await self._repository.owned_by(slug)
        if owned:
            listed = ", ".join(f"{count} {kind}" for kind, count in owned.items())
            raise ConflictError(
                f"Team '{slug}' still owns {listed}.",
                suggestion="Give them to another team (or to no team) first.",
            )
        await self._repository.delete(slug)
        await self._repository.remove_all_members(slug)
        await self._audit.deleted(principal, AuditResource.TEAM, team)
        return team

    async def set_member(
        self, principal: Principal, slug: str, user_id: str, role: TeamRole
    ) -> Membership:
        principal.require(Action.CONFIGURE, slug)
        await self._repository.get(slug)
        if await self._users.by_id(user_id) is None:
            raise NotFoundError(f"No user with id '{user_id}'.")
        membership = Membership(team=slug, user_id=user_id, role=TeamRole(role))
        before = await self._repository.put_member(membership)
        if before is None:
            await self._audit.created(principal, AuditResource.TEAM_MEMBER, membership)
        else:
            await self._audit.updated(principal, AuditResource.TEAM_MEMBER, before, membership)
        return membership

    async def remove_member(self, principal: Principal, slug: str, user_id: str) -> Membership:
        principal.require(Action.CONFIGURE, slug)
        removed = await self._repository.remove_member(slug, user_id)
        if removed is None:
            raise NotFoundError(f"User '{user_id}' is not a member of team '{slug}'.")
        await self._audit.deleted(principal, AuditResource.TEAM_MEMBER, removed)
        return removed

    async def all(self, principal: Principal) -> list[Team]:
        """Every team: names and slugs are not secret, and people look for a team to join."""
        principal.require(Action.READ)
        return await self._repository.all()

    async def get(self, principal: Principal, slug: str) -> Team:
        principal.require(Action.READ)
        return await self._repository.get(slug)

    async def members(self, principal: Principal, slug: str) -> list[Membership]:
        principal.require(Action.READ)
        return await self._repository.members(slug)

    async def memberships_of(self, principal: Principal, user_id: str) -> list[Membership]:
        principal.require(Action.READ)
        return await self._repository.memberships_of(user_id)

    async def require_configure_in(self, principal: Principal, team: str | None) -> None:
        """Creating something owned by `team` (None: by no team): CONFIGURE there, and
        the team must exist."""
        principal.require(Action.CONFIGURE, team)
        if team is not None:
            await self.require_exists(team)

    async def require_handover(
        self, principal: Principal, from_team: str | None, to_team: str | None
    ) -> None:
        """Changing something `from_team` owns, and giving it to `to_team`: CONFIGURE in
        both when they differ."""
        principal.require(Action.CONFIGURE, from_team)
        if to_team != from_team:
            await self.require_configure_in(principal, to_team)

    async def require_exists(self, slug: str, *, field: str = "team") -> None:
        """For things given an owner: the team must exist."""
        if not await self._repository.existing([slug]):
            raise ValidationError(
                f"'{field}' names no team: {slug!r}.",
                suggestion="Create the team first, or list teams to find its slug.",
                field=field,
            )
