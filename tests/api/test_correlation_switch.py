"""Correlation settings people store choose the engine that decides live: at once in
the process that took the change, within the worker interval in the others, and
again after a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from correlation.learned import LearnedCorrelator
from domain.correlation.settings import CorrelationSettings, EngineKind
from domain.correlation.settings_store import SettingsStore
from tests.api.correlation import engine_server, grouping, send, storm
from tests.api.queries import CREATE_SERVICE
from tests.support import GraphQLClient
from vigil.settings import CorrelationEngineKind

UPDATE_SETTINGS = """
mutation($input: CorrelationSettingsInput!) {
  updateCorrelationSettings(input: $input) { new { engine } }
}"""
# A caller and its callee failing together: one incident for the learned engine, one
# per service for the rule.
TOGETHER = [("basket", "basket checkout errors"), ("pricing", "pricing lookups slow")]
LEARNED = {"input": {"engine": "LEARNED", "windowSeconds": 300}}
WINDOW = {"input": {"engine": "WINDOW", "windowSeconds": 300}}


async def services_together(client: GraphQLClient) -> None:
    for name, calls in (("pricing", []), ("basket", ["pricing"])):
        await client.data(CREATE_SERVICE, {"input": {"name": name, "dependsOn": calls}})


async def grouped(client: GraphQLClient, hours_ago: int) -> list[list[str]]:
    """The services of each incident a storm of ``TOGETHER`` made."""
    alerts = storm(datetime.now(UTC).replace(microsecond=0) - timedelta(hours=hours_ago), TOGETHER)
    sent = await send(client, alerts)
    services = {a: s for (a, _), (s, _, _) in zip(sent, alerts, strict=True)}
    return grouping(sent, services)


async def test_a_stored_change_switches_the_engine_at_once(tmp_path: Path) -> None:
    async with engine_server(tmp_path, CorrelationEngineKind.WINDOW) as server:
        client = GraphQLClient(server)
        await services_together(client)
        assert await grouped(client, hours_ago=9) == [["basket"], ["pricing"]]

        await client.data(UPDATE_SETTINGS, LEARNED)
        assert await grouped(client, hours_ago=6) == [["basket", "pricing"]]

        await client.data(UPDATE_SETTINGS, WINDOW)
        assert await grouped(client, hours_ago=3) == [["basket"], ["pricing"]]


async def test_other_processes_follow_a_change_and_a_restart_keeps_it(tmp_path: Path) -> None:
    async with engine_server(tmp_path, CorrelationEngineKind.WINDOW) as server:
        client = GraphQLClient(server)
        await services_together(client)
        switch = server.app.state.container.correlation.switch
        assert await switch.follow() == 0, "nothing stored: the settings it started with"
        # Stored as another replica would store it, this process not told.
        stored = CorrelationSettings(EngineKind.LEARNED, 300, threshold=0.45)
        await SettingsStore(server.app.state.runtime.db, stored).save(stored)

        assert await switch.follow() == 1, "what the background job does every interval"
        assert await switch.follow() == 0
        assert isinstance(switch.active, LearnedCorrelator)
        assert switch.active.engine.model.threshold == 0.45, "the stored threshold decides"
        assert await grouped(client, hours_ago=6) == [["basket", "pricing"]]

    async with engine_server(tmp_path, CorrelationEngineKind.WINDOW) as server:
        assert await grouped(GraphQLClient(server), hours_ago=3) == [["basket", "pricing"]]
