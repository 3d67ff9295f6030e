"""Two `vigil serve` replicas over one store with Redis broadcasting (a real redis-server).

* A subscriber on replica A receives the incident events of an ingest on replica B.
* Alerts of one incident ingested concurrently through both replicas open exactly one
  incident (the store lease of domain/ingest/claim.py).
* With the learned engine, which remembers the alerts it decided, a storm sent in turns
  through both replicas is one incident (the decision log of domain/ingest/decisions.py),
  and a merge made through one replica applies on the other.
* Escalation steps fire once although both replicas run the escalation loop.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from domain.escalation.page_log import COLLECTION as PAGES
from tests.api.escalation import create_policy, service_with_policy, step, trigger, user_target
from tests.api.escalation import users as new_users
from tests.api.queries import INGEST
from tests.api.replicas import INCIDENT_EVENTS, replicas
from tests.support import eventually, subscribe, unique

SERVICES = 10
MERGE_INCIDENTS = (
    """mutation($input: MergeIncidentsInput!) { mergeIncidents(input: $input) { id } }"""
)
BATCHES_PER_REPLICA = 3
ALERTS_PER_BATCH = 5


async def test_a_subscriber_on_one_replica_receives_events_of_an_ingest_on_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with replicas(tmp_path, monkeypatch, "vigil_rep_events") as running:
        service = unique("svc")
        async with subscribe(running.server(0), INCIDENT_EVENTS) as live:
            data = await running.client(1).data(
                INGEST, {"alerts": [{"summary": "disk full", "service": service}]}
            )
            opened = data["ingestAlerts"][0]["incident"]["id"]
            event = (await live.next())["data"]["incidentEvents"]
        assert event["kind"] == "CREATED"
        assert event["incident"] == {"id": opened, "service": {"name": service}}


async def test_alerts_of_one_incident_through_both_replicas_open_one_incident(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with replicas(tmp_path, monkeypatch, "vigil_rep_dups") as running:
        services = [unique("burst") for _ in range(SERVICES)]
        clients = [running.client(0), running.client(1)]

        async def send(service: str, replica: int, batch: int) -> None:
            alerts = [
                {"summary": f"{service} {replica}-{batch}-{n}", "service": service}
                for n in range(ALERTS_PER_BATCH)
            ]
            await clients[replica].data(INGEST, {"alerts": alerts})

        # Every batch of every service at once, so each service's first batches race
        # through both replicas.
        await asyncio.gather(
            *(
                send(service, replica, batch)
                for batch in range(BATCHES_PER_REPLICA)
                for service in services
                for replica in (0, 1)
            )
        )
        sent = SERVICES * 2 * BATCHES_PER_REPLICA * ALERTS_PER_BATCH
        incidents = await running.db["incidents"].find({}).to_list(None)
        alerts = await running.db["alerts"].find({}).to_list(None)
        per_service = Counter(incident["service_id"] for incident in incidents)
        print(
            f"REPLICAS alerts sent={sent} stored={len(alerts)} incidents={len(incidents)} "
            f"duplicates={sum(n - 1 for n in per_service.values())}"
        )
        assert len(alerts) == sent
        assert len(incidents) == SERVICES, per_service
        counted = {incident["_id"]: incident["alert_count"] for incident in incidents}
        assert Counter(alert["incident_id"] for alert in alerts) == counted
        assert set(counted.values()) == {sent // SERVICES}
        numbers = [incident["number"] for incident in incidents]
        assert len(set(numbers)) == len(numbers)


async def test_the_learned_engine_on_each_replica_knows_what_the_other_decided(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with replicas(tmp_path, monkeypatch, "vigil_rep_learned", engine="learned") as running:
        service = unique("checkout")
        start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
        incidents = set()
        for batch in range(6):  # in turns: each replica's engine sees every other batch
            alerts = [
                {
                    "summary": f"checkout errors rising on pod {n}",
                    "service": service,
                    "dedupKey": unique("alert"),
                    "occurredAt": (start + timedelta(seconds=10 * batch + n)).isoformat(),
                }
                for n in range(ALERTS_PER_BATCH)
            ]
            data = await running.client(batch % 2).data(INGEST, {"alerts": alerts})
            incidents |= {r["incident"]["id"] for r in data["ingestAlerts"]}
        assert len(incidents) == 1, incidents
        stored = await running.db["incidents"].find({}).to_list(None)
        assert [incident["alert_count"] for incident in stored] == [6 * ALERTS_PER_BATCH]


async def test_a_merge_through_one_replica_reaches_the_learned_engine_of_the_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with replicas(tmp_path, monkeypatch, "vigil_rep_merge", engine="learned") as running:
        payments, checkout = unique("payments"), unique("checkout")
        start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=40)

        async def storm(replica: int, service: str, summary: str, at: datetime) -> str:
            alerts = [
                {
                    "summary": f"{summary} on pod {n}",
                    "service": service,
                    "dedupKey": unique("alert"),
                    "occurredAt": (at + timedelta(seconds=n)).isoformat(),
                }
                for n in range(ALERTS_PER_BATCH)
            ]
            data = await running.client(replica).data(INGEST, {"alerts": alerts})
            [incident] = {r["incident"]["id"] for r in data["ingestAlerts"]}
            return str(incident)

        # Other services, other alerts, 20 minutes apart: the engine keeps them apart.
        kept = await storm(0, payments, "payment gateway timeouts", start)
        merged = await storm(0, checkout, "checkout errors rising", start + timedelta(minutes=20))
        assert kept != merged
        await running.client(0).data(
            MERGE_INCIDENTS, {"input": {"targetId": kept, "sourceIds": [merged]}}
        )
        replica_1_log = running.cluster.tmp / f"serve-{running.ports[1]}.log"

        async def told() -> bool:  # replica 1's background job has read the merge
            return "regroupings made elsewhere followed: 1" in replica_1_log.read_text()

        await eventually(told)

        # Replica 1 learns both storms from the decision log only now, as decided: the
        # checkout alerts into the incident that was merged away.
        later = await storm(
            1, checkout, "checkout errors rising", start + timedelta(minutes=20, seconds=10)
        )
        assert later == kept


async def test_escalation_steps_fire_once_across_two_replicas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with replicas(tmp_path, monkeypatch, "vigil_rep_escalation") as running:
        client = running.client(0)
        first, second = await new_users(client, 2)
        policy = await create_policy(
            client, [step(1 / 60, user_target(first)), step(2 / 60, user_target(second))]
        )
        service = await service_with_policy(client, policy["id"])
        incident = await trigger(running.client(1), service["name"])

        async def both() -> list[dict[str, Any]]:
            pages: list[dict[str, Any]] = (
                await running.db[PAGES].find({"incident_id": incident["id"]}).to_list(None)
            )
            return pages if len(pages) >= 2 else []

        await eventually(both, seconds=20)
        await asyncio.sleep(2)  # time for a second firing, were there one
        pages = await running.db[PAGES].find({"incident_id": incident["id"]}).to_list(None)
        assert sorted((p["user_id"], p["step"]) for p in pages) == sorted([(first, 1), (second, 2)])
        assert [p["requests"] for p in pages] == [1, 1]
