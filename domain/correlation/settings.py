"""Correlation settings as people tune them: which engine, its window, its threshold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from correlation.time_window import DEFAULT_WINDOW
from domain.errors import ValidationError
from domain.store.database import Document

MAX_WINDOW_SECONDS = 86400


class EngineKind(StrEnum):
    WINDOW = "window"
    LEARNED = "learned"


@dataclass(frozen=True, slots=True)
class CorrelationSettings:
    engine: EngineKind
    window_seconds: int
    """The time window of the `window` engine."""
    threshold: float | None = None
    """The learned engine's decision threshold; None: the model's own."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "engine", EngineKind(self.engine))
        if not 1 <= self.window_seconds <= MAX_WINDOW_SECONDS:
            raise ValidationError(
                f"'windowSeconds' must be between 1 and {MAX_WINDOW_SECONDS}, "
                f"got {self.window_seconds}.",
                field="windowSeconds",
            )
        if self.threshold is not None and not 0.0 < self.threshold < 1.0:
            raise ValidationError(
                f"'threshold' must be between 0 and 1 (exclusive), got {self.threshold}.",
                suggestion="A probability: higher joins fewer alerts into open incidents.",
                field="threshold",
            )

    def to_document(self) -> Document:
        return {
            "engine": self.engine.value,
            "window_seconds": self.window_seconds,
            "threshold": self.threshold,
        }

    @classmethod
    def from_document(cls, doc: Document) -> CorrelationSettings:
        threshold = doc.get("threshold")
        return cls(
            engine=EngineKind(doc["engine"]),
            window_seconds=int(doc["window_seconds"]),
            threshold=float(threshold) if threshold is not None else None,
        )


@dataclass(frozen=True, slots=True)
class SettingsChange:
    id: str
    actor: str
    at: datetime
    old: CorrelationSettings
    new: CorrelationSettings


DEFAULT_SETTINGS = CorrelationSettings(EngineKind.LEARNED, int(DEFAULT_WINDOW.total_seconds()))
