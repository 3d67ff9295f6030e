"""A merge or split made by a person: who, when, which alerts moved from where to where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.store.database import Document
from domain.store.timestamps import from_ms, to_ms


class FeedbackKind(StrEnum):
    MERGE = "merge"
    SPLIT = "split"


@dataclass(frozen=True, slots=True)
class AlertMove:
    alert_id: str
    from_incident_id: str
    to_incident_id: str


@dataclass(frozen=True, slots=True)
class Feedback:
    id: str
    kind: FeedbackKind
    actor: str
    at: datetime
    incident_ids: tuple[str, ...]
    """Every incident the correction touched; for a merge the kept one comes first."""
    moves: tuple[AlertMove, ...]
    together_pairs: int
    """Alert pairs the correlator kept apart that the person put together (merges)."""
    apart_pairs: int
    """Alert pairs the correlator put together that the person separated (splits)."""

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "kind": self.kind.value,
            "actor": self.actor,
            "at_ms": to_ms(self.at),
            "incident_ids": list(self.incident_ids),
            "moves": [
                {"alert_id": m.alert_id, "from": m.from_incident_id, "to": m.to_incident_id}
                for m in self.moves
            ],
            "together_pairs": self.together_pairs,
            "apart_pairs": self.apart_pairs,
        }

    @classmethod
    def from_document(cls, doc: Document) -> Feedback:
        return cls(
            id=doc["_id"],
            kind=FeedbackKind(doc["kind"]),
            actor=doc["actor"],
            at=from_ms(int(doc["at_ms"])),
            incident_ids=tuple(doc.get("incident_ids") or ()),
            moves=tuple(
                AlertMove(m["alert_id"], m["from"], m["to"]) for m in doc.get("moves") or ()
            ),
            together_pairs=int(doc.get("together_pairs", 0)),
            apart_pairs=int(doc.get("apart_pairs", 0)),
        )
