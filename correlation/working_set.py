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
# Incidents related to an alert by nothing but time: the few most recently active are
# enough (on the shared streams without history, 4 grouped exactly as 12 did, with about
# half the candidates).
MAX_RECENT = 4


@dataclass(slots=True)
class Observation:
    """What the working set remembers of one alert; read-only by convention (not frozen:
    one is built per alert, and frozen dataclasses are several times slower to build)."""

    alert_id: str
    at: float
    service: str
    template: int
    labels: frozenset[str]
    # (service, template): the alert's kind, kept rather than rebuilt wherever it is needed.
    kind: tuple[str, int]


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
        # ``_put`` written out: this runs once per alert.
        self.size += 1
        at, alert_id, service, template = seen.at, seen.alert_id, seen.service, seen.template
        if at < self.first:
            self.first = at
        if at >= self.last:
            self.last = at
            self.last_alert = alert_id
        latest = (at, alert_id)
        dropped_service = dropped_kind = None
        services = self.services
        if services.pop(service, None) is None:
            self.service_memo.clear()
            services[service] = latest
            if len(services) > MAX_KINDS:
                dropped_service = next(iter(services))
                del services[dropped_service]
        else:
            services[service] = latest
        kinds = self.kinds
        kind = seen.kind
        if kinds.pop(kind, None) is None:
            kinds[kind] = latest
            if len(kinds) > MAX_KINDS:
                dropped_kind = next(iter(kinds))
                del kinds[dropped_kind]
        else:
            kinds[kind] = latest
        templates = self.templates
        if templates.pop(template, None) is None:
            self.template_memo.clear()
            templates[template] = at
            if len(templates) > MAX_KINDS:
                del templates[next(iter(templates))]
        else:
            templates[template] = at
        labels = self.labels
        for token in seen.labels:
            if labels.pop(token, None) is None:
                labels[token] = at
                if len(labels) > MAX_LABELS:
                    del labels[next(iter(labels))]
            else:
                labels[token] = at
        members = self.members
        members[alert_id] = seen
        if len(members) > MAX_MEMBERS:
            members.popitem(last=False)
        return dropped_service, dropped_kind


_START = attrgetter("first", "id")
K = TypeVar("K")
V = TypeVar("V")


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

    def latest(self, count: int) -> Iterator[IncidentState]:
        """The ``count`` most recently active incidents, most recent first."""
        return islice(reversed(self._by_activity.values()), count)

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
        incident_id = incident.id
        if dropped_service is not None:
            _unindex(self._by_service, dropped_service, incident_id)
        if dropped_kind is not None:
            _unindex(self._by_kind, dropped_kind, incident_id)
        self._by_activity.move_to_end(incident_id)
        at = seen.at
        _index(self._by_service, seen.service, incident_id, at)
        _index(self._by_kind, seen.kind, incident_id, at)

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
        within ``service_horizon``, or any activity within ``recent``; oldest first."""
        idle, young = moment - self.max_idle, moment - self.max_age
        listed = [
            incident
            for incident in self.gather(moment, services, kind, recent, service_horizon)
            if incident.last >= idle and incident.first >= young
        ]
        if len(listed) > 1:
            listed.sort(key=_START)
        return listed

    def gather(
        self,
        moment: float,
        services: Iterable[str],
        kind: tuple[str, int],
        recent: float,
        service_horizon: float,
    ) -> Iterator[IncidentState]:
        """``candidates`` in no particular order, before the limits of idle time
        (``max_idle``) and age (``max_age``): for callers that need no order."""
        found: dict[str, None] = {}
        members = self._by_kind.get(kind)
        if members is not None:
            since = moment - self.max_idle
            for incident_id, at in islice(reversed(members.items()), MAX_PER_KEY):
                if at < since:
                    break
                found[incident_id] = None
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
                found[incident_id] = None
        by_activity = self._by_activity
        for incident in islice(reversed(by_activity.values()), MAX_RECENT):
            if moment - incident.last > recent:
                break
            found[incident.id] = None
        return map(by_activity.__getitem__, found)

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
