"""A postmortem as one Markdown document, for wikis, tickets and e-mail.

Times are written in UTC to the second, as '2026-11-26 10:00:00 UTC', so a reader in any
time zone sees the same timeline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from domain.postmortem.action_items import ActionItem
from domain.postmortem.model import Postmortem


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def duration(span: timedelta) -> str:
    """'1d 2h 3m 4s', leaving out leading zero units; '0s' for nothing."""
    seconds = max(int(span.total_seconds()), 0)
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s")]
    while len(parts) > 1 and parts[0][0] == 0:
        parts.pop(0)
    return " ".join(f"{value}{unit}" for value, unit in parts)


def _cell(text: str) -> str:
    """Text safe inside a table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|") or " "


def _indented(text: str) -> str:
    """Text continuing a list item: later lines indented so they stay in the item."""
    return "\n  ".join(text.strip().splitlines()) or "(empty)"


def _incidents(item: ActionItem, numbers: Mapping[str, int]) -> str:
    linked = [f"#{numbers[i]}" if i in numbers else i for i in item.linked_incident_ids]
    return ", ".join(linked) or "-"


def render(
    postmortem: Postmortem,
    action_items: Sequence[ActionItem],
    *,
    user_names: Mapping[str, str],
    incident_numbers: Mapping[str, int],
) -> str:
    """`user_names` and `incident_numbers` name the action items' owners and linked
    incidents (ids not found print as ids)."""
    metrics = postmortem.metrics
    tta = metrics.time_to_acknowledge
    lines = [
        f"# {postmortem.title}",
        "",
        f"- Incident: #{postmortem.incident_number} {postmortem.incident_title}",
        f"- State: {postmortem.state.value.replace('_', ' ')}",
        f"- Created: {utc(postmortem.created_at)} by {postmortem.created_by}",
    ]
    if postmortem.published_at is not None:
        lines.append(f"- Published: {utc(postmortem.published_at)}")
    lines += [
        "",
        "## Metrics",
        "",
        "| Metric | Value |",
        "| --- | --- |",
        f"| Opened | {utc(metrics.opened_at)} |",
        "| Acknowledged | "
        + ("never" if metrics.acknowledged_at is None else utc(metrics.acknowledged_at))
        + " |",
        f"| Resolved | {utc(metrics.resolved_at)} |",
        f"| Time to acknowledge | {'-' if tta is None else duration(tta)} |",
        f"| Time to resolve | {duration(metrics.time_to_resolve)} |",
        f"| Impact window | {utc(metrics.impact_start)} to {utc(metrics.impact_end)} "
        f"({duration(metrics.impact_duration)}) |",
    ]
    for section in postmortem.sections:
        lines += ["", f"## {section.title}", "", section.body.strip() or "_Not written yet._"]
    lines += ["", "## Timeline", ""]
    lines += [
        f"- {utc(item.at)} · {item.actor} · {item.kind.value}: {_indented(item.message)}"
        for item in postmortem.timeline
    ] or ["_No entries._"]
    lines += ["", "## Alerts", ""]
    if postmortem.alerts:
        lines += [
            "| Occurred | Service | Severity | Summary | Count |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {utc(a.occurred_at)} | {_cell(a.service)} | {a.severity} | {_cell(a.summary)} "
            f"| {a.count} |"
            for a in postmortem.alerts
        ]
    else:
        lines.append("_No alerts._")
    lines += ["", "## Responders", ""]
    lines += [f"- {r.name}: {', '.join(r.involvement)}" for r in postmortem.responders] or [
        "_Nobody is named on the timeline._"
    ]
    lines += ["", "## Action items", ""]
    if action_items:
        lines += [
            "| Title | Owner | Due | Status | Linked incidents |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {_cell(i.title)} | {_cell(user_names.get(i.owner_id, i.owner_id))} "
            f"| {'-' if i.due_on is None else i.due_on.isoformat()} "
            f"| {i.status.value.replace('_', ' ')} | {_incidents(i, incident_numbers)} |"
            for i in action_items
        ]
    else:
        lines.append("_None._")
    return "\n".join(lines) + "\n"
