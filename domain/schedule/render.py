"""The final shifts of a schedule: layers stacked, overrides applied, equal neighbours merged.

The range is cut at every instant where something may change (a turn, a window,
an override); on each piece the highest layer with someone wins, then the
overrides covering the piece apply in order. Pieces with the same people that
touch are merged; pieces with nobody are left out, so a gap in the result is a
time with nobody on call.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime
from itertools import pairwise

from domain.errors import ValidationError
from domain.schedule.layers import layer_shifts
from domain.schedule.model import RenderedShift, RotationShift, Schedule
from domain.validation import require_aware

MAX_RANGE_DAYS = 366 * 2


def _user_at(shifts: list[RotationShift], starts: list[datetime], moment: datetime) -> str | None:
    i = bisect_right(starts, moment) - 1
    if i >= 0 and shifts[i].start <= moment < shifts[i].end:
        return shifts[i].user_id
    return None


def render(schedule: Schedule, since: datetime, until: datetime) -> list[RenderedShift]:
    """Who is on call from ``since`` to ``until``, as shifts clipped to that range."""
    since = require_aware(since, field="since")
    until = require_aware(until, field="until")
    if until <= since:
        raise ValidationError("'until' must be after 'since'.", field="until")
    if (until - since).days > MAX_RANGE_DAYS:
        raise ValidationError(
            f"Render at most {MAX_RANGE_DAYS} days at once.",
            suggestion="Ask for a shorter range, page by page.",
            field="until",
        )
    per_layer = [layer_shifts(layer, since, until) for layer in schedule.layers]
    starts = [[s.start for s in shifts] for shifts in per_layer]
    overrides = [o for o in schedule.overrides if o.starts_at < until and o.ends_at > since]

    cuts = {since, until}
    for shifts in per_layer:
        for s in shifts:
            cuts.update((s.start, s.end))
    for o in overrides:
        cuts.update(t for t in (o.starts_at, o.ends_at) if since < t < until)
    points = sorted(cuts)

    rendered: list[RenderedShift] = []
    for start, end in pairwise(points):
        users: tuple[str, ...] = ()
        for shifts, layer_starts in zip(reversed(per_layer), reversed(starts), strict=True):
            user = _user_at(shifts, layer_starts, start)
            if user is not None:
                users = (user,)
                break
        for o in overrides:
            if o.covers(start):
                users = o.apply(users)
        if not users:
            continue
        if rendered and rendered[-1].end == start and rendered[-1].users == users:
            rendered[-1] = RenderedShift(rendered[-1].start, end, users)
        else:
            rendered.append(RenderedShift(start, end, users))
    return rendered
