"""Replaying a labelled alert stream into a running Vigil, in event-time order, sped up.

Event times are shifted so that the storm happens now: the server sees alerts as fresh
as a monitor would send them, and the war room shows their age from the replay.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from correlation.metrics import Scores, noise_reduction, score
from correlation.streams import StreamAlert
from vigil.demo_client import DemoClient

MAX_BATCH = 1000
"""The server's limit for one ingestAlerts call."""

INGEST = """mutation($alerts: [AlertInput!]!) {
  ingestAlerts(alerts: $alerts) { outcome incident { id } } }"""

_SEVERITIES = {"critical": "CRITICAL", "error": "ERROR", "warning": "WARNING", "info": "INFO"}


@dataclass
class ReplayResult:
    sent: int = 0
    incident_of: list[str] = field(default_factory=list)
    """The incident each alert landed in (or its own label when it was ignored), in order."""
    truth: list[str | None] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def incidents(self) -> int:
        return len({label for label in self.incident_of if not label.startswith("ignored:")})

    @property
    def noise_reduction(self) -> float:
        return noise_reduction(self.incident_of)

    def scores(self) -> Scores | None:
        """Pairwise precision and recall over the alerts with ground truth; None without."""
        labelled = [(p, t) for p, t in zip(self.incident_of, self.truth, strict=True) if t]
        if not labelled:
            return None
        return score([p for p, _ in labelled], [t for _, t in labelled])


def time_shift(stream: Sequence[StreamAlert], speed: float, start: datetime) -> timedelta:
    """What to add to each event time so the replay starting at `start` happens now.

    At speed 1 or more, the last alert lands at the moment it is sent and every earlier one
    a little before its send time, so no alert claims a time in the future. Slower than
    real time, the first alert is anchored at the start instead, for the same reason.
    """
    first, last = stream[0].alert.occurred_at, stream[-1].alert.occurred_at
    if speed >= 1:
        return start + (last - first) / speed - last
    return start - first


def alert_input(item: StreamAlert, shift: timedelta, run: str) -> dict[str, Any]:
    """One stream alert as `AlertInput`. Each stream line is an event of its own, so it
    carries its own dedup key (new for every replay): fingerprints would fold an alert that
    fires again in a later fault into the earlier one while it still fires, and score that
    fold, not the correlation."""
    alert = item.alert
    return {
        "dedupKey": f"demo-{run}-{alert.id}",
        "service": alert.service,
        "summary": alert.summary,
        "description": alert.description,
        "source": alert.source or None,
        "severity": _SEVERITIES.get(alert.severity.lower(), "WARNING"),
        "labels": alert.labels,
        "occurredAt": (alert.occurred_at + shift).isoformat(),
    }


async def replay(
    client: DemoClient,
    stream: Sequence[StreamAlert],
    *,
    speed: float,
    progress: Callable[[int], object],
) -> ReplayResult:
    """Send `stream` (sorted by event time) `speed` times faster than it happened."""
    result = ReplayResult()
    if not stream:
        return result
    started = time.monotonic()
    shift = time_shift(stream, speed, datetime.now(UTC))
    run = secrets.token_hex(4)
    first = stream[0].alert.occurred_at
    position = 0
    while position < len(stream):
        due = (stream[position].alert.occurred_at - first).total_seconds() / speed
        await asyncio.sleep(max(0.0, due - (time.monotonic() - started)))
        # Everything due by now goes in one call: a fast replay sends storms as batches.
        reached = first + timedelta(seconds=(time.monotonic() - started) * speed)
        end = position + 1
        while (
            end < len(stream)
            and end - position < MAX_BATCH
            and stream[end].alert.occurred_at <= reached
        ):
            end += 1
        batch = stream[position:end]
        data = await client.data(INGEST, {"alerts": [alert_input(a, shift, run) for a in batch]})
        for item, outcome in zip(batch, data["ingestAlerts"], strict=True):
            incident = outcome["incident"]
            result.incident_of.append(incident["id"] if incident else f"ignored:{item.alert.id}")
            result.truth.append(item.truth)
        result.sent += len(batch)
        progress(len(batch))
        position = end
    result.seconds = time.monotonic() - started
    return result
