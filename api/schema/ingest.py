"""The alert ingest mutation's input and result."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.schema.enums import AlertStatus, IngestOutcomeKind, Severity
from api.schema.incident import Alert, Incident
from api.schema.scalars import JSONObject, Labels
from domain.alert.model import AlertDraft, AlertLink
from domain.errors import ValidationError
from domain.ingest.model import IngestOutcome as DomainOutcome


@strawberry.input(description="A place to look: a graph, dashboard, runbook (http or https).")
class AlertLinkInput:
    href: str
    text: str = ""


@strawberry.input(description="One alert as a monitor reports it.")
class AlertInput:
    summary: str
    description: str | None = None
    source: str | None = strawberry.field(default=None, description="The monitor; default 'api'.")
    service: str | None = strawberry.field(
        default=None,
        description="Service name; required unless the integration key is bound to a service. "
        "An unknown name registers a new service.",
    )
    severity: Severity | None = strawberry.field(default=None, description="Default ERROR.")
    labels: Labels | None = None
    dedup_key: str | None = strawberry.field(
        default=None,
        description="Alerts with the same key on a service are one alert while it fires. "
        "Default: a fingerprint of source, service, labels and summary.",
    )
    occurred_at: datetime | None = strawberry.field(
        default=None, description="Event time, with a time zone. Default: when received."
    )
    status: AlertStatus | None = strawberry.field(
        default=None,
        description="FIRING (default) or RESOLVED, which resolves the alert "
        "with the same dedup key.",
    )
    links: list[AlertLinkInput] | None = None
    details: JSONObject | None = strawberry.field(
        default=None, description="Free-form context (annotations, custom details)."
    )

    def to_draft(self) -> AlertDraft:
        return AlertDraft(
            summary=self.summary,
            description=self.description or "",
            source=self.source or "api",
            service=self.service,
            severity=self.severity or Severity.ERROR,
            labels=self.labels or {},
            dedup_key=self.dedup_key,
            occurred_at=self.occurred_at,
            status=self.status or AlertStatus.FIRING,
            links=tuple(AlertLink(link.href, link.text) for link in self.links or ()),
            details=self.details or {},
        )


def drafts_from(inputs: list[AlertInput]) -> list[AlertDraft]:
    drafts = []
    for index, alert in enumerate(inputs):
        try:
            drafts.append(alert.to_draft())
        except ValidationError as exc:
            raise exc.located(f"alerts[{index}]") from exc
    return drafts


@strawberry.type
class IngestResult:
    outcome: IngestOutcomeKind
    deduplicated: bool = strawberry.field(
        description="True when the alert matched one already firing: same id as before."
    )
    alert: Alert | None = strawberry.field(description="Null only when outcome is IGNORED.")
    incident: Incident | None

    @classmethod
    def from_domain(cls, outcome: DomainOutcome) -> IngestResult:
        return cls(
            outcome=outcome.kind,
            deduplicated=outcome.deduplicated,
            alert=Alert.from_domain(outcome.alert) if outcome.alert else None,
            incident=Incident.from_domain(outcome.incident) if outcome.incident else None,
        )
