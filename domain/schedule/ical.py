"""iCalendar (RFC 5545) feeds of rendered shifts, for calendar apps to subscribe to.

One VEVENT per rendered shift, times in UTC. A shift's UID is derived from its
schedule, start and people, so a calendar app that refreshes the feed updates
the same events instead of adding copies. Which shifts go in (the range, usually
from a little before now to a few weeks ahead) is the caller's choice; the secret
URL that serves the feed is not part of this module.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime

from icalendar import Calendar, Event

from domain.oncall.query import UserShift
from domain.schedule.model import RenderedShift, Schedule
from domain.validation import require_aware

PRODID = "-//Vigil//On-call schedules//EN"


def _names(users: Sequence[str], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(u, u) for u in users)


def _uid(schedule_id: str, shift: RenderedShift) -> str:
    key = f"{schedule_id}|{shift.start.isoformat()}|{'|'.join(shift.users)}"
    return f"{hashlib.sha256(key.encode()).hexdigest()[:32]}@vigil"


def _calendar(title: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", title)
    return calendar


def _event(
    schedule: Schedule | UserShift,
    shift: RenderedShift,
    summary: str,
    description: str,
    stamp: datetime,
) -> Event:
    schedule_id = schedule.id if isinstance(schedule, Schedule) else schedule.schedule_id
    event = Event()
    event.add("uid", _uid(schedule_id, shift))
    event.add("dtstamp", stamp)
    event.add("dtstart", shift.start)
    event.add("dtend", shift.end)
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def schedule_feed(
    schedule: Schedule,
    shifts: Sequence[RenderedShift],
    *,
    generated_at: datetime,
    names: Mapping[str, str] | None = None,
) -> bytes:
    """The feed of one schedule: who is on call, shift by shift.

    ``names`` maps user ids to display names; ids without one are shown as they are.
    """
    stamp = require_aware(generated_at, field="generatedAt").replace(microsecond=0)
    names = names or {}
    calendar = _calendar(f"On call: {schedule.name}")
    for shift in shifts:
        people = _names(shift.users, names)
        calendar.add_component(
            _event(
                schedule,
                shift,
                f"On call: {people}",
                f"Schedule {schedule.name}: {people}.",
                stamp,
            )
        )
    feed: bytes = calendar.to_ical()
    return feed


def user_feed(
    user_id: str,
    shifts: Sequence[UserShift],
    *,
    generated_at: datetime,
    names: Mapping[str, str] | None = None,
) -> bytes:
    """The feed of one user: their shifts across schedules (others' shifts are left out)."""
    stamp = require_aware(generated_at, field="generatedAt").replace(microsecond=0)
    names = names or {}
    calendar = _calendar(f"On call: {names.get(user_id, user_id)}")
    for entry in shifts:
        if user_id not in entry.shift.users:
            continue
        others = [u for u in entry.shift.users if u != user_id]
        description = f"Schedule {entry.schedule_name}."
        if others:
            description += f" Also on call: {_names(others, names)}."
        calendar.add_component(
            _event(entry, entry.shift, f"On call: {entry.schedule_name}", description, stamp)
        )
    feed: bytes = calendar.to_ical()
    return feed
