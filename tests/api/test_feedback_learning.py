"""People's merges and splits, through GraphQL, change what the retrained model decides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.api.correlation import (
    MERGE,
    RETRAIN,
    SPLIT,
    grouping,
    incident,
    learned_server,
    send,
    storm,
)
from tests.api.queries import CREATE_SERVICE

# No topology between these two: the engine keeps them apart until people merge them.
APART = [("ledger", "ledger write latency high"), ("mailer", "mailer queue backlog growing")]
# Registered as caller and callee: the engine groups them until people split them.
TOGETHER = [("search", "search index stale"), ("avatars", "avatar cache miss rate high")]


async def test_merges_and_splits_teach_the_retrained_model(tmp_path: Path) -> None:
    data_dir = tmp_path / "vigil"
    now = datetime.now(UTC).replace(microsecond=0)
    async with learned_server(data_dir) as client:
        for name, calls in (
            ("ledger", []),
            ("mailer", []),
            ("avatars", []),
            ("search", ["avatars"]),
        ):
            await client.data(CREATE_SERVICE, {"input": {"name": name, "dependsOn": calls}})

    # The topology is read at start-up.
    async with learned_server(data_dir) as client:
        first = storm(now - timedelta(hours=6), APART)
        sent = await send(client, first)
        service_of = {a: s for (a, _), (s, _, _) in zip(sent, first, strict=True)}
        assert grouping(sent, service_of) == [["ledger"], ["mailer"]]
        ledger, mailer = sent[0][1], sent[1][1]
        await client.data(MERGE, {"input": {"targetId": ledger, "sourceIds": [mailer]}})

        second = storm(now - timedelta(hours=5), TOGETHER)
        sent = await send(client, second)
        service_of = {a: s for (a, _), (s, _, _) in zip(sent, second, strict=True)}
        assert grouping(sent, service_of) == [["avatars", "search"]]
        avatars = [a for a, _ in sent if service_of[a] == "avatars"]
        await client.data(SPLIT, {"input": {"incidentId": sent[0][1], "alertIds": avatars}})

        retrained = (await client.data(RETRAIN))["retrainCorrelationModel"]
        assert retrained["summary"]["trained"] is True

        # The live engine switches to the new model at once...
        later = storm(now - timedelta(hours=2), APART)
        sent = await send(client, later)
        service_of = {a: s for (a, _), (s, _, _) in zip(sent, later, strict=True)}
        assert grouping(sent, service_of) == [["ledger", "mailer"]]

    # ...and loads it from the store at the next start.
    async with learned_server(data_dir) as client:
        later = storm(now - timedelta(hours=1), TOGETHER)
        sent = await send(client, later)
        service_of = {a: s for (a, _), (s, _, _) in zip(sent, later, strict=True)}
        assert grouping(sent, service_of) == [["avatars"], ["search"]]
        found = await incident(client, sent[-1][1])
        versions = {e["node"]["correlation"]["modelVersion"] for e in found["alerts"]["edges"]}
        assert versions == {retrained["version"]}
