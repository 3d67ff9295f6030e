"""The Markdown export holds every part of the postmortem, times in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from domain.incident.model import TimelineKind
from domain.postmortem.action_items import ActionItem, ActionItemStatus
from domain.postmortem.markdown import duration, render, utc
from domain.postmortem.model import (
    AlertItem,
    Metrics,
    Postmortem,
    PostmortemState,
    Responder,
    Section,
    TimelineItem,
)

T0 = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
PARIS = timezone(timedelta(hours=1))


def postmortem() -> Postmortem:
    return Postmortem(
        id="p1",
        incident_id="i1",
        incident_number=7,
        incident_title="checkout down",
        title="Postmortem: #7 checkout down",
        state=PostmortemState.PUBLISHED,
        template_id=None,
        sections=(
            Section("summary", "Summary", "Checkout failed for 30 minutes."),
            Section("impact", "Impact", ""),
        ),
        timeline=(
            TimelineItem(T0, TimelineKind.OPENED, "system:ingest", "Opened by 5xx | errors."),
            TimelineItem(
                # An aware time in another zone is still written in UTC.
                (T0 + timedelta(minutes=2)).astimezone(PARIS),
                TimelineKind.NOTE_ADDED,
                "user:ann",
                "rolled back\nerrors gone",
            ),
        ),
        alerts=(AlertItem("a1", "5xx | rate", "checkout", "critical", T0, None, 3),),
        responders=(Responder("u1", "ann", ("acknowledged", "wrote a note")),),
        metrics=Metrics(
            opened_at=T0,
            acknowledged_at=T0 + timedelta(minutes=1, seconds=5),
            resolved_at=T0 + timedelta(minutes=30),
            impact_start=T0 - timedelta(minutes=1),
        ),
        created_at=T0 + timedelta(hours=1),
        created_by="user:ann",
        updated_at=T0 + timedelta(hours=2),
        published_at=T0 + timedelta(hours=2),
    )


def test_durations_and_times_read_plainly() -> None:
    assert duration(timedelta(0)) == "0s"
    assert duration(timedelta(minutes=1, seconds=5)) == "1m 5s"
    assert duration(timedelta(days=1, seconds=1)) == "1d 0h 0m 1s"
    assert utc(T0.astimezone(PARIS)) == "2026-11-26 10:00:00 UTC"


def test_the_export_holds_metrics_sections_timeline_alerts_responders_and_items() -> None:
    item = ActionItem(
        id="x1",
        postmortem_id="p1",
        incident_id="i1",
        linked_incident_ids=("i9",),
        title="Alert on disk | inode use",
        owner_id="u1",
        due_on=date(2026, 12, 1),
        status=ActionItemStatus.IN_PROGRESS,
        created_at=T0,
        updated_at=T0,
    )
    text = render(postmortem(), [item], user_names={"u1": "ann"}, incident_numbers={"i9": 9})
    assert text.startswith("# Postmortem: #7 checkout down\n")
    assert "- State: published" in text
    assert "| Time to acknowledge | 1m 5s |" in text
    assert "| Time to resolve | 30m 0s |" in text
    assert "| Impact window | 2026-11-26 09:59:00 UTC to 2026-11-26 10:30:00 UTC (31m 0s) |" in text
    assert "## Summary\n\nCheckout failed for 30 minutes." in text
    assert "## Impact\n\n_Not written yet._" in text
    assert "- 2026-11-26 10:00:00 UTC · system:ingest · opened: Opened by 5xx | errors." in text
    assert "- 2026-11-26 10:02:00 UTC · user:ann · note_added: rolled back\n  errors gone" in text
    assert "| 2026-11-26 10:00:00 UTC | checkout | critical | 5xx \\| rate | 3 |" in text
    assert "- ann: acknowledged, wrote a note" in text
    assert "| Alert on disk \\| inode use | ann | 2026-12-01 | in progress | #9 |" in text


def test_empty_parts_say_so() -> None:
    bare = postmortem()
    bare = Postmortem(
        **{
            **{f: getattr(bare, f) for f in bare.__dataclass_fields__},
            "timeline": (),
            "alerts": (),
            "responders": (),
        }
    )
    text = render(bare, [], user_names={}, incident_numbers={})
    assert "## Timeline\n\n_No entries._" in text
    assert "## Alerts\n\n_No alerts._" in text
    assert "## Action items\n\n_None._" in text
