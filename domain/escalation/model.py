"""Escalation policies: who is paged, in which order, and how long each step is given.

Steps follow PagerDuty's arithmetic: step 1 fires when the incident triggers, and
each step's ``escalate_after`` is how long it is given before the next one fires
(after the last step: before the policy starts again, while repeats remain). So
"step 1 after 0 minutes, step 2 after N minutes" is step 1 with
``escalate_after`` = N minutes. A policy runs ``repeats + 1`` cycles in all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import ValidationError
from domain.store.database import Document
from domain.validation import require_slug, require_text

MAX_STEPS = 20
MAX_TARGETS = 50
MAX_REPEATS = 9
MIN_ESCALATE_AFTER = timedelta(seconds=1)
MAX_ESCALATE_AFTER = timedelta(days=7)


class TargetKind(StrEnum):
    USER = "user"
    SCHEDULE = "schedule"
    """Whoever is on call on the schedule when the step fires."""


@dataclass(frozen=True, slots=True)
class Target:
    kind: TargetKind
    id: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", TargetKind(self.kind))
        if not self.id.strip():
            raise ValidationError("A target needs the id of a user or schedule.", field="id")

    def to_document(self) -> Document:
        return {"kind": self.kind.value, "id": self.id}

    @classmethod
    def from_document(cls, doc: Document) -> Target:
        return cls(kind=TargetKind(doc["kind"]), id=doc["id"])


@dataclass(frozen=True, slots=True)
class Step:
    targets: tuple[Target, ...]
    escalate_after: timedelta
    """How long this step is given before the next step (or the next cycle) fires."""

    def __post_init__(self) -> None:
        if not self.targets:
            raise ValidationError(
                "A step needs at least one target.",
                suggestion="Add a user or a schedule to the step, or remove the step.",
                field="targets",
            )
        if len(self.targets) > MAX_TARGETS:
            raise ValidationError(
                f"A step may have at most {MAX_TARGETS} targets.", field="targets"
            )
        # Naming the same target twice would page its person twice per step.
        object.__setattr__(self, "targets", tuple(dict.fromkeys(self.targets)))
        if not MIN_ESCALATE_AFTER <= self.escalate_after <= MAX_ESCALATE_AFTER:
            raise ValidationError(
                "'escalateAfterMinutes' must be between 1 second (about 0.017) and "
                f"7 days (10080), got {self.escalate_after.total_seconds() / 60:g}.",
                suggestion="PagerDuty's usual value is 30 minutes.",
                field="escalateAfterMinutes",
            )

    def to_document(self) -> Document:
        return {
            "targets": [t.to_document() for t in self.targets],
            "escalate_after_ms": int(self.escalate_after.total_seconds() * 1000),
        }

    @classmethod
    def from_document(cls, doc: Document) -> Step:
        return cls(
            targets=tuple(Target.from_document(t) for t in doc["targets"]),
            escalate_after=timedelta(milliseconds=int(doc["escalate_after_ms"])),
        )


@dataclass(frozen=True, slots=True)
class Position:
    """Where a run stands: 1-based cycle and step."""

    cycle: int
    step: int


@dataclass(frozen=True, slots=True)
class Plan:
    """The steps and repeats a run follows: a policy's, or one made up on reassignment."""

    steps: tuple[Step, ...]
    repeats: int = 0

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValidationError("A policy needs at least one step.", field="steps")
        if len(self.steps) > MAX_STEPS:
            raise ValidationError(f"A policy may have at most {MAX_STEPS} steps.", field="steps")
        if not 0 <= self.repeats <= MAX_REPEATS:
            raise ValidationError(
                f"'repeats' must be between 0 and {MAX_REPEATS}, got {self.repeats}.",
                suggestion="0 runs the steps once; 2 runs them three times.",
                field="repeats",
            )

    def step(self, position: Position) -> Step:
        return self.steps[position.step - 1]

    def after(self, position: Position) -> Position | None:
        """The position that follows ``position``; None once the last cycle is done."""
        if position.step < len(self.steps):
            return Position(position.cycle, position.step + 1)
        if position.cycle <= self.repeats:
            return Position(position.cycle + 1, 1)
        return None

    def next_due(
        self, position: Position, due: datetime, fired: datetime, *, paged_anyone: bool
    ) -> datetime:
        """When the step after ``position`` fires: the step was due at ``due`` and fired
        at ``fired``.

        Counted from the later of the two, so a step fired late (after a restart) still
        gets its whole time before the next; a step that paged nobody is skipped at once
        rather than waited out.
        """
        start = max(due, fired)
        return start + self.step(position).escalate_after if paged_anyone else start

    def to_document(self) -> Document:
        return {"steps": [s.to_document() for s in self.steps], "repeats": self.repeats}

    @classmethod
    def from_document(cls, doc: Document) -> Plan:
        return cls(
            steps=tuple(Step.from_document(s) for s in doc["steps"]),
            repeats=int(doc.get("repeats", 0)),
        )


@dataclass(frozen=True, slots=True)
class PolicyDraft:
    """A policy as requested, validated on construction."""

    name: str
    plan: Plan
    description: str = ""
    team: str | None = None
    """On create: the owning team; on update: the team to move to (None: stays)."""
    clear_team: bool = False
    """On update: give the policy to no team."""

    def __post_init__(self) -> None:
        if self.team is not None:
            require_slug(self.team, field="team")
        object.__setattr__(self, "name", require_text(self.name, field="name", max_length=200))
        object.__setattr__(
            self,
            "description",
            require_text(self.description, field="description", max_length=2000, allow_empty=True),
        )

    def new_team(self, current: str | None) -> str | None:
        return None if self.clear_team else (self.team or current)


@dataclass(frozen=True, slots=True)
class EscalationPolicy:
    id: str
    name: str
    description: str
    plan: Plan
    created_at: datetime
    team: str | None = None
    """The owning team's slug: its roles govern the policy; None: the global roles do."""

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "name": self.name,
            "description": self.description,
            "created_at": self.created_at,
            "team": self.team,
            **self.plan.to_document(),
        }

    @classmethod
    def from_document(cls, doc: Document) -> EscalationPolicy:
        return cls(
            id=doc["_id"],
            name=doc["name"],
            description=doc.get("description", ""),
            plan=Plan.from_document(doc),
            created_at=doc["created_at"],
            team=doc.get("team"),
        )

    def user_ids(self) -> set[str]:
        return {t.id for s in self.plan.steps for t in s.targets if t.kind is TargetKind.USER}

    def schedule_ids(self) -> set[str]:
        return {t.id for s in self.plan.steps for t in s.targets if t.kind is TargetKind.SCHEDULE}
