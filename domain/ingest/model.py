"""What ingesting one alert came to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.alert.model import Alert
from domain.incident.model import Incident

MAX_BATCH = 1000


class IngestOutcomeKind(StrEnum):
    CREATED = "created"
    DEDUPLICATED = "deduplicated"
    RESOLVED = "resolved"
    IGNORED = "ignored"
    """A resolve event for a dedup key with no firing alert: nothing to do."""


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    kind: IngestOutcomeKind
    alert: Alert | None
    incident: Incident | None

    @property
    def deduplicated(self) -> bool:
        return self.kind is IngestOutcomeKind.DEDUPLICATED
