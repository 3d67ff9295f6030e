"""What a responder sees about an incident besides the incident: its context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from domain.alert.model import Alert
from domain.change.model import ChangeEvent
from domain.context.ports import PostmortemRef
from domain.errors import ValidationError
from domain.incident.model import Incident
from domain.service.model import Runbook, Service

MIN_CHANGE_WINDOW = timedelta(minutes=1)
MAX_CHANGE_WINDOW = timedelta(days=7)
MAX_SIMILAR = 20
MAX_HISTORY = 50
MAX_ALERTS = 100
MAX_CHANGES = 50


@dataclass(frozen=True, slots=True)
class ContextRequest:
    """How much context to gather; the defaults suit a responder just paged."""

    change_window: timedelta = timedelta(hours=1)
    """Changes this long before the incident's first alert, up to its latest, are shown."""
    similar: int = 5
    history: int = 5

    def __post_init__(self) -> None:
        if not MIN_CHANGE_WINDOW <= self.change_window <= MAX_CHANGE_WINDOW:
            raise ValidationError(
                "'changeWindowMinutes' must be between 1 minute and 7 days.",
                field="changeWindowMinutes",
            )
        if not 0 <= self.similar <= MAX_SIMILAR:
            raise ValidationError(
                f"'similar' must be between 0 and {MAX_SIMILAR}.", field="similar"
            )
        if not 0 <= self.history <= MAX_HISTORY:
            raise ValidationError(
                f"'history' must be between 0 and {MAX_HISTORY}.", field="history"
            )


@dataclass(frozen=True, slots=True)
class PastIncident:
    """A resolved incident of the same service."""

    incident: Incident
    duration: timedelta
    """From when it was opened to when it was resolved."""


@dataclass(frozen=True, slots=True)
class SimilarIncident:
    incident: Incident
    similarity: float
    """Cosine similarity of the two incidents' profiles, in [0, 1]."""
    postmortem: PostmortemRef | None = None


@dataclass(frozen=True, slots=True)
class IncidentContext:
    incident: Incident
    service: Service
    alerts: list[Alert]
    """Its alerts, earliest first (at most MAX_ALERTS), with their monitors' links."""
    history: list[PastIncident]
    similar: list[SimilarIncident]
    recent_changes: list[ChangeEvent]
    """Of its service and the services it calls, newest first."""
    change_window: timedelta
    runbooks: tuple[Runbook, ...] = field(default=())


def duration_of(incident: Incident) -> timedelta:
    end = incident.resolved_at or incident.created_at
    return max(timedelta(0), end - incident.created_at)
