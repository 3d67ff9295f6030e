"""Escalation policies validate themselves; the step arithmetic is PagerDuty's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.errors import ValidationError
from domain.escalation.model import (
    MAX_REPEATS,
    MAX_STEPS,
    Plan,
    PolicyDraft,
    Position,
    Step,
    Target,
    TargetKind,
)

ANN = Target(TargetKind.USER, "ann")
ON_CALL = Target(TargetKind.SCHEDULE, "primary")
T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def step(minutes: float = 10, *targets: Target) -> Step:
    return Step(targets=targets or (ANN,), escalate_after=timedelta(minutes=minutes))


def walk(plan: Plan) -> list[Position]:
    """Every position a run passes through, in order."""
    positions = [Position(1, 1)]
    while (following := plan.after(positions[-1])) is not None:
        positions.append(following)
    return positions


def test_steps_run_in_order_and_the_policy_repeats() -> None:
    plan = Plan(steps=(step(), step(), step()), repeats=2)
    assert walk(plan) == [Position(c, s) for c in (1, 2, 3) for s in (1, 2, 3)]


def test_without_repeats_the_run_ends_after_the_last_step() -> None:
    assert walk(Plan(steps=(step(), step()))) == [Position(1, 1), Position(1, 2)]
    assert Plan(steps=(step(),)).after(Position(1, 1)) is None


def test_step_one_at_zero_and_step_two_after_its_delay() -> None:
    """'Step 1 after 0 minutes, step 2 after N minutes': step 1's escalate_after is N."""
    plan = Plan(steps=(step(15, ON_CALL), step(30)))
    second = plan.next_due(Position(1, 1), T0, T0, paged_anyone=True)
    assert second == T0 + timedelta(minutes=15)
    assert plan.next_due(Position(1, 2), second, second, paged_anyone=True) == second + timedelta(
        minutes=30
    )


def test_a_step_that_paged_nobody_is_skipped_at_once() -> None:
    plan = Plan(steps=(step(15, ON_CALL), step(30)))
    assert plan.next_due(Position(1, 1), T0, T0, paged_anyone=False) == T0


def test_a_late_step_still_gives_its_people_their_whole_time() -> None:
    """Fired 5 minutes late (a restart): the next step waits from when it really fired."""
    plan = Plan(steps=(step(15), step()))
    late = T0 + timedelta(minutes=5)
    assert plan.next_due(Position(1, 1), T0, late, paged_anyone=True) == late + timedelta(
        minutes=15
    )


def test_fractional_minutes_are_allowed_down_to_a_second() -> None:
    assert step(0.05).escalate_after == timedelta(seconds=3)
    with pytest.raises(ValidationError) as caught:
        step(0.001)
    assert caught.value.field == "escalateAfterMinutes"
    with pytest.raises(ValidationError):
        step(7 * 24 * 60 + 1)


def test_a_step_needs_targets_and_names_each_once() -> None:
    with pytest.raises(ValidationError) as caught:
        Step(targets=(), escalate_after=timedelta(minutes=5))
    assert caught.value.field == "targets"
    assert caught.value.suggestion
    assert step(5, ANN, ON_CALL, ANN).targets == (ANN, ON_CALL)


def test_a_plan_needs_steps_and_bounded_repeats() -> None:
    with pytest.raises(ValidationError) as caught:
        Plan(steps=())
    assert caught.value.field == "steps"
    with pytest.raises(ValidationError):
        Plan(steps=tuple(step() for _ in range(MAX_STEPS + 1)))
    for repeats in (-1, MAX_REPEATS + 1):
        with pytest.raises(ValidationError) as caught:
            Plan(steps=(step(),), repeats=repeats)
        assert caught.value.field == "repeats"


def test_a_target_kind_must_be_known() -> None:
    with pytest.raises(ValueError):
        Target("team", "x")  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as caught:
        Target(TargetKind.USER, " ")
    assert caught.value.field == "id"


def test_a_policy_needs_a_name_and_round_trips_through_its_document() -> None:
    with pytest.raises(ValidationError) as caught:
        PolicyDraft(name="  ", plan=Plan(steps=(step(),)))
    assert caught.value.field == "name"
    plan = Plan(steps=(step(0.5, ON_CALL), step(30, ANN)), repeats=1)
    assert Plan.from_document(plan.to_document()) == plan
