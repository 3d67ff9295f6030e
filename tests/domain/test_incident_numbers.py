"""Incident numbers come from blocks reserved in the store: unique across processes."""

from __future__ import annotations

from domain.incident.numbers import IncidentNumbers
from domain.incident.repository import IncidentRepository
from tests.support import LiveServer


async def test_two_processes_never_hand_out_the_same_number(server: LiveServer) -> None:
    repository = IncidentRepository(server.app.state.runtime.db)
    first, second = IncidentNumbers(repository, block=3), IncidentNumbers(repository, block=3)
    taken = [*await first.take(2), *await second.take(4), *await first.take(5)]
    assert len(taken) == len(set(taken)) == 11
    mine = [n for n in taken[:2] + taken[6:]]
    assert mine == sorted(mine), "each process counts up"
