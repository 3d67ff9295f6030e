"""Postmortems: what an incident was, as it happened, and what the team learnt from it.

Every time is stored as epoch milliseconds: documents are rewritten by ``$set``, which
the embedded store turns into naive strings for dates (domain/store/timestamps.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import InvalidTransitionError, ValidationError
from domain.incident.model import TimelineKind
from domain.store.database import Document
from domain.store.timestamps import from_ms, optional_from_ms, optional_to_ms, to_ms
from domain.validation import require_text

MAX_TITLE = 300
MAX_SECTION_BODY = 50_000
MAX_SECTION_TITLE = 120
MAX_SECTIONS = 30

STANDARD_SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("impact", "Impact"),
    ("root_cause", "Root cause"),
    ("contributing_factors", "Contributing factors"),
    ("what_went_well", "What went well"),
    ("what_went_wrong", "What went wrong"),
    ("lessons_learned", "Lessons learned"),
)
_STANDARD_TITLES = dict(STANDARD_SECTIONS)
_SECTION_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def require_section_key(key: str, *, field: str) -> str:
    if not _SECTION_KEY.fullmatch(key):
        raise ValidationError(
            f"'{field}' must be a section key (lower-case letters, digits and underscores, "
            f"starting with a letter, at most 40 characters), got {key!r}.",
            suggestion="Use a key such as 'root_cause' or 'customer_communication'.",
            field=field,
        )
    return key


class PostmortemState(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"

    @property
    def editable(self) -> bool:
        return self is not PostmortemState.PUBLISHED


_ALLOWED: dict[PostmortemState, frozenset[PostmortemState]] = {
    PostmortemState.DRAFT: frozenset({PostmortemState.IN_REVIEW}),
    PostmortemState.IN_REVIEW: frozenset({PostmortemState.DRAFT, PostmortemState.PUBLISHED}),
    PostmortemState.PUBLISHED: frozenset(),
}


def state_sources(target: PostmortemState) -> list[str]:
    """The states from which `target` may be reached."""
    return [state.value for state, targets in _ALLOWED.items() if target in targets]


def check_state_change(
    postmortem_id: str, current: PostmortemState, target: PostmortemState
) -> None:
    if target not in _ALLOWED[current]:
        raise InvalidTransitionError(
            f"Postmortem '{postmortem_id}' is {current.value}; it cannot become {target.value}.",
            suggestion="A draft goes to in_review; a postmortem in review goes back to draft "
            "or is published; a published postmortem no longer changes state.",
        )


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    body: str

    def to_document(self) -> Document:
        return {"key": self.key, "title": self.title, "body": self.body}

    @classmethod
    def from_document(cls, doc: Document) -> Section:
        return cls(key=doc["key"], title=doc["title"], body=doc["body"])


@dataclass(frozen=True, slots=True)
class SectionEdit:
    """New text for a section; a key not in the postmortem adds a section (title needed)."""

    key: str
    body: str
    title: str | None = None

    def __post_init__(self) -> None:
        require_section_key(self.key, field="key")
        object.__setattr__(
            self,
            "body",
            require_text(self.body, field="body", max_length=MAX_SECTION_BODY, allow_empty=True),
        )
        if self.title is not None:
            object.__setattr__(
                self, "title", require_text(self.title, field="title", max_length=MAX_SECTION_TITLE)
            )


def standard_sections() -> list[Section]:
    return [Section(key=key, title=title, body="") for key, title in STANDARD_SECTIONS]


def apply_edits(sections: list[Section], edits: list[SectionEdit]) -> list[Section]:
    """Sections after `edits`: matching keys are rewritten, new keys are appended in order."""
    result = list(sections)
    for index, edit in enumerate(edits):
        position = next((i for i, s in enumerate(result) if s.key == edit.key), None)
        if position is not None:
            current = result[position]
            result[position] = Section(current.key, edit.title or current.title, edit.body)
            continue
        title = edit.title or _STANDARD_TITLES.get(edit.key)
        if title is None:
            raise ValidationError(
                f"sections[{index}]: section '{edit.key}' does not exist; a new section "
                "needs a title.",
                suggestion="Send 'title' with the new section, or use an existing key.",
                field=f"sections[{index}].title",
            )
        result.append(Section(edit.key, title, edit.body))
    if len(result) > MAX_SECTIONS:
        raise ValidationError(
            f"A postmortem has at most {MAX_SECTIONS} sections.",
            suggestion="Merge related sections.",
            field="sections",
        )
    return result


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """A copy of one incident timeline entry, taken when the postmortem was created."""

    at: datetime
    kind: TimelineKind
    actor: str
    message: str

    def to_document(self) -> Document:
        return {
            "at_ms": to_ms(self.at),
            "kind": self.kind.value,
            "actor": self.actor,
            "message": self.message,
        }

    @classmethod
    def from_document(cls, doc: Document) -> TimelineItem:
        return cls(
            at=from_ms(doc["at_ms"]),
            kind=TimelineKind(doc["kind"]),
            actor=doc["actor"],
            message=doc["message"],
        )


@dataclass(frozen=True, slots=True)
class AlertItem:
    id: str
    summary: str
    service: str
    severity: str
    occurred_at: datetime
    resolved_at: datetime | None
    count: int

    def to_document(self) -> Document:
        return {
            "id": self.id,
            "summary": self.summary,
            "service": self.service,
            "severity": self.severity,
            "occurred_ms": to_ms(self.occurred_at),
            "resolved_ms": optional_to_ms(self.resolved_at),
            "count": self.count,
        }

    @classmethod
    def from_document(cls, doc: Document) -> AlertItem:
        return cls(
            id=doc["id"],
            summary=doc["summary"],
            service=doc["service"],
            severity=doc["severity"],
            occurred_at=from_ms(doc["occurred_ms"]),
            resolved_at=optional_from_ms(doc.get("resolved_ms")),
            count=int(doc["count"]),
        )


@dataclass(frozen=True, slots=True)
class Responder:
    user_id: str | None
    """None when the timeline named someone who is no longer a user."""
    name: str
    involvement: tuple[str, ...]
    """What they did, e.g. 'acknowledged', 'wrote a note', 'role: commander'."""

    def to_document(self) -> Document:
        return {"user_id": self.user_id, "name": self.name, "involvement": list(self.involvement)}

    @classmethod
    def from_document(cls, doc: Document) -> Responder:
        return cls(
            user_id=doc.get("user_id"),
            name=doc["name"],
            involvement=tuple(doc.get("involvement") or ()),
        )


@dataclass(frozen=True, slots=True)
class Metrics:
    opened_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime
    impact_start: datetime
    """Event time of the incident's first alert."""

    @property
    def impact_end(self) -> datetime:
        return self.resolved_at

    @property
    def time_to_acknowledge(self) -> timedelta | None:
        return None if self.acknowledged_at is None else self.acknowledged_at - self.opened_at

    @property
    def time_to_resolve(self) -> timedelta:
        return self.resolved_at - self.opened_at

    @property
    def impact_duration(self) -> timedelta:
        # A monitor's clock may run ahead of ours: never report a negative impact.
        return max(self.impact_end - self.impact_start, timedelta(0))

    def to_document(self) -> Document:
        return {
            "opened_ms": to_ms(self.opened_at),
            "acknowledged_ms": optional_to_ms(self.acknowledged_at),
            "resolved_ms": to_ms(self.resolved_at),
            "impact_start_ms": to_ms(self.impact_start),
        }

    @classmethod
    def from_document(cls, doc: Document) -> Metrics:
        return cls(
            opened_at=from_ms(doc["opened_ms"]),
            acknowledged_at=optional_from_ms(doc.get("acknowledged_ms")),
            resolved_at=from_ms(doc["resolved_ms"]),
            impact_start=from_ms(doc["impact_start_ms"]),
        )


