"""Why an alert joined its incident, as stored on the alert when it was decided."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from correlation import Decision
from domain.store.database import Document


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

    def to_document(self) -> Document:
        return {
            "score": self.score,
            "linkedAlertId": self.linked_alert_id,
            "reason": self.reason,
            "signals": dict(self.signals),
            "engine": self.engine,
            "modelVersion": self.model_version,
        }

    @classmethod
    def from_document(cls, doc: Mapping[str, Any] | None) -> CorrelationExplanation | None:
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
