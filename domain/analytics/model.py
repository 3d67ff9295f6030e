"""What a report asks for (a period and a grouping) and what it answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.clock import as_utc
from domain.errors import ValidationError

MAX_RANGE = timedelta(days=366)
"""A year, leap day included: enough for yearly reviews, small enough to read in one go."""


class Grouping(StrEnum):
    SERVICE = "service"
    TEAM = "team"
    """The services' `team` slug (issue 7 turns it into real team ownership)."""
    DAY = "day"
    WEEK = "week"
    """ISO weeks, Monday to Monday."""
    MONTH = "month"

    @property
    def is_time(self) -> bool:
        return self in (Grouping.DAY, Grouping.WEEK, Grouping.MONTH)


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """[start, end): what happened at or after `start` and before `end`, in UTC."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        for name, moment in (("from", self.start), ("until", self.end)):
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValidationError(
                    f"'{name}' has no time zone.",
                    suggestion="Send ISO 8601 with an offset, e.g. 2026-11-01T00:00:00Z.",
                    field=name,
                )
        object.__setattr__(self, "start", as_utc(self.start))
        object.__setattr__(self, "end", as_utc(self.end))
        if self.start >= self.end:
            raise ValidationError(
                f"'from' ({self.start.isoformat()}) must be earlier than 'until' "
                f"({self.end.isoformat()}).",
                suggestion="Swap the two, or move 'until' after 'from': the period is "
                "[from, until).",
                field="until",
            )
        if self.end - self.start > MAX_RANGE:
            raise ValidationError(
                f"The period covers {(self.end - self.start).days} days; at most "
                f"{MAX_RANGE.days} are allowed.",
                suggestion="Ask for a year or less at a time, and combine several reports "
                "for longer spans.",
                field="until",
            )


@dataclass(frozen=True, slots=True)
class DurationStats:
    """How long something took, over the incidents where it happened (seconds)."""

    count: int
    mean_s: float
    median_s: float
    p90_s: float
    """Nearest rank: the smallest duration that at least 90% of the samples do not exceed."""


@dataclass(frozen=True, slots=True)
class Figures:
    """The figures of one group, or of the whole period.

    Incidents count by creation time, alerts by first receipt, both within the period.
    MTTA and MTTR are measured as of when the report is made: an incident created in
    the period and acknowledged after its end still counts its acknowledgement. An
    incident never acknowledged (still triggered, or resolved without one) is left out
    of MTTA and counted in `unacknowledged`; one not resolved yet is left out of MTTR
    and counted in `unresolved`, so slow open incidents cannot hide in the means.
    """

    incidents: int
    alerts: int
    acknowledged: int
    unacknowledged: int
    resolved: int
    unresolved: int
    mtta: DurationStats | None
    """Creation to acknowledgement; None when no incident was acknowledged."""
    mttr: DurationStats | None
    """Creation to resolution; None when no incident was resolved."""

    @property
    def noise_reduction(self) -> float | None:
        """1 - incidents/alerts: the share of alerts that did not become an incident of
        their own. None without alerts."""
        return None if self.alerts == 0 else 1 - self.incidents / self.alerts


@dataclass(frozen=True, slots=True)
class GroupFigures:
    key: str | None
    """Service id, team slug (None: services without a team), or the bucket's start."""
    label: str
    figures: Figures
    starts_at: datetime | None = None
    """Time buckets only: the bucket, cut to the period."""
    ends_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SourceShare:
    """Alerts from one source or service, and their share of all alerts in the period."""

    name: str
    alerts: int
    share: float


@dataclass(frozen=True, slots=True)
class PersonLoad:
    """Pages one person got in the period, and how many fell into their own evening,
    night or weekend (in their time zone)."""

    user_id: str
    name: str
    time_zone: str
    pages: int
    incidents: int
    """Distinct incidents the pages were about."""
    outside_working_hours: int
    """Not Monday to Friday 09:00-18:00 local time."""
    sleep_hours: int
    """Between 22:00 and 07:00 local time (a subset of outside working hours)."""


@dataclass(frozen=True, slots=True)
class Report:
    period: ReportPeriod
    grouping: Grouping
    totals: Figures
    groups: list[GroupFigures]
    over_time: list[GroupFigures]
    """Per time bucket: the grouping's own buckets, else days, weeks or months by length."""
    over_time_grouping: Grouping
    noisy_sources: list[SourceShare]
    noisy_services: list[SourceShare]
    on_call: list[PersonLoad]
