"""Batches of one process share new alerts instead of racing to store them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from domain.alert.model import Alert
from domain.ingest.in_flight import InFlightKeys
from tests.support import stored_alert

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def stored(alert_id: str) -> Alert:
    alert = stored_alert(service_id="s", service="svc", at=NOW, dedup_key="k")
    alert.id = alert_id
    return alert


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
