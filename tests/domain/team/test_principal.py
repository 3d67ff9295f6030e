"""Principal rules: the global role decides for things no team owns, the team role for a
team's things, and a global admin may do everything."""

from __future__ import annotations

import pytest

from domain.auth import Action, Principal, PrincipalKind, Role, TeamRole
from domain.errors import ForbiddenError


def user(role: Role, **teams: TeamRole) -> Principal:
    return Principal(PrincipalKind.USER, "u1", "ann", role=role, team_roles=tuple(teams.items()))


@pytest.mark.parametrize(
    ("team_role", "allowed"),
    [
        (TeamRole.VIEWER, {Action.READ}),
        (TeamRole.RESPONDER, {Action.READ, Action.INGEST, Action.RESPOND}),
        (TeamRole.MANAGER, set(Action)),
    ],
)
def test_the_team_role_decides_for_the_teams_things(
    team_role: TeamRole, allowed: set[Action]
) -> None:
    member = user(Role.VIEWER, payments=team_role)
    assert {action for action in Action if member.can(action, "payments")} == allowed


def test_a_global_responder_may_not_act_on_a_team_it_is_not_in() -> None:
    responder = user(Role.RESPONDER, search=TeamRole.MANAGER)
    assert responder.can(Action.RESPOND)
    assert not responder.can(Action.READ, "payments")
    with pytest.raises(ForbiddenError) as raised:
        responder.require(Action.RESPOND, "payments")
    assert "not a member of team 'payments'" in raised.value.message
    assert raised.value.suggestion is not None


def test_a_team_role_that_does_not_allow_it_is_named() -> None:
    viewer = user(Role.RESPONDER, payments=TeamRole.VIEWER)
    with pytest.raises(ForbiddenError) as raised:
        viewer.require(Action.RESPOND, "payments")
    assert "Role 'viewer'" in raised.value.message
    assert "team 'payments'" in raised.value.message


def test_things_no_team_owns_follow_the_global_role() -> None:
    member = user(Role.VIEWER, payments=TeamRole.MANAGER)
    assert member.can(Action.READ, None)
    assert not member.can(Action.RESPOND, None)
    with pytest.raises(ForbiddenError):
        member.require(Action.RESPOND)


def test_a_global_admin_may_do_everything_in_every_team() -> None:
    admin = user(Role.ADMIN)
    assert all(admin.can(action, "payments") for action in Action)
    assert admin.visible_teams is None


def test_visible_teams_are_the_users_teams() -> None:
    member = user(Role.RESPONDER, payments=TeamRole.VIEWER, search=TeamRole.MANAGER)
    assert member.visible_teams == frozenset({"payments", "search"})


def test_integration_keys_only_ingest_whatever_the_team() -> None:
    key = Principal(PrincipalKind.INTEGRATION_KEY, "k1", "prom", service_id="s1")
    assert key.can(Action.INGEST, "payments")
    assert not key.can(Action.READ, "payments")
    with pytest.raises(ForbiddenError):
        key.require(Action.READ, "payments")
