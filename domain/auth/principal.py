"""Principals (users and integration keys) and the actions their roles allow.

Checks happen where the store is reached: every service method takes the
principal and calls :meth:`Principal.require` before touching a repository.

A user has one global role and a role in each team they belong to. Things a team owns
(services and what hangs off them, schedules, escalation policies) are governed by the
team role; things no team owns, by the global role. A global admin may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.errors import ForbiddenError


class Role(StrEnum):
    VIEWER = "viewer"
    RESPONDER = "responder"
    ADMIN = "admin"


class TeamRole(StrEnum):
    VIEWER = "viewer"
    RESPONDER = "responder"
    MANAGER = "manager"
    """Responds and configures what the team owns, and manages its members."""


class PrincipalKind(StrEnum):
    USER = "user"
    INTEGRATION_KEY = "integration_key"
    SYSTEM = "system"
    """Vigil acting by itself (heartbeat checks, timeouts): it may only ingest."""


class Action(StrEnum):
    READ = "read"
    INGEST = "ingest"
    RESPOND = "respond"
    """Acknowledge, resolve, add notes."""
    CONFIGURE = "configure"
    """Services, integration keys, users and tokens."""


_ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.READ}),
    Role.RESPONDER: frozenset({Action.READ, Action.INGEST, Action.RESPOND}),
    Role.ADMIN: frozenset(Action),
}

_TEAM_ROLE_ACTIONS: dict[TeamRole, frozenset[Action]] = {
    TeamRole.VIEWER: frozenset({Action.READ}),
    TeamRole.RESPONDER: frozenset({Action.READ, Action.INGEST, Action.RESPOND}),
    TeamRole.MANAGER: frozenset(Action),
}


@dataclass(frozen=True, slots=True)
class Principal:
    kind: PrincipalKind
    id: str
    name: str
    role: Role | None = None
    """Set for users; integration keys have no role."""
    service_id: str | None = None
    """For an integration key bound to one service."""
    team_roles: tuple[tuple[str, TeamRole], ...] = ()
    """(team slug, role) for each team the user belongs to, as loaded when authenticated."""

    @property
    def is_admin(self) -> bool:
        return self.kind is PrincipalKind.USER and self.role is Role.ADMIN

    def role_in(self, team: str) -> TeamRole | None:
        return next((role for slug, role in self.team_roles if slug == team), None)

    @property
    def visible_teams(self) -> frozenset[str] | None:
        """The teams whose things this principal may read; None means every team."""
        if self.is_admin or self.kind is not PrincipalKind.USER:
            return None
        return frozenset(slug for slug, _ in self.team_roles)

    def can(self, action: Action, team: str | None = None) -> bool:
        """May this principal do `action` on something `team` owns (None: owned by no team)?"""
        if self.kind in (PrincipalKind.INTEGRATION_KEY, PrincipalKind.SYSTEM):
            return action is Action.INGEST
        if self.role is None:
            return False
        if team is None or self.role is Role.ADMIN:
            return action in _ROLE_ACTIONS[self.role]
        team_role = self.role_in(team)
        return team_role is not None and action in _TEAM_ROLE_ACTIONS[team_role]

    def require(self, action: Action, team: str | None = None) -> None:
        if self.can(action, team):
            return
        if self.kind is not PrincipalKind.USER:
            raise ForbiddenError(
                f"Integration key '{self.name}' can only ingest alerts, not {action.value}.",
                suggestion="Use a user API token for anything but ingesting alerts.",
            )
        if team is None:
            raise ForbiddenError(
                f"Role '{self.role}' of user '{self.name}' does not allow {action.value}.",
            )
        team_role = self.role_in(team)
        if team_role is None:
            raise ForbiddenError(
                f"User '{self.name}' is not a member of team '{team}', which owns this.",
                suggestion=f"Ask a manager of team '{team}' or an admin to add you to it.",
            )
        raise ForbiddenError(
            f"Role '{team_role}' of user '{self.name}' in team '{team}' does not allow "
            f"{action.value}.",
            suggestion=f"Ask a manager of team '{team}' for a role that allows it.",
        )

    @property
    def actor(self) -> str:
        """How this principal is named on timelines."""
        return f"{self.kind.value}:{self.name}"
