"""The alert ingest mutation's input and result."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.types.arguments import InputContext
from strawberry.types.nodes import SelectedField

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


def asks_for_incidents(info: strawberry.Info) -> bool:
    """Whether the results' `incident` is selected. A fragment is taken as asking for it,
    without looking into it."""
    return any(
        not isinstance(selection, SelectedField) or selection.name == "incident"
        for field in info.selected_fields
        for selection in field.selections
    )


@strawberry.type
class IngestResult:
    outcome: IngestOutcomeKind
    deduplicated: bool = strawberry.field(
        description="True when the alert matched one already firing: same id as before."
    )
    alert: Alert | None = strawberry.field(description="Null only when outcome is IGNORED.")
    incident: Incident | None

    @classmethod
    def all_from_domain(cls, outcomes: list[DomainOutcome]) -> list[IngestResult]:
        """One result per outcome. An incident (or a repeated alert) that several outcomes
        share is converted once: a batch of 100 alerts names about 15 incidents."""
        alerts = {o.alert.id: o.alert for o in outcomes if o.alert is not None}
        incidents = {o.incident.id: o.incident for o in outcomes if o.incident is not None}
        alert_of = {id_: Alert.from_domain(alert) for id_, alert in alerts.items()}
        incident_of = {id_: Incident.from_domain(incident) for id_, incident in incidents.items()}
        return [
            cls(
                outcome=o.kind,
                deduplicated=o.deduplicated,
                alert=alert_of[o.alert.id] if o.alert is not None else None,
                incident=incident_of[o.incident.id] if o.incident is not None else None,
            )
            for o in outcomes
        ]


def _build_alert_input(
    cls: type[AlertInput], raw: Mapping[str, Any], context: InputContext
) -> AlertInput:
    """Build an AlertInput straight from GraphQL's already coerced value.

    Strawberry's generic conversion inspects every field's type on every value:
    about a third of a millisecond per alert, a third of the whole ingest budget.
    The values are already valid GraphQL here; the domain validates the rest.
    """
    kwargs = {_PYTHON_NAMES[name]: value for name, value in raw.items()}
    links = kwargs.get("links")
    if links is not None:
        kwargs["links"] = [
            AlertLinkInput(href=link["href"], text=link.get("text", "")) for link in links
        ]
    return cls(**kwargs)


_DEFINITION = AlertInput.__strawberry_definition__  # type: ignore[attr-defined]
_PYTHON_NAMES = {
    StrawberryConfig().name_converter.get_graphql_name(field): field.python_name
    for field in _DEFINITION.fields
}
_DEFINITION.from_input = _build_alert_input
