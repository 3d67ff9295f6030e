"""POST /webhooks/generic[/<key>]: Vigil's own JSON format, for scripts and tools without a
format of their own. `generic.schema.json` beside this module is the contract; its fields are
those of GraphQL's AlertInput, with lower-case severity and status.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from api.webhooks.common import FieldNames, drafts_from, keyed_endpoint
from api.webhooks.mapping import event_time
from api.webhooks.schemas import check, validator
from domain.alert.model import AlertDraft, AlertLink, AlertStatus, Severity

SCHEMA: dict[str, Any] = json.loads(
    resources.files("api.webhooks").joinpath("generic.schema.json").read_text(encoding="utf-8")
)
_SCHEMA = validator(SCHEMA)

# The format uses the domain's own field names.
FIELDS = FieldNames({})


def parse(payload: Any) -> list[AlertDraft]:
    # A lone alert is a batch of one, so that errors name its fields as `alerts[0].summary`
    # whichever way it came.
    if isinstance(payload, dict) and "alerts" not in payload:
        payload = {"alerts": [payload]}
    check(_SCHEMA, payload)
    return drafts_from(payload["alerts"], _draft)


def _draft(alert: dict[str, Any]) -> AlertDraft:
    return AlertDraft(
        summary=alert["summary"],
        description=alert.get("description", ""),
        source=alert.get("source", "webhook"),
        service=alert.get("service"),
        severity=Severity(alert.get("severity", Severity.ERROR)),
        labels=alert.get("labels", {}),
        dedup_key=alert.get("dedupKey"),
        occurred_at=event_time(alert.get("occurredAt"), "occurredAt"),
        status=AlertStatus(alert.get("status", AlertStatus.FIRING)),
        links=tuple(
            AlertLink(link["href"], link.get("text", "")) for link in alert.get("links", [])
        ),
        details=alert.get("details", {}),
    )


endpoint = keyed_endpoint(parse, FIELDS)
