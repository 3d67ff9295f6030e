"""Maintenance windows: one-off or recurring (RFC 5545 RRULE) periods of planned work.

Alerts that arrive inside a window are stored and visible but open no incident.
A recurring window repeats its first occurrence (`starts_at` to `ends_at`) at each
start the rule yields.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from dateutil.rrule import rrule, rrulestr

from domain.clock import as_utc
from domain.errors import ValidationError
from domain.matching import Matcher, all_match, check_matchers
from domain.store.database import Document
from domain.validation import require_text

MAX_DURATION = timedelta(days=31)


def _parse_rule(text: str, start: datetime) -> rrule:
    try:
        parsed = rrulestr(text, dtstart=start)
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            f"'recurrence' is not an RFC 5545 RRULE: {exc}.",
            suggestion="Write e.g. FREQ=WEEKLY;BYDAY=SU (starts come from 'startsAt').",
            field="recurrence",
        ) from None
    if not isinstance(parsed, rrule):
        raise ValidationError("'recurrence' must be a single RRULE.", field="recurrence")
    return parsed


@dataclass(frozen=True, slots=True)
class MaintenanceDraft:
    name: str
    starts_at: datetime
    ends_at: datetime
    service_ids: tuple[str, ...] = ()
    matchers: tuple[Matcher, ...] = ()
    recurrence: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", require_text(self.name, field="name", max_length=200))
        for name, moment in (("startsAt", self.starts_at), ("endsAt", self.ends_at)):
            if moment.tzinfo is None:
                raise ValidationError(f"'{name}' has no time zone.", field=name)
        # Whole seconds, as RFC 5545 counts: every occurrence then starts on the same grid.
        object.__setattr__(self, "starts_at", as_utc(self.starts_at).replace(microsecond=0))
        object.__setattr__(self, "ends_at", as_utc(self.ends_at).replace(microsecond=0))
        if self.ends_at <= self.starts_at:
            raise ValidationError("'endsAt' must be after 'startsAt'.", field="endsAt")
        if self.recurrence is not None and self.ends_at - self.starts_at > MAX_DURATION:
            raise ValidationError(
                "A recurring window may last at most 31 days each time.", field="endsAt"
            )
        check_matchers(self.matchers, require_one=False)
        if not self.service_ids and not self.matchers:
            raise ValidationError(
                "A maintenance window needs services or matchers: it would cover everything.",
                field="serviceIds",
            )
        if self.recurrence is not None:
            _parse_rule(self.recurrence, self.starts_at)


@dataclass(frozen=True, slots=True)
class MaintenanceWindow:
    id: str
    name: str
    starts_at: datetime
    ends_at: datetime
    service_ids: tuple[str, ...]
    matchers: tuple[Matcher, ...]
    recurrence: str | None
    created_by: str
    created_at: datetime

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    def occurrences(self, since: datetime, until: datetime) -> Iterator[tuple[datetime, datetime]]:
        """(start, end) of every occurrence overlapping [since, until)."""
        if self.recurrence is None:
            if self.starts_at < until and self.ends_at > since:
                yield self.starts_at, self.ends_at
            return
        rule = _parse_rule(self.recurrence, self.starts_at)
        for start in rule.xafter(since - self.duration, inc=True):
            if start >= until:
                return
            if start + self.duration > since:
                yield start, start + self.duration

    def active_at(self, moment: datetime) -> bool:
        return next(self.occurrences(moment, moment + timedelta(milliseconds=1)), None) is not None

    def covers(self, service_id: str, values: dict[str, str]) -> bool:
        in_scope = not self.service_ids or service_id in self.service_ids
        return in_scope and all_match(self.matchers, values)

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "name": self.name,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "service_ids": list(self.service_ids),
            "matchers": [m.to_document() for m in self.matchers],
            "recurrence": self.recurrence,
            "created_by": self.created_by,
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, doc: Document) -> MaintenanceWindow:
        return cls(
            id=doc["_id"],
            name=doc["name"],
            starts_at=doc["starts_at"],
            ends_at=doc["ends_at"],
            service_ids=tuple(doc.get("service_ids", ())),
            matchers=tuple(Matcher.from_document(m) for m in doc.get("matchers", ())),
            recurrence=doc.get("recurrence"),
            created_by=doc["created_by"],
            created_at=doc["created_at"],
        )
