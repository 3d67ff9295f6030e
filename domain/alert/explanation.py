"""Why an alert joined its incident, as stored on the alert when it was decided."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from correlation import Decision


@dataclass(frozen=True, slots=True)
class CorrelationExplanation:
    score: float
    reason: str
    engine: str
    linked_alert_id: str | None = None
    signals: Mapping[str, float] = field(default_factory=dict)
    """Signal name -> its contribution, strongest first."""
    model_version: int | None = None

    @classmethod
    def of(cls, decision: Decision) -> CorrelationExplanation:
        return cls(
            score=decision.score,
            reason=decision.reason,
            engine=decision.engine,
            linked_alert_id=decision.linked_alert_id,
            signals=dict(decision.signals),
            model_version=decision.model_version,
        )

    def to_json(self) -> str:
        """As stored on the alert: a JSON string rather than a sub-document, since nothing
        queries inside it and the embedded store copies and encodes each nested object of a
        document on every write of it (alerts with it as a sub-document took 13% longer to
        insert)."""
        return json.dumps(
            {
                "score": self.score,
                "linkedAlertId": self.linked_alert_id,
                "reason": self.reason,
                "signals": dict(self.signals),
                "engine": self.engine,
                "modelVersion": self.model_version,
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_stored(cls, raw: str | Mapping[str, Any] | None) -> CorrelationExplanation | None:
        """From `to_json`'s string, or the sub-document of alerts stored before it."""
        doc = json.loads(raw) if isinstance(raw, str) else raw
        if not doc:
            return None
        version = doc.get("modelVersion")
        return cls(
            score=float(doc["score"]),
            reason=str(doc.get("reason") or ""),
            engine=str(doc.get("engine") or ""),
            linked_alert_id=doc.get("linkedAlertId"),
            signals={str(k): float(v) for k, v in (doc.get("signals") or {}).items()},
            model_version=int(version) if version is not None else None,
        )
