"""An escalation run: one incident walking through one plan, with its durable timer.

A run is its own timer: ``due_ms`` is when its next step fires. Workers claim a due
run by setting a lease (owner and expiry) atomically; a worker that dies holding one
only delays the step until the lease expires. What a fired step decided (who was
paged) is written once per (run, cycle, step) as a :class:`FiredStep`, so a step
re-tried after a crash or an expired lease pages the same people under the same
keys and adds nothing twice to the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.escalation.model import Plan, Position
from domain.store.database import Document
from domain.store.timestamps import from_ms, to_ms


class RunState(StrEnum):
    ACTIVE = "active"
    STOPPED = "stopped"
    """Acknowledged, resolved, or replaced by a reassignment."""
    EXHAUSTED = "exhausted"
    """Every step of every cycle fired and nobody acknowledged."""


@dataclass(frozen=True, slots=True)
class EscalationRun:
    id: str
    incident_id: str
    generation: int
    """1 for the run the incident started with; each reassignment adds one."""
    policy_id: str | None
    """None when reassigned to people directly."""
    plan: Plan
    state: RunState
    position: Position
    """The next step to fire (while active), or the last one that fired."""
    due_at: datetime
    started_at: datetime
    stopped_reason: str | None = None

    @property
    def run_key(self) -> str:
        return f"{self.incident_id}#{self.generation}"

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "incident_id": self.incident_id,
            "generation": self.generation,
            # Unique: starting the same generation twice (publisher and sweep) keeps one.
            "run_key": self.run_key,
            "policy_id": self.policy_id,
            "plan": self.plan.to_document(),
            "state": self.state.value,
            "cycle": self.position.cycle,
            "step": self.position.step,
            "due_ms": to_ms(self.due_at),
            "started_ms": to_ms(self.started_at),
            "lease_owner": None,
            "lease_until_ms": 0,
            "stopped_reason": self.stopped_reason,
        }

    @classmethod
    def from_document(cls, doc: Document) -> EscalationRun:
        return cls(
            id=doc["_id"],
            incident_id=doc["incident_id"],
            generation=int(doc["generation"]),
            policy_id=doc.get("policy_id"),
            plan=Plan.from_document(doc["plan"]),
            state=RunState(doc["state"]),
            position=Position(int(doc["cycle"]), int(doc["step"])),
            due_at=from_ms(int(doc["due_ms"])),
            started_at=from_ms(int(doc["started_ms"])),
            stopped_reason=doc.get("stopped_reason"),
        )


@dataclass(frozen=True, slots=True)
class FiredStep:
    """What one step of one run decided, written once."""

    run_id: str
    position: Position
    user_ids: tuple[str, ...]
    timeline_id: str
    """Chosen with the decision, so a retried step cannot add a second timeline entry."""
    fired_at: datetime
    fired_by: str
    """The worker that decided it (figures on how the work spread)."""

    @property
    def key(self) -> str:
        return f"{self.run_id}:{self.position.cycle}:{self.position.step}"

    def page_key(self, user_id: str) -> str:
        return f"{self.key}:{user_id}"

    def to_document(self) -> Document:
        return {
            "_id": self.key,
            "run_id": self.run_id,
            "cycle": self.position.cycle,
            "step": self.position.step,
            "user_ids": list(self.user_ids),
            "timeline_id": self.timeline_id,
            "fired_ms": to_ms(self.fired_at),
            "fired_by": self.fired_by,
        }

    @classmethod
    def from_document(cls, doc: Document) -> FiredStep:
        return cls(
            run_id=doc["run_id"],
            position=Position(int(doc["cycle"]), int(doc["step"])),
            user_ids=tuple(doc["user_ids"]),
            timeline_id=doc["timeline_id"],
            fired_at=from_ms(int(doc["fired_ms"])),
            fired_by=doc.get("fired_by", ""),
        )
