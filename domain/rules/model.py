"""Event rules, like PagerDuty Event Orchestration: evaluated in order before
correlation; the first rule whose matchers all match applies its actions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from domain.alert.model import MAX_LABEL_VALUE, Severity
from domain.errors import ValidationError
from domain.matching import Matcher, all_match, check_matchers
from domain.store.database import Document
from domain.validation import require_slug, require_text


@dataclass(frozen=True, slots=True)
class RuleActions:
    route_to: str | None = None
    """A service name: the alert is re-routed there."""
    set_severity: Severity | None = None
    add_labels: Mapping[str, str] = field(default_factory=dict)
    suppress: bool = False

    def __post_init__(self) -> None:
        if self.route_to is not None:
            require_slug(self.route_to, field="actions.routeTo")
        if self.set_severity is not None:
            object.__setattr__(self, "set_severity", Severity(self.set_severity))
        for key, value in self.add_labels.items():
            if not key or not isinstance(value, str) or len(value) > MAX_LABEL_VALUE:
                raise ValidationError(
                    f"Label '{key}' to add must be a string.", field="actions.addLabels"
                )
        if not (self.route_to or self.set_severity or self.add_labels or self.suppress):
            raise ValidationError("A rule needs at least one action.", field="actions")

    def to_document(self) -> Document:
        return {
            "route_to": self.route_to,
            "set_severity": self.set_severity.value if self.set_severity else None,
            "add_labels": dict(self.add_labels),
            "suppress": self.suppress,
        }

    @classmethod
    def from_document(cls, doc: Document) -> RuleActions:
        severity = doc.get("set_severity")
        return cls(
            route_to=doc.get("route_to"),
            set_severity=Severity(severity) if severity else None,
            add_labels=dict(doc.get("add_labels") or {}),
            suppress=doc.get("suppress") in (True, 1),
        )


@dataclass(frozen=True, slots=True)
class RuleDraft:
    name: str
    matchers: tuple[Matcher, ...]
    actions: RuleActions
    position: int | None = None
    """Where in the order (0 first); None appends."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", require_text(self.name, field="name", max_length=200))
        check_matchers(self.matchers, require_one=True)
        if self.position is not None and self.position < 0:
            raise ValidationError("'position' must be 0 or more.", field="position")


@dataclass(frozen=True, slots=True)
class EventRule:
    id: str
    name: str
    position: int
    matchers: tuple[Matcher, ...]
    actions: RuleActions
    created_by: str
    created_at: datetime

    def matches(self, values: dict[str, str]) -> bool:
        return all_match(self.matchers, values)

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "name": self.name,
            "position": self.position,
            "matchers": [m.to_document() for m in self.matchers],
            "actions": self.actions.to_document(),
            "created_by": self.created_by,
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> EventRule:
        return cls(
            id=doc["_id"],
            name=doc["name"],
            position=int(doc["position"]),
            matchers=tuple(Matcher.from_document(m) for m in doc["matchers"]),
            actions=RuleActions.from_document(doc["actions"]),
            created_by=doc["created_by"],
            created_at=doc["created_at"],
        )
