"""Where a rotation's handoffs fall, and who holds each turn.

Handoff ``k`` is the wall time ``start + k * step`` in the rotation's zone: the
wall clock, not elapsed time, so handoffs keep their local time across DST. Two
handoffs that land on the same instant (an hourly rotation crossing a
spring-forward gap) make an empty turn, which is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from domain.schedule.model import Rotation, RotationShift, local_to_utc
from domain.validation import require_aware


def handoff_at(rotation: Rotation, index: int) -> datetime:
    """The instant (UTC) turn ``index`` begins; turn 0 is the rotation's start."""
    return local_to_utc(rotation.start_wall + index * rotation.shift_length.step, rotation.tz)


def participant_for(rotation: Rotation, index: int) -> str:
    return rotation.participants[index % len(rotation.participants)]


def turn_at(rotation: Rotation, moment: datetime) -> int | None:
    """The turn under way at ``moment``, or None before the rotation starts."""
    moment = require_aware(moment, field="at")
    if moment < rotation.starts_at:
        return None
    # An estimate from the wall clock, then corrected on instants: wall time is not
    # monotonic in UTC (it repeats an hour at fall-back), handoff instants are.
    wall = moment.astimezone(rotation.tz).replace(tzinfo=None)
    index = max(0, (wall - rotation.start_wall) // rotation.shift_length.step)
    while handoff_at(rotation, index) > moment:
        index -= 1
    while handoff_at(rotation, index + 1) <= moment:
        index += 1
    return index


def participant_at(rotation: Rotation, moment: datetime) -> str | None:
    index = turn_at(rotation, moment)
    return None if index is None else participant_for(rotation, index)


def rotation_shifts(
    rotation: Rotation, since: datetime, until: datetime
) -> Iterator[RotationShift]:
    """Every turn overlapping [since, until), clipped to it, in order."""
    since = require_aware(since, field="since")
    until = require_aware(until, field="until")
    if until <= since or until <= rotation.starts_at:
        return
    index = turn_at(rotation, max(since, rotation.starts_at))
    assert index is not None
    start = handoff_at(rotation, index)
    while start < until:
        end = handoff_at(rotation, index + 1)
        if end > start:
            yield RotationShift(
                start=max(start, since),
                end=min(end, until),
                user_id=participant_for(rotation, index),
                index=index,
            )
        index += 1
        start = end
