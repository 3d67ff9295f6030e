"""Telling when a new fault has started: a surge of alerts after a calmer spell.

A fault announces itself with a burst: in real storms half of a fault's alerts
arrive within its first minute. Two event-time rates are kept, a fast one (about
the last few seconds) and a slow one (about the last five minutes); when the fast
rate is several times the slow one and above a floor, a burst *onset* is declared.
Overlapping faults look alike alert by alert, but each starts with its own burst,
so "this incident started before the latest onset" is what keeps a new fault's
alerts from chaining onto the one still running.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BurstSettings:
    fast: float = 4.0  # seconds, time constant of the fast rate
    slow: float = 300.0  # seconds, time constant of the slow rate
    ratio: float = 3.0  # fast rate over slow rate that makes an onset
    floor: float = 1.5  # alerts per second the fast rate must also reach
    spacing: float = 180.0  # seconds at least between two onsets


class BurstDetector:
    """Event-time onset detector; alerts out of order count as simultaneous."""

    __slots__ = ("_fast", "_last", "_settings", "_slow", "last_onset")

    def __init__(self, settings: BurstSettings | None = None) -> None:
        self._settings = settings or BurstSettings()
        self._fast = 0.0
        self._slow = 0.0
        self._last = -math.inf
        self.last_onset = -math.inf

    def observe(self, at: float) -> bool:
        """Count an alert at event time ``at``; True when it marks a new burst's onset."""
        settings = self._settings
        if at > self._last:
            if self._last > -math.inf:
                elapsed = at - self._last
                self._fast *= math.exp(-elapsed / settings.fast)
                self._slow *= math.exp(-elapsed / settings.slow)
            self._last = at
        onset = (
            self._fast > settings.floor
            and self._fast > settings.ratio * self._slow
            and self._last - self.last_onset > settings.spacing
        )
        if onset:
            self.last_onset = self._last
        self._fast += 1.0 / settings.fast
        self._slow += 1.0 / settings.slow
        return onset
