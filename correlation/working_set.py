"""The open incidents the engine may still grow: bounded, indexed, forgetting by event time.

Each incident keeps a bounded summary of its alerts (services, templates,
locality labels, the latest alert of each kind) rather than the alerts
themselves, so memory stays flat however long an incident lasts.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from operator import attrgetter
from typing import TypeVar

MAX_KINDS = 48
MAX_LABELS = 64
MAX_MEMBERS = 4096
# Candidates per service, kind or recency, most recently active first: in a storm of
# hundreds of open incidents, the latest few are the ones an alert can belong to, and
# scoring all of them would make a live decision slow.
MAX_PER_KEY = 12


@dataclass(slots=True)
class Observation:
    """What the working set remembers of one alert; read-only by convention (not frozen:
    one is built per alert, and frozen dataclasses are several times slower to build)."""

    alert_id: str
    at: float
    service: str
    template: int
    labels: frozenset[str]


@dataclass(slots=True)
class IncidentState:
    id: str
    first: float
    last: float
    size: int = 0
    # service -> (latest event time, latest alert id)
    services: dict[str, tuple[float, str]] = field(default_factory=dict)
    # (service, template) -> (latest event time, latest alert id)
    kinds: dict[tuple[str, int], tuple[float, str]] = field(default_factory=dict)
    templates: dict[int, float] = field(default_factory=dict)
    labels: dict[str, float] = field(default_factory=dict)
    last_alert: str = ""
    members: OrderedDict[str, Observation] = field(default_factory=OrderedDict)
    # Feature parts that depend only on the alert's template; cleared when templates change.
    template_memo: dict[int, tuple[float, float]] = field(default_factory=dict)
    # Services related to an alert's service, by that service; cleared when services change.
    service_memo: dict[str, tuple[tuple[str, float, float, float], ...]] = field(
        default_factory=dict
    )

    def add(self, seen: Observation) -> tuple[str | None, tuple[str, int] | None]:
        """Take an alert in; return the service and kind it forgot to make room, if any."""
        self.size += 1
        self.first = min(self.first, seen.at)
        if seen.at >= self.last:
            self.last = seen.at
            self.last_alert = seen.alert_id
        if seen.template not in self.templates:
            self.template_memo.clear()
        if seen.service not in self.services:
            self.service_memo.clear()
        dropped_service = _put(self.services, seen.service, (seen.at, seen.alert_id), MAX_KINDS)
        dropped_kind = _put(
            self.kinds, (seen.service, seen.template), (seen.at, seen.alert_id), MAX_KINDS
        )
        _put(self.templates, seen.template, seen.at, MAX_KINDS)
        for token in seen.labels:
            _put(self.labels, token, seen.at, MAX_LABELS)
        self.members[seen.alert_id] = seen
        if len(self.members) > MAX_MEMBERS:
            self.members.popitem(last=False)
        return dropped_service, dropped_kind


_START = attrgetter("first", "id")
K = TypeVar("K")
V = TypeVar("V")


def _put(table: dict[K, V], key: K, value: V, limit: int) -> K | None:
    """Insert as most recent; past ``limit`` the oldest entry goes (dicts keep order)."""
    table.pop(key, None)
    table[key] = value
    if len(table) <= limit:
        return None
    oldest = next(iter(table))
    del table[oldest]
    return oldest


class WorkingSet:
    def __init__(self, max_idle: float, max_age: float, max_open: int) -> None:
        self.max_idle = max_idle
        self.max_age = max_age
        self.max_open = max_open
        self.watermark = float("-inf")
        self._by_activity: OrderedDict[str, IncidentState] = OrderedDict()
        # key -> incident id -> when that incident last had an alert with the key,
        # most recent last, so lookups stop at the first entry too old to matter.
        # Plain dicts keep insertion order, and re-inserting moves a key last.
        self._by_service: dict[str, dict[str, float]] = {}
        self._by_kind: dict[tuple[str, int], dict[str, float]] = {}

    def __len__(self) -> int:
        return len(self._by_activity)

    def __iter__(self) -> Iterator[IncidentState]:
        return iter(list(self._by_activity.values()))

    def get(self, incident_id: str) -> IncidentState | None:
        return self._by_activity.get(incident_id)

    def advance(self, moment: float) -> None:
        """Move event time forward and let incidents idle too long leave."""
        if moment <= self.watermark:
            return
        self.watermark = moment
        horizon = moment - self.max_idle
        while self._by_activity:
            oldest = next(iter(self._by_activity.values()))
            if oldest.last >= horizon and len(self._by_activity) <= self.max_open:
                break
            self.remove(oldest.id)

    def open(self, incident_id: str, seen: Observation) -> IncidentState:
        incident = IncidentState(incident_id, seen.at, seen.at)
        self._by_activity[incident_id] = incident
        self.add(incident, seen)
        # Past the bound, the least recently active others leave now, not at the next alert.
        while len(self._by_activity) > self.max_open:
            self.remove(next(iter(self._by_activity)))
        return incident

    def add(self, incident: IncidentState, seen: Observation) -> None:
        dropped_service, dropped_kind = incident.add(seen)
        if dropped_service is not None:
            _unindex(self._by_service, dropped_service, incident.id)
        if dropped_kind is not None:
            _unindex(self._by_kind, dropped_kind, incident.id)
        self._by_activity.move_to_end(incident.id)
        _index(self._by_service, seen.service, incident.id, seen.at)
        _index(self._by_kind, (seen.service, seen.template), incident.id, seen.at)

    def remove(self, incident_id: str) -> IncidentState | None:
        incident = self._by_activity.pop(incident_id, None)
        if incident is None:
            return None
        for service in incident.services:
            _unindex(self._by_service, service, incident_id)
        for kind in incident.kinds:
            _unindex(self._by_kind, kind, incident_id)
        return incident

    def candidates(
        self,
        moment: float,
        services: Iterable[str],
        kind: tuple[str, int],
        recent: float,
        service_horizon: float,
    ) -> list[IncidentState]:
        """Incidents an alert could join: same kind lately, a related service active
        within ``service_horizon``, or any activity within ``recent``."""
        ids: set[str] = set()
        add = ids.add
        members = self._by_kind.get(kind)
        if members is not None:
            since = moment - self.max_idle
            for incident_id, at in islice(reversed(members.items()), MAX_PER_KEY):
                if at < since:
                    break
                add(incident_id)
        by_service = self._by_service
        since = moment - service_horizon
        for service in services:
            members = by_service.get(service)
            # Most services' latest incident is already too old: one look, no iterator.
            if members is None or members[next(reversed(members))] < since:
                continue
            for incident_id, at in islice(reversed(members.items()), MAX_PER_KEY):
                if at < since:
                    break
                add(incident_id)
        by_activity = self._by_activity
        for incident in islice(reversed(by_activity.values()), MAX_PER_KEY):
            if moment - incident.last > recent:
                break
            ids.add(incident.id)
        max_idle, max_age = self.max_idle, self.max_age
        found = [
            incident
            for incident in map(by_activity.__getitem__, ids)
            if moment - incident.last <= max_idle and moment - incident.first <= max_age
        ]
        if len(found) > 1:
            found.sort(key=_START)
        return found

    def rebuild(self, incident_id: str, observations: Iterable[Observation]) -> IncidentState:
        """Replace an incident by one made of the given alerts (after a merge or split)."""
        self.remove(incident_id)
        ordered = sorted(observations, key=lambda o: (o.at, o.alert_id))
        incident = IncidentState(incident_id, ordered[0].at, ordered[0].at)
        self._by_activity[incident_id] = incident
        for seen in ordered:
            self.add(incident, seen)
        # Keep activity order by last event time, as eviction expects.
        for other in sorted(self._by_activity.values(), key=lambda i: (i.last, i.id)):
            self._by_activity.move_to_end(other.id)
        return incident


def _index(index: dict[K, dict[str, float]], key: K, incident_id: str, at: float) -> None:
    members = index.get(key)
    if members is None:
        index[key] = {incident_id: at}
        return
    previous = members.get(incident_id)
    if previous is None or at >= previous:
        if previous is not None:
            del members[incident_id]  # re-inserted below, as the most recent
        members[incident_id] = at


def _unindex(index: dict[K, dict[str, float]], key: K, incident_id: str) -> None:
    members = index.get(key)
    if members is not None:
        members.pop(incident_id, None)
        if not members:
            del index[key]
