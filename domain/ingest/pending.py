"""Incidents this process has decided but the store may not show yet.

Correlation must see every incident decided before it, so deciding is serialised
within a process; reading the store and writing to it are not. A batch reads the
open incidents before it takes the lock, registers the incidents of its plan here
before it leaves the lock, and writes after. What its read may have missed is what
other batches decided: those still being written (pending) and those written since
the read began (settled, kept until no batch that read before them is left), so it
correlates against the store's view merged with both. A batch that grows an
incident another batch has opened but not yet inserted waits for that insert before
that update, or the update would match nothing; it writes its own new incidents
without waiting, so no batch waits on a chain of batches before it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from domain.alert.model import worst
from domain.incident.model import Incident
from domain.ingest.plan import AttachmentPlan


@dataclass
class _Pending:
    incident: Incident
    holders: int = 0
    inserted: asyncio.Future[None] | None = None
    """Set while the incident is new and its insert has not finished."""


@dataclass
class Hold:
    """One batch's claim on the pending incidents of its plan."""

    opened: list[Incident]
    registered: list[str]
    """Every incident of the plan, registered here until the batch's writes end."""
    depends_on: dict[str, asyncio.Future[None]] = field(default_factory=dict)
    """Incidents other batches opened and this one grows, with their pending inserts."""
    dependency_documents: list[Incident] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Read:
    """A batch's read of the store: what was settled after it began is merged in."""

    epoch: int


class PendingIncidents:
    def __init__(self) -> None:
        self._pending: dict[str, _Pending] = {}
        self._settled: dict[str, tuple[int, Incident]] = {}
        """Incident id -> (epoch it was written in, its state then)."""
        self._epoch = 0
        self._readers: Counter[int] = Counter()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Read]:
        """Around a batch's read of the store, up to its `hold` (or its failure)."""
        read = Read(self._epoch)
        self._readers[read.epoch] += 1
        try:
            yield read
        finally:
            self._readers[read.epoch] -= 1
            if not self._readers[read.epoch]:
                del self._readers[read.epoch]
            oldest = min(self._readers, default=self._epoch)
            self._settled = {i: e for i, e in self._settled.items() if e[0] > oldest}

    def merged_with(
        self, read: Read, stored: list[Incident], wanted: Iterable[str] | None
    ) -> list[Incident]:
        """The open incidents as ``read`` from the store, completed by those decided since
        (of the services ``wanted``, or of all)."""
        services = None if wanted is None else set(wanted)
        merged = {incident.id: incident for incident in stored}
        recent = [incident for epoch, incident in self._settled.values() if epoch > read.epoch]
        for incident in recent + [pending.incident for pending in self._pending.values()]:
            if services is not None and incident.service_id not in services:
                continue
            found = merged.get(incident.id)
            merged[incident.id] = incident if found is None else _latest(found, incident)
        return list(merged.values())

    def hold(self, plan: AttachmentPlan) -> Hold:
        """Register the plan's incidents; call under the lock, right after planning."""
        after = plan.incidents_after()
        new_ids = plan.new_ids
        hold = Hold(opened=[after[i] for i in sorted(new_ids)], registered=list(after))
        for incident_id in plan.grown_ids:
            pending = self._pending.get(incident_id)
            if pending is not None and pending.inserted is not None:
                hold.depends_on[incident_id] = pending.inserted
                hold.dependency_documents.append(pending.incident)
        loop = asyncio.get_running_loop()
        for incident_id, incident in after.items():
            pending = self._pending.setdefault(incident_id, _Pending(incident))
            pending.incident = _latest(pending.incident, incident)
            pending.holders += 1
            if incident_id in new_ids:
                pending.inserted = loop.create_future()
        return hold

    @contextlib.contextmanager
    def writing(self, hold: Hold) -> Iterator[None]:
        """Around the batch's incident writes: releases the hold however they end."""
        try:
            yield
        finally:
            self.inserted(hold)
            for incident_id in hold.registered:
                pending = self._pending.get(incident_id)
                if pending is None:
                    continue
                pending.holders -= 1
                if pending.holders <= 0:
                    del self._pending[incident_id]
                    self._epoch += 1
                    self._settled[incident_id] = (self._epoch, pending.incident)

    def inserted(self, hold: Hold) -> None:
        """The batch's new incidents are written (or failed to be): dependents may go on."""
        for incident in hold.opened:
            pending = self._pending.get(incident.id)
            if pending is not None and pending.inserted is not None:
                if not pending.inserted.done():
                    pending.inserted.set_result(None)
                pending.inserted = None


def _latest(a: Incident, b: Incident) -> Incident:
    """Two views of one incident: growth only adds, so each count and bound takes the
    further of the two; the status is the store's (``a``) unless it is only pending."""
    return dataclasses.replace(
        a,
        alert_count=max(a.alert_count, b.alert_count),
        open_alert_count=max(a.open_alert_count, b.open_alert_count),
        first_event_at=min(a.first_event_at, b.first_event_at),
        last_event_at=max(a.last_event_at, b.last_event_at),
        severity=worst([a.severity, b.severity]),
    )
