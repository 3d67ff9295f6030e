"""POST /webhooks/alertmanager[/<key>]: Prometheus Alertmanager's webhook (payload version 4).

Each alert of the group becomes one Vigil alert:

- dedup key: `fingerprint` (else a hash of the labels, which is what a fingerprint is);
- summary: `annotations.summary`, else `labels.alertname`; description: `annotations.description`;
- severity: `labels.severity` through :data:`api.webhooks.mapping.SEVERITY_WORDS`;
- service, for a key bound to no service: `labels.service`, else `labels.job`, as a slug;
- links: `generatorURL`, the group's `externalURL`, `annotations.runbook_url`;
- details: the annotations, and the group's receiver and groupKey;
- event time: `startsAt`; `status: resolved` resolves the alert with the same fingerprint.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from api.webhooks.common import FieldNames, drafts_from, keyed_endpoint
from api.webhooks.mapping import (
    MAX_DESCRIPTION,
    MAX_SUMMARY,
    clip,
    event_time,
    labels_key,
    links,
    service_slug,
    severity_from,
)
from api.webhooks.schemas import check, validator
from domain.alert.model import (
    MAX_LABEL_KEY,
    MAX_LABEL_VALUE,
    MAX_LABELS,
    AlertDraft,
    AlertStatus,
)
from domain.errors import ValidationError

LABELS: dict[str, Any] = {
    "type": "object",
    "maxProperties": MAX_LABELS,
    "propertyNames": {"minLength": 1, "maxLength": MAX_LABEL_KEY},
    "additionalProperties": {"type": "string", "maxLength": MAX_LABEL_VALUE},
}
STRINGS: dict[str, Any] = {"type": "object", "additionalProperties": {"type": "string"}}
TEXT: dict[str, Any] = {"type": "string"}

ALERT: dict[str, Any] = {
    "type": "object",
    "required": ["status", "labels"],
    "properties": {
        "status": {"enum": ["firing", "resolved"]},
        "labels": LABELS,
        "annotations": STRINGS,
        "startsAt": TEXT,
        "endsAt": TEXT,
        "generatorURL": TEXT,
        "fingerprint": {"type": "string", "minLength": 1, "maxLength": 255},
    },
}

GROUP: dict[str, Any] = {
    "type": "object",
    "required": ["alerts"],
    "properties": {
        "version": {"const": "4"},
        "status": {"enum": ["firing", "resolved"]},
        "receiver": TEXT,
        "groupKey": TEXT,
        "truncatedAlerts": {"type": "integer"},
        "groupLabels": STRINGS,
        "commonLabels": STRINGS,
        "commonAnnotations": STRINGS,
        "externalURL": TEXT,
        "alerts": {"type": "array", "items": ALERT},
    },
}

FIELDS = FieldNames(
    {
        "occurredAt": "startsAt",
        "service": "labels.service",
        "dedupKey": "fingerprint",
        "details": "annotations",
    }
)

_SCHEMA = validator(GROUP)

LinkCandidates = list[tuple[str | None, str]]
Extra = Callable[[Mapping[str, Any]], tuple[LinkCandidates, dict[str, Any]]]
"""More links (href, text) and details from one alert, for formats extending Alertmanager's."""


def no_extra(alert: Mapping[str, Any]) -> tuple[LinkCandidates, dict[str, Any]]:
    return [], {}


def group_drafts(
    group: Mapping[str, Any], *, source: str, console: str, extra: Extra = no_extra
) -> list[AlertDraft]:
    """The drafts of an Alertmanager-shaped group whose schema was checked; `console` names
    the link to the sender's `externalURL`."""
    return drafts_from(group["alerts"], lambda alert: _draft(group, alert, source, console, extra))


def _draft(
    group: Mapping[str, Any], alert: Mapping[str, Any], source: str, console: str, extra: Extra
) -> AlertDraft:
    labels: dict[str, str] = alert["labels"]
    annotations: dict[str, str] = alert.get("annotations") or {}
    summary = annotations.get("summary", "").strip() or labels.get("alertname", "").strip()
    if not summary:
        raise ValidationError(
            "The alert has neither an 'annotations.summary' nor a 'labels.alertname'.",
            suggestion="Add a summary annotation to the alerting rule.",
            field="annotations.summary",
        )
    more_links, more_details = extra(alert)
    details: dict[str, Any] = {"annotations": annotations}
    details.update({k: group[k] for k in ("receiver", "groupKey") if group.get(k)})
    return AlertDraft(
        summary=clip(summary, MAX_SUMMARY),
        description=clip(annotations.get("description", ""), MAX_DESCRIPTION),
        source=source,
        service=service_slug(labels.get("service") or labels.get("job")),
        severity=severity_from(labels.get("severity")),
        labels=labels,
        dedup_key=alert.get("fingerprint") or labels_key(labels),
        occurred_at=event_time(alert.get("startsAt"), "startsAt"),
        status=AlertStatus(alert["status"]),
        links=links(
            (alert.get("generatorURL"), "Source"),
            *more_links,
            (annotations.get("runbook_url"), "Runbook"),
            (group.get("externalURL"), console),
        ),
        details=details | more_details,
    )


def parse(payload: Any) -> list[AlertDraft]:
    check(_SCHEMA, payload)
    return group_drafts(payload, source="alertmanager", console="Alertmanager")


endpoint = keyed_endpoint(parse, FIELDS)
