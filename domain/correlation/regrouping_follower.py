"""Merges and splits made through another process, told to this one's correlator.

The process that takes `mergeIncidents` or `splitIncident` tells its own correlator
at once (`IncidentRegrouping`). A correlator that remembers (the learned engine) in
any other process would go on deciding with the old grouping: joining alerts to an
incident that was merged away, or to the one alerts were split out of. So each
process reads the corrections stored since it last looked and tells its correlator,
within `VIGIL_WORKER_INTERVAL_SECONDS` (a background job). Telling a correction twice
changes nothing, so the process that made one may read it again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.clock import Clock
from domain.correlation.live import LiveCorrelator
from domain.feedback.model import Feedback, FeedbackKind
from domain.feedback.repository import FeedbackRepository

OVERLAP = timedelta(seconds=60)
"""Corrections are read from this long before the newest one seen: they are ordered by
the clock of the process that made them, which may run behind, and one may be stored
after a later one."""


class RegroupingFollower:
    def __init__(
        self, *, feedback: FeedbackRepository, correlator: LiveCorrelator, clock: Clock
    ) -> None:
        self._feedback = feedback
        self._correlator = correlator
        # The working set a process starts with comes from the stored alerts, which
        # already show every earlier correction.
        self._since = clock.now() - OVERLAP
        self._told: dict[str, datetime] = {}

    async def follow(self) -> int:
        """The background job: tell the correlator corrections it has not been told; how
        many."""
        told = 0
        for correction in await self._feedback.made_since(self._since):
            if correction.id not in self._told:
                self._tell(correction)
                self._told[correction.id] = correction.at
                told += 1
            self._since = max(self._since, correction.at - OVERLAP)
        self._told = {i: at for i, at in self._told.items() if at >= self._since}
        return told

    def _tell(self, correction: Feedback) -> None:
        if correction.kind is FeedbackKind.MERGE:
            into, *others = correction.incident_ids
            self._correlator.merge(into, others)
        else:
            origin, created = correction.incident_ids
            self._correlator.split(origin, {m.alert_id for m in correction.moves}, created)
