"""Pinned notes and a narrowed view of an incident's timeline."""

from __future__ import annotations

from dataclasses import dataclass

from domain.auth import Action, Principal
from domain.clock import Clock
from domain.errors import NotFoundError, ValidationError
from domain.events import IncidentEventKind
from domain.incident.model import TimelineEntry, TimelineKind
from domain.incident.recorder import Change, TimelineRecorder
from domain.incident.service import IncidentDesk
from domain.response.repository import ResponseRepository
from domain.store.database import Document
from domain.store.pagination import Page, PageRequest
from domain.store.timestamps import to_ms

PINNABLE = frozenset({TimelineKind.NOTE_ADDED})
EXCERPT = 80


@dataclass(frozen=True, slots=True)
class TimelineFilter:
    kinds: tuple[TimelineKind, ...] = ()
    pinned_only: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "kinds", tuple(TimelineKind(k) for k in self.kinds))

    def admits(self, kind: TimelineKind) -> bool:
        """Whether an unpinned entry of this kind passes (as `to_query` would have it)."""
        return not self.pinned_only and (not self.kinds or kind in self.kinds)

    def to_query(self) -> Document:
        query: Document = {}
        if self.kinds:
            query["kind"] = {"$in": [kind.value for kind in self.kinds]}
        if self.pinned_only:
            query["pinned"] = "yes"
        return query


class TimelinePins:
    def __init__(
        self,
        *,
        repository: ResponseRepository,
        desk: IncidentDesk,
        recorder: TimelineRecorder,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._desk = desk
        self._recorder = recorder
        self._clock = clock

    async def page(
        self, principal: Principal, incident_id: str, where: TimelineFilter, page: PageRequest
    ) -> Page[TimelineEntry]:
        """Oldest first, as the whole timeline, keeping only the entries `where` wants."""
        await self._desk.require(principal, Action.READ, incident_id)
        return await self._repository.timeline_page(
            incident_id, where.to_query(), page, with_opening=where.admits(TimelineKind.OPENED)
        )

    async def pin(self, principal: Principal, entry_id: str, pinned: bool) -> TimelineEntry:
        """Pin (or unpin) a note; doing what is already done changes nothing."""
        principal.require(Action.READ)
        entry = await self._repository.entry(entry_id)
        if entry is None:
            raise NotFoundError(f"No timeline entry with id '{entry_id}'.", field="id")
        incident = await self._desk.require(principal, Action.RESPOND, entry.incident_id)
        if entry.kind not in PINNABLE:
            raise ValidationError(
                f"Timeline entry '{entry_id}' is {entry.kind.value}; only notes can be pinned.",
                suggestion="Add a note that says what matters, and pin the note.",
                field="id",
            )
        if (entry.pinned_at is not None) == pinned:
            return entry
        now = self._clock.now()
        changes: Document = (
            {"pinned": "yes", "pinned_ms": to_ms(now), "pinned_by": principal.actor}
            if pinned
            else {"pinned": "no", "pinned_ms": None, "pinned_by": None}
        )
        changed = await self._repository.set_pin(entry_id, changes)
        if changed is None:
            raise NotFoundError(f"No timeline entry with id '{entry_id}'.", field="id")
        excerpt = entry.message if len(entry.message) <= EXCERPT else entry.message[:EXCERPT] + "…"
        change = Change(
            TimelineKind.NOTE_PINNED if pinned else TimelineKind.NOTE_UNPINNED,
            IncidentEventKind.NOTE_PINNED if pinned else IncidentEventKind.NOTE_UNPINNED,
            f"{'Pinned' if pinned else 'Unpinned'} a note: {excerpt}",
            {"entry_id": entry_id},
        )
        await self._recorder.record(incident, change, principal.actor)
        return changed
