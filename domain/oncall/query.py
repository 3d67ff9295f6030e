"""Questions about who is on call, answered from schedules.

``who_is_on_call`` looks at one instant directly (each layer from the top, then
the overrides) rather than through :func:`domain.schedule.render.render`; the
property tests hold the two to the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.errors import ValidationError
from domain.schedule.layers import layer_user_at
from domain.schedule.model import RenderedShift, Schedule
from domain.schedule.render import render
from domain.validation import require_aware

LOOK_BACK = timedelta(days=31)
"""How far back a shift under way is looked for, so it is reported from its real start."""
MAX_HORIZON = timedelta(days=366)


def who_is_on_call(schedule: Schedule, at: datetime) -> tuple[str, ...]:
    """The users on call for ``schedule`` at ``at``, in order; empty when nobody is."""
    at = require_aware(at, field="at")
    users: tuple[str, ...] = ()
    for layer in reversed(schedule.layers):
        user = layer_user_at(layer, at)
        if user is not None:
            users = (user,)
            break
    for override in schedule.overrides:
        if override.covers(at):
            users = override.apply(users)
    return users


@dataclass(frozen=True, slots=True)
class UserShift:
    schedule_id: str
    schedule_name: str
    shift: RenderedShift


def upcoming_shifts(
    schedules: Sequence[Schedule],
    user_id: str,
    now: datetime,
    horizon: timedelta = timedelta(days=28),
) -> list[UserShift]:
    """``user_id``'s shifts that have not ended by ``now`` and start within ``horizon``.

    A shift under way is reported from its start (looked for up to 31 days back).
    Sorted by start, then schedule name.
    """
    now = require_aware(now, field="now")
    if not timedelta(0) < horizon <= MAX_HORIZON:
        raise ValidationError("'horizon' must be between 0 and 366 days.", field="horizon")
    found: list[UserShift] = []
    for schedule in schedules:
        for shift in render(schedule, now - LOOK_BACK, now + horizon):
            if shift.end > now and user_id in shift.users:
                found.append(UserShift(schedule.id, schedule.name, shift))
    found.sort(key=lambda s: (s.shift.start, s.schedule_name, s.schedule_id))
    return found
