"""Batches of one process share new alerts instead of racing to store them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from domain.alert.model import Alert, AlertStatus, Severity
from domain.ingest.in_flight import InFlightKeys

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def stored(alert_id: str) -> Alert:
    return Alert(
        id=alert_id,
        service_id="s",
        service="svc",
        source="api",
        summary="x",
        description="",
        severity=Severity.ERROR,
        labels={},
        dedup_key="k",
        occurred_at=NOW,
        received_at=NOW,
        status=AlertStatus.FIRING,
        count=1,
        first_seen_at=NOW,
        last_seen_at=NOW,
        resolved_at=None,
        incident_id=None,
    )


async def test_first_batch_owns_a_key_and_the_next_borrows_it() -> None:
    keys = InFlightKeys()
    owned, borrowed = keys.claim(["a", "b"])
    assert owned == ["a", "b"] and borrowed == {}
    later_owned, later_borrowed = keys.claim(["b", "c"])
    assert later_owned == ["c"]
    assert set(later_borrowed) == {"b"}
    alert = stored("b1")
    keys.announce({"b": alert})
    assert await asyncio.wait_for(later_borrowed["b"], 1) is alert


async def test_released_keys_can_be_owned_again_and_unannounced_ones_answer_none() -> None:
    keys = InFlightKeys()
    owned, _ = keys.claim(["a"])
    _, borrowed = keys.claim(["a"])
    keys.release(owned)
    assert await asyncio.wait_for(borrowed["a"], 1) is None
    again, _ = keys.claim(["a"])
    assert again == ["a"]