@dataclass(frozen=True, slots=True)
class Postmortem:
    id: str
    incident_id: str
    incident_number: int
    incident_title: str
    title: str
    state: PostmortemState
    template_id: str | None
    sections: tuple[Section, ...]
    timeline: tuple[TimelineItem, ...]
    alerts: tuple[AlertItem, ...]
    responders: tuple[Responder, ...]
    metrics: Metrics
    created_at: datetime
    created_by: str
    updated_at: datetime
    published_at: datetime | None = None

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "incident_id": self.incident_id,
            "incident_number": self.incident_number,
            "incident_title": self.incident_title,
            "title": self.title,
            "state": self.state.value,
            "template_id": self.template_id,
            "sections": [s.to_document() for s in self.sections],
            "timeline": [t.to_document() for t in self.timeline],
            "alerts": [a.to_document() for a in self.alerts],
            "responders": [r.to_document() for r in self.responders],
            "metrics": self.metrics.to_document(),
            "created_ms": to_ms(self.created_at),
            "created_by": self.created_by,
            "updated_ms": to_ms(self.updated_at),
            "published_ms": optional_to_ms(self.published_at),
        }

    @classmethod
    def from_document(cls, doc: Document) -> Postmortem:
        return cls(
            id=doc["_id"],
            incident_id=doc["incident_id"],
            incident_number=int(doc["incident_number"]),
            incident_title=doc["incident_title"],
            title=doc["title"],
            state=PostmortemState(doc["state"]),
            template_id=doc.get("template_id"),
            sections=tuple(Section.from_document(s) for s in doc["sections"]),
            timeline=tuple(TimelineItem.from_document(t) for t in doc["timeline"]),
            alerts=tuple(AlertItem.from_document(a) for a in doc["alerts"]),
            responders=tuple(Responder.from_document(r) for r in doc["responders"]),
            metrics=Metrics.from_document(doc["metrics"]),
            created_at=from_ms(doc["created_ms"]),
            created_by=doc["created_by"],
            updated_at=from_ms(doc["updated_ms"]),
            published_at=optional_from_ms(doc.get("published_ms")),
        )


def require_title(title: str) -> str:
    return require_text(title, field="title", max_length=MAX_TITLE)


@dataclass(frozen=True, slots=True)
class PostmortemEdit:
    """Fields left None stay as they are."""

    title: str | None = None
    sections: tuple[SectionEdit, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.title is not None:
            object.__setattr__(self, "title", require_title(self.title))
