"""Which entries a narrowed timeline admits, for the opening kept on the incident."""

from __future__ import annotations

from domain.incident.model import TimelineKind
from domain.response.timeline import TimelineFilter


def test_the_whole_timeline_and_a_filter_naming_its_kind_admit_the_opening() -> None:
    assert TimelineFilter().admits(TimelineKind.OPENED)
    assert TimelineFilter(kinds=(TimelineKind.OPENED,)).admits(TimelineKind.OPENED)


def test_other_kinds_and_pinned_notes_only_leave_the_opening_out() -> None:
    assert not TimelineFilter(kinds=(TimelineKind.NOTE_ADDED,)).admits(TimelineKind.OPENED)
    assert not TimelineFilter(pinned_only=True).admits(TimelineKind.OPENED)
