"""Teams, their members, and what a team owns."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.schema.access import context_of
from api.schema.enums import TeamRole
from api.schema.service import Service
from api.schema.user import User
from domain.team import model


@strawberry.type(description="A user's role in one team.")
class TeamMember:
    team_slug: strawberry.ID
    user_id: strawberry.ID
    role: TeamRole

    @strawberry.field
    async def user(self, info: strawberry.Info) -> User:
        context = context_of(info)
        return User.from_domain(await context.container.users.get(context.principal, self.user_id))

    @classmethod
    def from_domain(cls, membership: model.Membership) -> TeamMember:
        return cls(
            team_slug=strawberry.ID(membership.team),
            user_id=strawberry.ID(membership.user_id),
            role=membership.role,
        )


@strawberry.type(
    description="People who own services, schedules and escalation policies together. "
    "Their roles in the team decide what they may do with what the team owns."
)
class Team:
    slug: strawberry.ID = strawberry.field(description="The team's identity; it never changes.")
    name: str
    description: str
    created_at: datetime

    @strawberry.field
    async def members(self, info: strawberry.Info) -> list[TeamMember]:
        context = context_of(info)
        found = await context.container.teams.members(context.principal, self.slug)
        return [TeamMember.from_domain(m) for m in found]

    @strawberry.field(description="The team's services that you may read.")
    async def services(self, info: strawberry.Info) -> list[Service]:
        context = context_of(info)
        found = await context.container.services.all(context.principal)
        return [Service.from_domain(s) for s in found if s.team == self.slug]

    @classmethod
    def from_domain(cls, team: model.Team) -> Team:
        return cls(
            slug=strawberry.ID(team.slug),
            name=team.name,
            description=team.description,
            created_at=team.created_at,
        )


@strawberry.input
class CreateTeamInput:
    slug: str = strawberry.field(description="Lower-case letters, digits and dashes; permanent.")
    name: str
    description: str = ""

    def to_draft(self) -> model.TeamDraft:
        return model.TeamDraft(slug=self.slug, name=self.name, description=self.description)


@strawberry.input(description="Fields left out stay as they are.")
class UpdateTeamInput:
    name: str | None = None
    description: str | None = None

    def to_domain(self) -> model.TeamChanges:
        return model.TeamChanges(name=self.name, description=self.description)


@strawberry.type
class TeamQuery:
    @strawberry.field(description="Every team.")
    async def teams(self, info: strawberry.Info) -> list[Team]:
        context = context_of(info)
        return [Team.from_domain(t) for t in await context.container.teams.all(context.principal)]

    @strawberry.field
    async def team(self, info: strawberry.Info, slug: strawberry.ID) -> Team:
        context = context_of(info)
        return Team.from_domain(await context.container.teams.get(context.principal, slug))

    @strawberry.field(description="The teams you belong to, with your role in each.")
    async def my_teams(self, info: strawberry.Info) -> list[TeamMember]:
        context = context_of(info)
        principal = context.principal
        found = await context.container.teams.memberships_of(principal, principal.id)
        return [TeamMember.from_domain(m) for m in found]


@strawberry.type
class TeamMutation:
    @strawberry.mutation(description="Admins only.")
    async def create_team(self, info: strawberry.Info, input: CreateTeamInput) -> Team:
        context = context_of(info)
        created = await context.container.teams.create(context.principal, input.to_draft())
        return Team.from_domain(created)

    @strawberry.mutation(description="The team's managers or an admin.")
    async def update_team(
        self, info: strawberry.Info, slug: strawberry.ID, input: UpdateTeamInput
    ) -> Team:
        context = context_of(info)
        updated = await context.container.teams.update(context.principal, slug, input.to_domain())
        return Team.from_domain(updated)

    @strawberry.mutation(description="Admins only; the team must own nothing any more.")
    async def delete_team(self, info: strawberry.Info, slug: strawberry.ID) -> Team:
        context = context_of(info)
        return Team.from_domain(await context.container.teams.delete(context.principal, slug))

    @strawberry.mutation(
        description="Add a user to a team or change their role in it (the team's managers "
        "or an admin). It applies to the user's requests within 2 s, and to their live "
        "subscriptions within 1 s."
    )
    async def set_team_member(
        self, info: strawberry.Info, slug: strawberry.ID, user_id: strawberry.ID, role: TeamRole
    ) -> TeamMember:
        context = context_of(info)
        membership = await context.container.teams.set_member(
            context.principal, slug, user_id, role
        )
        return TeamMember.from_domain(membership)

    @strawberry.mutation(description="The team's managers or an admin.")
    async def remove_team_member(
        self, info: strawberry.Info, slug: strawberry.ID, user_id: strawberry.ID
    ) -> TeamMember:
        context = context_of(info)
        removed = await context.container.teams.remove_member(context.principal, slug, user_id)
        return TeamMember.from_domain(removed)
