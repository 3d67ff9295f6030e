"""Principals (users and integration keys) and the actions their roles allow.

Checks happen where the store is reached: every service method takes the
principal and calls :meth:`Principal.require` before touching a repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.errors import ForbiddenError


class Role(StrEnum):
    VIEWER = "viewer"
    RESPONDER = "responder"
    ADMIN = "admin"


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


@dataclass(frozen=True, slots=True)
class Principal:
    kind: PrincipalKind
    id: str
    name: str
    role: Role | None = None
    """Set for users; integration keys have no role."""
    service_id: str | None = None
    """For an integration key bound to one service."""

    def can(self, action: Action) -> bool:
        if self.kind in (PrincipalKind.INTEGRATION_KEY, PrincipalKind.SYSTEM):
            return action is Action.INGEST
        return self.role is not None and action in _ROLE_ACTIONS[self.role]

    def require(self, action: Action) -> None:
        if self.can(action):
            return
        if self.kind is not PrincipalKind.USER:
            raise ForbiddenError(
                f"Integration key '{self.name}' can only ingest alerts, not {action.value}.",
                suggestion="Use a user API token for anything but ingesting alerts.",
            )
        raise ForbiddenError(
            f"Role '{self.role}' of user '{self.name}' does not allow {action.value}.",
        )

    @property
    def actor(self) -> str:
        """How this principal is named on timelines."""
        return f"{self.kind.value}:{self.name}"
