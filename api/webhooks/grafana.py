"""POST /webhooks/grafana[/<key>]: Grafana's webhook contact point, both generations.

Unified alerting (Grafana 8 and later) sends Alertmanager's group shape, and is translated
as :mod:`api.webhooks.alertmanager` does, plus links to `dashboardURL`, `panelURL`,
`silenceURL` and `imageURL` and, in details, `values`, `valueString` and `orgId`.

Legacy alerting (Grafana 7 and earlier) sends one rule's state change: a payload without
`alerts`. Its dedup key is `grafana-legacy:<orgId>:<ruleId>`; `alerting` and `no_data` fire,
`ok` and `paused` resolve; summary `ruleName` (else `title`), description `message`, labels
`tags` (severity and service from `tags.severity` and `tags.service`; `no_data` is a warning
unless tagged otherwise), links `ruleUrl` and `imageUrl`; no event time is sent, so the time
of receipt is used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api.webhooks.alertmanager import ALERT, GROUP, LABELS, TEXT, LinkCandidates, group_drafts
from api.webhooks.alertmanager import FIELDS as UNIFIED_FIELDS
from api.webhooks.common import FieldNames, drafts_from, keyed_endpoint
from api.webhooks.mapping import (
    DEFAULT_SEVERITY,
    MAX_DESCRIPTION,
    MAX_SUMMARY,
    clip,
    links,
    service_slug,
    severity_from,
)
from api.webhooks.schemas import check, validator
from domain.alert.model import AlertDraft, AlertStatus, Severity
from domain.errors import ValidationError

UNIFIED_ALERT: dict[str, Any] = {
    **ALERT,
    "properties": {
        **ALERT["properties"],
        "values": {"type": ["object", "null"]},
        "valueString": TEXT,
        "dashboardURL": TEXT,
        "panelURL": TEXT,
        "silenceURL": TEXT,
        "imageURL": TEXT,
    },
}

UNIFIED: dict[str, Any] = {
    **GROUP,
    "properties": {
        **GROUP["properties"],
        # Grafana numbers its own payload versions ("1"); they are not Alertmanager's.
        "version": TEXT,
        "orgId": {"type": "integer"},
        "title": TEXT,
        "state": TEXT,
        "message": TEXT,
        "alerts": {"type": "array", "items": UNIFIED_ALERT},
    },
}

_FIRING_STATES = ("alerting", "no_data")
_RESOLVING_STATES = ("ok", "paused")

LEGACY: dict[str, Any] = {
    "type": "object",
    "required": ["ruleId", "state"],
    "properties": {
        "title": TEXT,
        "ruleId": {"type": "integer"},
        "ruleName": TEXT,
        "ruleUrl": TEXT,
        "state": {"enum": [*_FIRING_STATES, *_RESOLVING_STATES]},
        "message": TEXT,
        "evalMatches": {
            "type": ["array", "null"],
            "items": {
                "type": "object",
                "properties": {
                    "value": {"type": ["number", "null"]},
                    "metric": TEXT,
                    "tags": {"type": ["object", "null"]},
                },
            },
        },
        "imageUrl": TEXT,
        "tags": {**LABELS, "type": ["object", "null"]},
        "orgId": {"type": "integer"},
        "dashboardId": {"type": "integer"},
        "panelId": {"type": "integer"},
    },
}

LEGACY_FIELDS = FieldNames(
    {
        "summary": "ruleName",
        "description": "message",
        "service": "tags.service",
        "labels": "tags",
        "dedupKey": "ruleId",
        "details": "evalMatches",
    },
    single=True,
)

_UNIFIED_SCHEMA = validator(UNIFIED)
_LEGACY_SCHEMA = validator(LEGACY)


def _is_legacy(payload: Any) -> bool:
    return isinstance(payload, dict) and "alerts" not in payload


def fields_of(payload: Any) -> FieldNames:
    return LEGACY_FIELDS if _is_legacy(payload) else UNIFIED_FIELDS


def parse(payload: Any) -> list[AlertDraft]:
    if _is_legacy(payload):
        check(_LEGACY_SCHEMA, payload)
        return drafts_from([payload], _legacy_draft)
    check(_UNIFIED_SCHEMA, payload)
    return group_drafts(payload, source="grafana", console="Grafana", extra=_unified_extra)


def _unified_extra(alert: Mapping[str, Any]) -> tuple[LinkCandidates, dict[str, Any]]:
    candidates: LinkCandidates = [
        (alert.get("dashboardURL"), "Dashboard"),
        (alert.get("panelURL"), "Panel"),
        (alert.get("silenceURL"), "Silence"),
        (alert.get("imageURL"), "Image"),
    ]
    details = {key: alert[key] for key in ("values", "valueString") if alert.get(key)}
    return candidates, details


def _legacy_draft(rule: Mapping[str, Any]) -> AlertDraft:
    summary = (rule.get("ruleName") or "").strip() or (rule.get("title") or "").strip()
    if not summary:
        raise ValidationError(
            "The payload has neither a 'ruleName' nor a 'title'.",
            suggestion="Name the alert rule in Grafana.",
            field="summary",
        )
    tags: dict[str, str] = rule.get("tags") or {}
    state: str = rule["state"]
    default = Severity.WARNING if state == "no_data" else DEFAULT_SEVERITY
    org = rule.get("orgId", 0)
    details = {
        key: rule[key]
        for key in ("state", "evalMatches", "orgId", "dashboardId", "panelId")
        if rule.get(key) is not None
    }
    return AlertDraft(
        summary=clip(summary, MAX_SUMMARY),
        description=clip(rule.get("message") or "", MAX_DESCRIPTION),
        source="grafana",
        service=service_slug(tags.get("service")),
        severity=severity_from(tags.get("severity"), default),
        labels=tags,
        dedup_key=f"grafana-legacy:{org}:{rule['ruleId']}",
        status=AlertStatus.FIRING if state in _FIRING_STATES else AlertStatus.RESOLVED,
        links=links((rule.get("ruleUrl"), "Grafana rule"), (rule.get("imageUrl"), "Image")),
        details=details,
    )


endpoint = keyed_endpoint(parse, fields_of)
