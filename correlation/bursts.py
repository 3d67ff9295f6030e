"""Telling when a new fault has started: a surge of alerts after a calmer spell.

A fault announces itself with a burst: in real storms half of a fault's alerts
arrive within its first minute. Two event-time rates are kept, a fast one (about
the last few seconds) and a slow one (about the last five minutes); when the fast
rate is several times the slow one and above a floor, a burst *onset* is declared.
Overlapping faults look alike alert by alert, but each starts with its own burst,
so "this incident started before the latest onset" is what keeps a new fault's
alerts from chaining onto the one still running.

Not every surge is a new fault: a running fault also surges again as it spreads
(on the real fault sets, a second wave 3 to 5 minutes in, of metrics and logs it
had not raised yet). ``SurgeMemory`` tells the two apart by what the surge is made
of: a new fault repeats kinds of alert seen in the last minutes (faults look alike),
a spreading one raises kinds not seen lately. The engine withdraws such an onset.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BurstSettings:
    fast: float = 4.0  # seconds, time constant of the fast rate
    slow: float = 300.0  # seconds, time constant of the slow rate
    ratio: float = 3.0  # fast rate over slow rate that makes an onset
    floor: float = 1.5  # alerts per second the fast rate must also reach
    spacing: float = 180.0  # seconds at least between two onsets
    hold: float = 30.0  # seconds without onsets after a withdrawn one (its surge goes on)


class BurstDetector:
    """Event-time onset detector. An alert a little out of order counts as simultaneous
    with the latest; one older than the slow rate's time constant counts not at all,
    as it can be no part of a burst going on now (a backfill, a monitor days late)."""

    __slots__ = (
        "_detected",
        "_fast",
        "_held_until",
        "_last",
        "_previous",
        "_settings",
        "_slow",
        "last_onset",
    )

    def __init__(self, settings: BurstSettings | None = None) -> None:
        self._settings = settings or BurstSettings()
        self._fast = 0.0
        self._slow = 0.0
        self._last = -math.inf
        self.last_onset = -math.inf
        self._detected = -math.inf
        """The latest event time seen when the latest onset was found: spacing and hold
        count from there."""
        self._previous = (-math.inf, -math.inf)
        """``_detected`` and ``last_onset`` of the onset before, for ``withdraw``."""
        self._held_until = -math.inf

    def observe(self, at: float) -> bool:
        """Count an alert at event time ``at``; True when it marks a new burst's onset."""
        settings = self._settings
        if at > self._last:
            if self._last > -math.inf:
                elapsed = at - self._last
                self._fast *= math.exp(-elapsed / settings.fast)
                self._slow *= math.exp(-elapsed / settings.slow)
            self._last = at
        elif self._last - at > settings.slow:
            return False
        onset = (
            self._fast > settings.floor
            and self._fast > settings.ratio * self._slow
            and self._last - self._detected > settings.spacing
            and self._last > self._held_until
        )
        if onset:
            # At the event time of the alert that reveals it, which is the latest seen
            # unless alerts come out of order: the incident this alert opens must count
            # as the new burst's, not as begun before it.
            self._previous = (self._detected, self.last_onset)
            self._detected, self.last_onset = self._last, at
        self._fast += 1.0 / settings.fast
        self._slow += 1.0 / settings.slow
        return onset

    def withdraw(self) -> None:
        """The onset just reported is a running fault surging again, not a new one: forget
        it, and report none for ``hold`` seconds while that surge goes on."""
        self._held_until = self._detected + self._settings.hold
        self._detected, self.last_onset = self._previous


# A kind of alert: (service, template id).
Kind = tuple[str, int]
# The alerts of a surge: those of the last few seconds (two fast time constants).
SURGE_WINDOW = 8.0
SURGE_SIZE = 24
# A kind of alert seen within this many seconds before a surge is a kind seen lately.
KIND_MEMORY = 900.0
_MEMORY_LIMIT = 100_000


class SurgeMemory:
    """The kinds of the latest alerts, and when each kind was last seen before them."""

    __slots__ = ("_recent", "_sightings")

    def __init__(self) -> None:
        self._recent: deque[tuple[float, Kind]] = deque(maxlen=SURGE_SIZE)
        # kind -> (latest sighting, latest sighting before the run of sightings it ends)
        self._sightings: dict[Kind, tuple[float, float]] = {}

    def observe(self, at: float, kind: Kind) -> None:
        self._recent.append((at, kind))
        sightings = self._sightings
        seen = sightings.get(kind)
        if seen is None:
            if len(sightings) >= _MEMORY_LIMIT:
                sightings.clear()
            sightings[kind] = (at, -math.inf)
        elif at - seen[0] > SURGE_WINDOW:
            sightings[kind] = (at, seen[0])
        elif at > seen[0]:
            sightings[kind] = (at, seen[1])

    def surge(self, at: float) -> list[Kind]:
        """The kinds of the alerts of the surge going on at ``at``, oldest first."""
        since = at - SURGE_WINDOW
        return [kind for moment, kind in self._recent if moment >= since]

    def seen_lately(self, at: float, kinds: list[Kind]) -> float:
        """The share of ``kinds`` seen within ``KIND_MEMORY`` before the surge at ``at``."""
        if not kinds:
            return 0.0
        began = at - SURGE_WINDOW
        since = began - KIND_MEMORY
        sightings = self._sightings
        known = 0
        for kind in kinds:
            latest, before = sightings.get(kind, (math.inf, -math.inf))
            if since <= latest < began or since <= before < began:
                known += 1
        return known / len(kinds)
