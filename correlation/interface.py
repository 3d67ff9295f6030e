"""The one narrow interface between the domain and any correlation engine."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True, slots=True)
class AlertFacts:
    """What a correlator may know about an alert."""

    id: str
    service: str
    occurred_at: datetime
    severity: str
    source: str
    summary: str
    labels: Mapping[str, str]
    description: str | None = None


@dataclass(frozen=True, slots=True)
class OpenIncident:
    """An incident still open, as far as correlation is concerned."""

    id: str
    service: str
    first_event_at: datetime
    last_event_at: datetime


@dataclass(frozen=True, slots=True)
class Decision:
    """Join an existing incident, or open a new one.

    Exactly one of ``incident_id`` and ``new_incident`` is set. Alerts with the
    same ``new_incident`` number open one incident together. The explanation
    (``linked_alert_id``, ``signals``) is what an analyst sees; correlators that
    cannot say more leave the defaults.
    """

    alert_id: str
    incident_id: str | None
    new_incident: int | None
    score: float
    reason: str
    linked_alert_id: str | None = None
    """The alert of the joined incident this one is most plainly tied to."""
    signals: Mapping[str, float] = field(default_factory=dict)
    """Signal name -> what it added to the decision, strongest first."""
    engine: str = ""
    model_version: int | None = None


class Correlator(Protocol):
    """What the domain asks, within one lock per process: `assign`, then `bind` each
    incident opened, then the writes."""

    @property
    def lookback(self) -> timedelta:
        """How far before a batch's earliest alert an open incident can still be joined."""
        ...

    @property
    def across_services(self) -> bool:
        """Whether open incidents of every service are candidates, not only the alert's."""
        ...

    @property
    def remembers(self) -> bool:
        """Whether it keeps the alerts it decided (then `restore` tells it of others)."""
        ...

    def restore(self, assigned: Iterable[tuple[AlertFacts, str]]) -> None:
        """Alerts with the incidents they went to, decided elsewhere: the recent stored
        ones at start-up, and with several replicas, what the others decided (stateful
        engines)."""
        ...

    def bind(self, new_incident: int, incident_id: str) -> None:
        """The id a `new_incident` of the last `assign` was stored under."""
        ...

    def assign(
        self, alerts: Sequence[AlertFacts], open_incidents: Sequence[OpenIncident]
    ) -> list[Decision]:
        """One decision per alert, in the order given."""
        ...

    def merge(self, into: str, others: Iterable[str]) -> None:
        """People merged incidents ``others`` into ``into``."""
        ...

    def split(self, incident_id: str, alert_ids: Collection[str], new_incident_id: str) -> None:
        """People moved ``alert_ids`` out of an incident into a new one."""
        ...
