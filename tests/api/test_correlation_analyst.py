"""The analyst surface: explanations, merge and split, the report, backtests, settings."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.api.correlation import MERGE, SPLIT, incident, learned_server, send
from tests.api.helpers import token_for_role
from tests.support import GraphQLClient, unique

REPORT = """
query($from: DateTime!, $to: DateTime!) {
  correlationReport(from: $from, to: $to) {
    alerts incidents noiseReduction merges splits
    byPerson { actor merges splits }
    estimatedPrecision estimatedRecall pairsTogether mergedPairs splitPairs
  }
}"""
BACKTEST = """
query($settings: CorrelationSettingsInput!, $from: DateTime!, $to: DateTime!) {
  backtestCorrelation(settings: $settings, from: $from, to: $to) {
    alerts truncated
    recorded { incidents noiseReduction precision recall }
    current { settings { engine } incidents precision recall }
    proposed { settings { engine windowSeconds } incidents noiseReduction precision recall f1 }
    groups { alertId group }
  }
}"""
UPDATE_SETTINGS = """
mutation($input: CorrelationSettingsInput!) {
  updateCorrelationSettings(input: $input) {
    actor old { engine windowSeconds threshold } new { engine windowSeconds threshold }
  }
}"""
HISTORY = """{
  correlationSettings { engine windowSeconds threshold }
  correlationSettingsHistory { actor at old { windowSeconds } new { engine windowSeconds } }
}"""


@pytest.fixture(scope="module")
async def client(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[GraphQLClient]:
    data_dir: Path = tmp_path_factory.mktemp("analyst")
    async with learned_server(data_dir) as running:
        yield running


def day(offset: int) -> datetime:
    """A day of event time for one test alone, in the past."""
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(
        days=offset
    )


def series(service: str, start: datetime, count: int, gap: float = 10.0) -> list[Any]:
    return [
        (service, f"{service} error rate high", start + timedelta(seconds=i * gap))
        for i in range(count)
    ]


def nodes(found: dict[str, Any], field: str) -> list[dict[str, Any]]:
    return [edge["node"] for edge in found[field]["edges"]]


async def test_each_alert_says_why_it_joined(client: GraphQLClient) -> None:
    sent = await send(client, series(unique("api"), day(2), 3))
    assert len({incident_id for _, incident_id in sent}) == 1
    alerts = {a["id"]: a for a in nodes(await incident(client, sent[0][1]), "alerts")}
    opener, second = alerts[sent[0][0]]["correlation"], alerts[sent[1][0]]["correlation"]
    assert opener["linkedAlert"] is None and opener["engine"] == "learned"
    assert second["linkedAlert"] == {"id": sent[0][0]}
    assert second["score"] >= 0.5 and second["signals"]
    assert {s["name"] for s in second["signals"]} & {"same_service", "gap_30s", "same_kind_5m"}
    assert all(s["value"] > 0 for s in second["signals"])
    stored = await client.server.stored("alerts", {"_id": sent[1][0]})
    explanation = json.loads(stored[0]["correlation"])  # a string: see explanation.py
    assert explanation["linkedAlertId"] == sent[0][0]
    assert explanation["engine"] == "learned"


async def test_merge_moves_alerts_counts_and_timelines(client: GraphQLClient) -> None:
    target = await send(client, series(unique("db"), day(3), 2))
    source = await send(client, series(unique("web"), day(3) + timedelta(seconds=5), 1))
    target_id, source_id = target[0][1], source[0][1]
    assert target_id != source_id
    viewer = await token_for_role(client, "VIEWER")
    merge = {"input": {"targetId": target_id, "sourceIds": [source_id]}}
    assert await client.error_code(MERGE, merge, token=viewer) == "FORBIDDEN"
    itself = {"input": {"targetId": target_id, "sourceIds": [target_id]}}
    assert await client.error_code(MERGE, itself) == "VALIDATION"
    missing = {"input": {"targetId": target_id, "sourceIds": ["0" * 24]}}
    assert await client.error_code(MERGE, missing) == "NOT_FOUND"

    responder = await token_for_role(client, "RESPONDER")
    merged = (await client.data(MERGE, merge, token=responder))["mergeIncidents"]
    assert merged == {"id": target_id, "alertCount": 3, "openAlertCount": 3, "status": "TRIGGERED"}
    kept, gone = await incident(client, target_id), await incident(client, source_id)
    assert {a["id"] for a in nodes(kept, "alerts")} == {a for a, _ in target + source}
    assert (gone["status"], gone["alertCount"], nodes(gone, "alerts")) == ("RESOLVED", 0, [])
    for found in (kept, gone):
        entry = next(e for e in nodes(found, "timeline") if e["kind"] == "MERGED")
        assert entry["actor"].startswith("user:responder")
    feedback = await client.server.stored("correlation_feedback", {"incident_ids": target_id})
    assert feedback[0]["kind"] == "merge" and feedback[0]["together_pairs"] == 2
    assert feedback[0]["moves"] == [{"alert_id": source[0][0], "from": source_id, "to": target_id}]


async def test_split_moves_alerts_into_a_new_incident(client: GraphQLClient) -> None:
    sent = await send(client, series(unique("queue"), day(4), 3))
    other = await send(client, series(unique("cache"), day(4), 1))
    incident_id = sent[0][1]
    viewer = await token_for_role(client, "VIEWER")
    split = {"input": {"incidentId": incident_id, "alertIds": [sent[2][0]], "title": "Disk"}}
    assert await client.error_code(SPLIT, split, token=viewer) == "FORBIDDEN"
    stranger = {"input": {"incidentId": incident_id, "alertIds": [other[0][0]]}}
    assert await client.error_code(SPLIT, stranger) == "VALIDATION"
    every = {"input": {"incidentId": incident_id, "alertIds": [a for a, _ in sent]}}
    assert await client.error_code(SPLIT, every) == "VALIDATION"
    assert await client.error_code(
        SPLIT, {"input": {"incidentId": incident_id, "alertIds": []}}
    ) == ("VALIDATION")

    result = (await client.data(SPLIT, split))["splitIncident"]
    assert result["origin"] == {"id": incident_id, "alertCount": 2, "status": "TRIGGERED"}
    created = result["created"]
    assert (created["alertCount"], created["title"], created["status"]) == (1, "Disk", "TRIGGERED")
    new = await incident(client, created["id"])
    assert [a["id"] for a in nodes(new, "alerts")] == [sent[2][0]]
    for found in (new, await incident(client, incident_id)):
        entry = next(e for e in nodes(found, "timeline") if e["kind"] == "SPLIT")
        assert entry["alertIds"] == [sent[2][0]]
    feedback = await client.server.stored("correlation_feedback", {"incident_ids": created["id"]})
    assert feedback[0]["kind"] == "split" and feedback[0]["apart_pairs"] == 2


async def test_report_matches_a_hand_computed_fixture(client: GraphQLClient) -> None:
    start = day(6)
    a = await send(client, series(unique("auth"), start, 4))
    b = await send(client, series(unique("billing"), start + timedelta(seconds=3), 2))
    c = await send(client, series(unique("cdn"), start + timedelta(hours=2), 1))
    assert len({i for _, i in a + b + c}) == 3
    responder = await token_for_role(client, "RESPONDER")
    await client.data(
        MERGE, {"input": {"targetId": a[0][1], "sourceIds": [b[0][1]]}}, token=responder
    )
    await client.data(SPLIT, {"input": {"incidentId": a[0][1], "alertIds": [a[3][0]]}})

    report = (
        await client.data(
            REPORT, {"from": start.isoformat(), "to": (start + timedelta(days=1)).isoformat()}
        )
    )["correlationReport"]
    # 7 alerts now in 3 incidents: {a0 a1 a2 b0 b1}, {a3}, {c0}. The merge joined 4 x 2 = 8
    # pairs the engine kept apart; the split separated 1 x 5 = 5 pairs it had put together.
    # Pairs together now: C(5,2) = 10, of which the engine had 10 - 8 = 2 right.
    assert report == {
        "alerts": 7,
        "incidents": 3,
        "noiseReduction": pytest.approx(1 - 3 / 7),
        "merges": 1,
        "splits": 1,
        "byPerson": sorted(
            [
                {"actor": "user:admin", "merges": 0, "splits": 1},
                {"actor": report["byPerson"][1]["actor"], "merges": 1, "splits": 0},
            ],
            key=lambda p: str(p["actor"]),
        ),
        "estimatedPrecision": pytest.approx(2 / 7),
        "estimatedRecall": pytest.approx(2 / 10),
        "pairsTogether": 10,
        "mergedPairs": 8,
        "splitPairs": 5,
    }
    assert report["byPerson"][1]["actor"].startswith("user:responder")


async def test_backtest_regroups_under_another_window_without_writing(
    client: GraphQLClient,
) -> None:
    start = day(8)
    sent = await send(client, series(unique("jobs"), start, 4, gap=60.0))
    before = {i for _, i in sent}
    period = {"from": start.isoformat(), "to": (start + timedelta(hours=1)).isoformat()}
    narrow = (
        await client.data(
            BACKTEST, {**period, "settings": {"engine": "WINDOW", "windowSeconds": 30}}
        )
    )["backtestCorrelation"]
    wide = (
        await client.data(
            BACKTEST, {**period, "settings": {"engine": "WINDOW", "windowSeconds": 600}}
        )
    )["backtestCorrelation"]
    assert narrow["alerts"] == wide["alerts"] == 4 and not narrow["truncated"]
    assert narrow["proposed"]["incidents"] == 4 and wide["proposed"]["incidents"] == 1
    assert len({g["group"] for g in narrow["groups"]}) == 4
    assert len({g["group"] for g in wide["groups"]}) == 1
    assert (narrow["proposed"]["precision"], narrow["proposed"]["recall"]) == (1.0, 0.0)
    assert (wide["proposed"]["precision"], wide["proposed"]["recall"]) == (1.0, 1.0)
    assert wide["current"]["settings"]["engine"] == "LEARNED"
    assert wide["recorded"]["incidents"] == len(before) == 1
    after = await client.server.stored("alerts", {"_id": {"$in": [a for a, _ in sent]}})
    assert {doc["incident_id"] for doc in after} == before


async def test_periods_without_a_time_zone_are_refused(client: GraphQLClient) -> None:
    # Fuzzing finding: a naive `from` used to reach a comparison with aware times (INTERNAL).
    naive = {"from": "2026-11-26T10:00:00", "to": "2026-11-26T11:00:00Z"}
    report = await client.execute(REPORT, naive)
    assert [e["extensions"]["field"] for e in report["errors"]] == ["from"]
    assert report["errors"][0]["extensions"]["code"] == "VALIDATION"
    settings = {"engine": "WINDOW", "windowSeconds": 30}
    later = {"from": "2026-11-26T11:00:00Z", "to": "2026-11-27T10:00:00"}
    backtest = await client.execute(BACKTEST, {**later, "settings": settings})
    assert [e["extensions"]["field"] for e in backtest["errors"]] == ["to"]


async def test_settings_changes_are_audited(client: GraphQLClient) -> None:
    viewer = await token_for_role(client, "VIEWER")
    change = {"input": {"engine": "WINDOW", "windowSeconds": 120}}
    assert await client.error_code(UPDATE_SETTINGS, change, token=viewer) == "FORBIDDEN"
    bad = {"input": {"engine": "LEARNED", "threshold": 1.5}}
    assert await client.error_code(UPDATE_SETTINGS, bad) == "VALIDATION"
    first = (await client.data(UPDATE_SETTINGS, change))["updateCorrelationSettings"]
    assert first["old"]["engine"] == "LEARNED" and first["new"]["windowSeconds"] == 120
    second = {"input": {"engine": "LEARNED", "windowSeconds": 120, "threshold": 0.4}}
    await client.data(UPDATE_SETTINGS, second)
    data = await client.data(HISTORY)
    assert data["correlationSettings"] == {
        "engine": "LEARNED",
        "windowSeconds": 120,
        "threshold": 0.4,
    }
    history = data["correlationSettingsHistory"]
    assert [h["new"]["engine"] for h in history[:2]] == ["LEARNED", "WINDOW"]
    assert history[0]["old"]["windowSeconds"] == 120 and history[0]["actor"] == "user:admin"
    # The settings decide live: the module's other tests expect the engine it started with.
    await client.data(UPDATE_SETTINGS, {"input": {"engine": "LEARNED", "windowSeconds": 300}})


async def test_scheduled_retraining_runs_once_per_period(client: GraphQLClient) -> None:
    learning = client.server.app.state.runtime.container.correlation.learning
    db = client.server.app.state.runtime.db
    assert await learning.retrain_if_due() == 0, "the first round only starts the schedule"
    assert await learning.retrain_if_due() == 0
    await db["correlation_schedule"].update_one({"_id": "retrain"}, {"$set": {"due_ms": 0}})
    assert await learning.retrain_if_due() == 1
    assert await learning.retrain_if_due() == 0
    model = (await client.data("{ correlationModel { version trainedBy } }"))["correlationModel"]
    assert model["trainedBy"] == "system:correlation-retrain"
