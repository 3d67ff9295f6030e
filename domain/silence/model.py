"""Silences, as in Alertmanager: matching alerts are stored and marked, and page nobody."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.clock import as_utc
from domain.errors import ValidationError
from domain.matching import Matcher, all_match, check_matchers
from domain.store.database import Document
from domain.validation import require_text


@dataclass(frozen=True, slots=True)
class SilenceDraft:
    matchers: tuple[Matcher, ...]
    starts_at: datetime
    ends_at: datetime
    comment: str

    def __post_init__(self) -> None:
        check_matchers(self.matchers, require_one=True)
        for name, moment in (("startsAt", self.starts_at), ("endsAt", self.ends_at)):
            if moment.tzinfo is None:
                raise ValidationError(f"'{name}' has no time zone.", field=name)
        object.__setattr__(self, "starts_at", as_utc(self.starts_at))
        object.__setattr__(self, "ends_at", as_utc(self.ends_at))
        if self.ends_at <= self.starts_at:
            raise ValidationError("'endsAt' must be after 'startsAt'.", field="endsAt")
        object.__setattr__(
            self, "comment", require_text(self.comment, field="comment", max_length=2000)
        )


@dataclass(frozen=True, slots=True)
class Silence:
    id: str
    matchers: tuple[Matcher, ...]
    starts_at: datetime
    ends_at: datetime
    comment: str
    created_by: str
    created_at: datetime

    def active_at(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at

    def silences(self, values: dict[str, str]) -> bool:
        return all_match(self.matchers, values)

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "matchers": [m.to_document() for m in self.matchers],
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "comment": self.comment,
            "created_by": self.created_by,
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> Silence:
        return cls(
            id=doc["_id"],
            matchers=tuple(Matcher.from_document(m) for m in doc["matchers"]),
            starts_at=doc["starts_at"],
            ends_at=doc["ends_at"],
            comment=doc["comment"],
            created_by=doc["created_by"],
            created_at=doc["created_at"],
        )
