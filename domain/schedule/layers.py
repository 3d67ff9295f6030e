"""One layer on its own: its rotation's turns, cut to its restriction windows."""

from __future__ import annotations

from datetime import datetime

from domain.schedule.model import Layer, RotationShift
from domain.schedule.restrictions import is_open, open_intervals
from domain.schedule.rotation import participant_at, rotation_shifts


def layer_shifts(layer: Layer, since: datetime, until: datetime) -> list[RotationShift]:
    """The layer's turns within [since, until), only where its windows are open."""
    shifts = list(rotation_shifts(layer.rotation, since, until))
    if not layer.restrictions or not shifts:
        return shifts
    windows = open_intervals(layer.restrictions, layer.rotation.tz, since, until)
    cut: list[RotationShift] = []
    w = 0
    for shift in shifts:
        while w < len(windows) and windows[w][1] <= shift.start:
            w += 1
        k = w
        while k < len(windows) and windows[k][0] < shift.end:
            start, end = max(shift.start, windows[k][0]), min(shift.end, windows[k][1])
            if start < end:
                cut.append(RotationShift(start, end, shift.user_id, shift.index))
            k += 1
    return cut


def layer_user_at(layer: Layer, moment: datetime) -> str | None:
    """Who the layer puts on call at ``moment``, if anyone."""
    if not is_open(layer.restrictions, layer.rotation.tz, moment):
        return None
    return participant_at(layer.rotation, moment)
