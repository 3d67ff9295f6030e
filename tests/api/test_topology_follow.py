"""The learned engine follows the service catalog: no restart after registering services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.api.correlation import engine_server, grouping, send, storm
from tests.api.queries import CREATE_SERVICE
from tests.support import GraphQLClient

CALLER = [("basket", "basket checkout errors"), ("pricing", "pricing lookups slow")]
STRANGERS = [("newsletter", "newsletter sends failing"), ("thumbnails", "thumbnail queue full")]


async def test_services_registered_after_start_up_count_in_correlation(tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    # The background job is out of the way: the test runs what it does, when it wants.
    async with engine_server(tmp_path) as server:
        client = GraphQLClient(server)
        for name, calls in (
            ("pricing", []),
            ("basket", ["pricing"]),
            ("newsletter", []),
            ("thumbnails", []),
        ):
            await client.data(CREATE_SERVICE, {"input": {"name": name, "dependsOn": calls}})
        switch = server.app.state.container.correlation.switch
        assert await switch.follow() == 1, "what the background job does every interval"
        assert await switch.follow() == 0, "nothing changed since"

        together = storm(now - timedelta(hours=2), CALLER)
        sent = await send(client, together)
        services = {a: s for (a, _), (s, _, _) in zip(sent, together, strict=True)}
        assert grouping(sent, services) == [["basket", "pricing"]]

        apart = storm(now - timedelta(hours=1), STRANGERS)
        sent = await send(client, apart)
        services = {a: s for (a, _), (s, _, _) in zip(sent, apart, strict=True)}
        assert grouping(sent, services) == [["newsletter"], ["thumbnails"]]
