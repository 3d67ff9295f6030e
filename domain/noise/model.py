"""Why an alert opened no incident."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.store.database import Document


class SuppressionKind(StrEnum):
    RULE = "rule"
    SILENCE = "silence"
    MAINTENANCE = "maintenance"


@dataclass(frozen=True, slots=True)
class Suppression:
    kind: SuppressionKind
    id: str
    name: str

    def to_document(self) -> Document:
        return {"kind": self.kind.value, "id": self.id, "name": self.name}

    @classmethod
    def from_document(cls, doc: Document | None) -> Suppression | None:
        if not doc:
            return None
        return cls(SuppressionKind(doc["kind"]), doc["id"], doc["name"])
