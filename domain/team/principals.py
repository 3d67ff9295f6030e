"""The one way a user becomes a principal: with the roles of every team they belong to."""

from __future__ import annotations

from domain.auth import Principal, PrincipalKind
from domain.team.repository import TeamRepository
from domain.user.model import User


async def user_principal(user: User, teams: TeamRepository) -> Principal:
    return Principal(
        PrincipalKind.USER,
        user.id,
        user.name,
        role=user.role,
        team_roles=await teams.roles_of(user.id),
    )
