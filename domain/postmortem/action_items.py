"""Action items: the follow-up work a postmortem commits to, tracked across incidents.

Due dates are stored as ISO strings (YYYY-MM-DD): they sort and compare as text on
both stores, so "overdue" is one range filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from domain.errors import ValidationError
from domain.store.database import Document
from domain.store.timestamps import from_ms, to_ms
from domain.validation import require_text

MAX_TITLE = 300
MAX_LINKED_INCIDENTS = 50


class ActionItemStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    WONT_DO = "wont_do"

    @property
    def pending(self) -> bool:
        return self in (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS)


PENDING_STATUSES = [s.value for s in ActionItemStatus if s.pending]


def _linked(ids: tuple[str, ...]) -> tuple[str, ...]:
    unique = tuple(dict.fromkeys(ids))
    if len(unique) > MAX_LINKED_INCIDENTS:
        raise ValidationError(
            f"An action item links at most {MAX_LINKED_INCIDENTS} incidents.",
            field="linkedIncidentIds",
        )
    return unique


@dataclass(frozen=True, slots=True)
class ActionItem:
    id: str
    postmortem_id: str
    incident_id: str
    """The incident of its postmortem."""
    linked_incident_ids: tuple[str, ...]
    """Other incidents the same work addresses."""
    title: str
    owner_id: str
    due_on: date | None
    status: ActionItemStatus
    created_at: datetime
    updated_at: datetime

    def overdue(self, today: date) -> bool:
        return self.status.pending and self.due_on is not None and self.due_on < today

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "postmortem_id": self.postmortem_id,
            "incident_id": self.incident_id,
            "linked_incident_ids": list(self.linked_incident_ids),
            "title": self.title,
            "owner_id": self.owner_id,
            "due_on": None if self.due_on is None else self.due_on.isoformat(),
            "status": self.status.value,
            "created_ms": to_ms(self.created_at),
            "updated_ms": to_ms(self.updated_at),
        }

    @classmethod
    def from_document(cls, doc: Document) -> ActionItem:
        due = doc.get("due_on")
        return cls(
            id=doc["_id"],
            postmortem_id=doc["postmortem_id"],
            incident_id=doc["incident_id"],
            linked_incident_ids=tuple(doc.get("linked_incident_ids") or ()),
            title=doc["title"],
            owner_id=doc["owner_id"],
            due_on=None if due is None else date.fromisoformat(due),
            status=ActionItemStatus(doc["status"]),
            created_at=from_ms(doc["created_ms"]),
            updated_at=from_ms(doc["updated_ms"]),
        )


@dataclass(frozen=True, slots=True)
class ActionItemDraft:
    title: str
    owner_id: str
    due_on: date | None = None
    status: ActionItemStatus = ActionItemStatus.OPEN
    linked_incident_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "title", require_text(self.title, field="title", max_length=MAX_TITLE)
        )
        object.__setattr__(self, "status", ActionItemStatus(self.status))
        object.__setattr__(self, "linked_incident_ids", _linked(self.linked_incident_ids))


@dataclass(frozen=True, slots=True)
class ActionItemChange:
    """Fields left None stay as they are; `clear_due` removes the due date."""

    title: str | None = None
    owner_id: str | None = None
    due_on: date | None = None
    clear_due: bool = False
    status: ActionItemStatus | None = None
    linked_incident_ids: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.title is not None:
            object.__setattr__(
                self, "title", require_text(self.title, field="title", max_length=MAX_TITLE)
            )
        if self.status is not None:
            object.__setattr__(self, "status", ActionItemStatus(self.status))
        if self.linked_incident_ids is not None:
            object.__setattr__(self, "linked_incident_ids", _linked(self.linked_incident_ids))
        if self.clear_due and self.due_on is not None:
            raise ValidationError("Either set a due date or clear it, not both.", field="dueDate")

    def applied_to(self, item: ActionItem, now: datetime) -> ActionItem:
        return ActionItem(
            id=item.id,
            postmortem_id=item.postmortem_id,
            incident_id=item.incident_id,
            linked_incident_ids=item.linked_incident_ids
            if self.linked_incident_ids is None
            else self.linked_incident_ids,
            title=self.title or item.title,
            owner_id=self.owner_id or item.owner_id,
            due_on=None if self.clear_due else (self.due_on or item.due_on),
            status=self.status or item.status,
            created_at=item.created_at,
            updated_at=now,
        )


@dataclass(frozen=True, slots=True)
class ActionItemFilter:
    owner_id: str | None = None
    statuses: tuple[ActionItemStatus, ...] = ()
    overdue: bool | None = None
    """True: pending items due before today; False: the others."""
    incident_id: str | None = None
    """Items of this incident's postmortem or linked to this incident."""
    postmortem_id: str | None = None

    def to_query(self, today: date) -> Document:
        clauses: list[Document] = []
        if self.owner_id is not None:
            clauses.append({"owner_id": self.owner_id})
        if self.statuses:
            clauses.append({"status": {"$in": [ActionItemStatus(s).value for s in self.statuses]}})
        if self.postmortem_id is not None:
            clauses.append({"postmortem_id": self.postmortem_id})
        if self.incident_id is not None:
            clauses.append(
                {
                    "$or": [
                        {"incident_id": self.incident_id},
                        {"linked_incident_ids": self.incident_id},
                    ]
                }
            )
        overdue: Document = {
            "status": {"$in": PENDING_STATUSES},
            "due_on": {"$ne": None, "$lt": today.isoformat()},
        }
        if self.overdue is True:
            clauses.append(overdue)
        elif self.overdue is False:
            clauses.append({"$nor": [overdue]})
        if not clauses:
            return {}
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}
