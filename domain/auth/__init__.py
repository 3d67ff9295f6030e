"""Who is calling, and what they may do."""

from domain.auth.principal import Action, Principal, PrincipalKind, Role, TeamRole

__all__ = ["Action", "Principal", "PrincipalKind", "Role", "TeamRole"]
