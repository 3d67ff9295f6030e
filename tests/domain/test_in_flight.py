"""Batches sharing a key take turns; others overlap."""

from __future__ import annotations

import asyncio

from domain.ingest.in_flight import InFlightKeys


async def test_batches_with_a_common_key_take_turns() -> None:
    gate = InFlightKeys()
    order: list[str] = []

    async def batch(name: str, keys: set[str]) -> None:
        async with gate.claim(keys):
            order.append(f"{name} in")
            await asyncio.sleep(0.05)
            order.append(f"{name} out")

    await asyncio.gather(batch("a", {"k1", "k2"}), batch("b", {"k2", "k3"}))
    assert order == ["a in", "a out", "b in", "b out"]


async def test_batches_without_common_keys_overlap() -> None:
    gate = InFlightKeys()
    inside = 0
    most = 0

    async def batch(keys: set[str]) -> None:
        nonlocal inside, most
        async with gate.claim(keys):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.05)
            inside -= 1

    await asyncio.gather(batch({"a"}), batch({"b"}), batch({"c"}))
    assert most == 3
