"""Stored alerts as the correlation library sees them."""

from __future__ import annotations

from correlation import AlertFacts
from domain.alert.model import Alert


def facts_of(alert: Alert) -> AlertFacts:
    return AlertFacts(
        id=alert.id,
        service=alert.service,
        occurred_at=alert.occurred_at,
        severity=alert.severity.value,
        source=alert.source,
        summary=alert.summary,
        labels=alert.labels,
    )
