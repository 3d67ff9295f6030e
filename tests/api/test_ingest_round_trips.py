"""An ingest batch costs a fixed set of store commands on the real store.

Counted by command and collection, so a removed round trip that comes back (a second
incident write, re-reading incidents just written or read, the escalation starter's
service lookup on every batch) fails here.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from pymongo.monitoring import CommandStartedEvent, CommandSucceededEvent

from domain.escalation import service_policies
from domain.noise import controls
from tests.api.queries import INCIDENT, INGEST
from tests.api.webhooks.helpers import bound_key
from tests.support import CommandCounter, GraphQLClient, LiveServer, live_server, unique

T = TypeVar("T")

WITHOUT_INCIDENTS = """
mutation Ingest($alerts: [AlertInput!]!) {
  ingestAlerts(alerts: $alerts) { outcome alert { id incidentId } }
}"""

# Commands of the ingest path. Auth, noise rules and teams are read through caches whose
# refresh depends on the clock, so they are left out of the count.
INGEST_COLLECTIONS = {
    "alerts",
    "incidents",
    "timeline",
    "ingest_journal",
    "counters",
    "services",
    "escalation_policies",
    "escalation_runs",
}


class CollectionCounter(CommandCounter):
    """Also remembers each counted command's collection, what alerts were looked up by, and
    when each counted command started and ended (`timeline`)."""

    def __init__(self) -> None:
        super().__init__()
        self.by_collection: Counter[tuple[str, str]] = Counter()
        self.alert_lookups: list[set[str]] = []
        self.timeline: list[tuple[str, str, str]] = []
        """("started" or "ended", command, collection), in the order they happened."""
        self._started: dict[int, tuple[str, str]] = {}

    def started(self, event: CommandStartedEvent) -> None:
        before = len(self.commands)
        super().started(event)
        if len(self.commands) > before:
            name = event.command_name
            target = (name, str(event.command.get(name)))
            self.by_collection[target] += 1
            self.timeline.append(("started", *target))
            self._started[event.request_id] = target
            if name == "find" and event.command["find"] == "alerts":
                self.alert_lookups.append(set(event.command.get("filter", {})))

    def succeeded(self, event: CommandSucceededEvent) -> None:
        target = self._started.pop(event.request_id, None)
        if target is not None:
            self.timeline.append(("ended", *target))

    def in_flight_together(self, *commands: tuple[str, str]) -> bool:
        """Whether every one of `commands` started before any of them ended."""
        ends = [
            i
            for i, (kind, *target) in enumerate(self.timeline)
            if kind == "ended" and tuple(target) in commands
        ]
        starts = [
            i
            for i, (kind, *target) in enumerate(self.timeline)
            if kind == "started" and tuple(target) in commands
        ]
        return len(starts) == len(commands) and max(starts) < min(ends)


@pytest.fixture(scope="module")
async def counted(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveServer]:
    data_dir: Path = tmp_path_factory.mktemp("round-trips")
    async with live_server(data_dir, counter=CollectionCounter()) as running:
        yield running


async def ingest_counted(
    server: LiveServer, alerts: list[dict[str, Any]], query: str = INGEST
) -> tuple[Counter[tuple[str, str]], list[dict[str, Any]]]:
    async def send(request_id: str) -> list[dict[str, Any]]:
        data = await GraphQLClient(server).data(query, {"alerts": alerts}, request_id=request_id)
        results: list[dict[str, Any]] = data["ingestAlerts"]
        return results

    return await counted_request(server, send)


async def counted_request(
    server: LiveServer, send: Callable[[str], Awaitable[T]]
) -> tuple[Counter[tuple[str, str]], T]:
    """The ingest path's commands of the request `send` makes with the request id given."""
    counter = server.counter
    assert isinstance(counter, CollectionCounter)
    counter.commands.clear()
    counter.by_collection.clear()
    counter.alert_lookups.clear()
    counter.timeline.clear()
    counter.request_id = request_id = uuid.uuid4().hex
    try:
        answer = await send(request_id)
    finally:
        counter.request_id = None
    kept = Counter(
        {key: n for key, n in counter.by_collection.items() if key[1] in INGEST_COLLECTIONS}
    )
    return kept, answer


@pytest.fixture
def steady_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cached lookups must not expire between the batches of a slow test machine."""
    monkeypatch.setattr(service_policies, "REFRESH_SECONDS", 3600.0)
    monkeypatch.setattr(controls, "REFRESH_SECONDS", 3600.0)


def alert(service: str, summary: str, at: datetime) -> dict[str, Any]:
    return {"service": service, "summary": summary, "occurredAt": at.isoformat()}


@pytest.mark.usefixtures("steady_caches")
async def test_a_batch_of_100_costs_eight_store_commands(counted: LiveServer) -> None:
    service = unique("trips")
    base = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    first = [alert(service, f"disk {n}", base + timedelta(seconds=n)) for n in range(50)]
    _, opened = await ingest_counted(counted, first)
    assert {r["outcome"] for r in opened} == {"CREATED"}

    # 50 repeats, 25 new alerts joining the open incident, 25 opening a new one (an hour
    # later, beyond the correlation window).
    joining = [alert(service, f"cpu {n}", base + timedelta(seconds=60 + n)) for n in range(25)]
    later = [alert(service, f"mem {n}", base + timedelta(hours=1, seconds=n)) for n in range(25)]
    commands, results = await ingest_counted(counted, first + joining + later)

    outcomes = Counter(r["outcome"] for r in results)
    assert outcomes == {"DEDUPLICATED": 50, "CREATED": 50}
    grown = opened[0]["incident"]["id"]
    assert {r["incident"]["id"] for r in results[:75]} == {grown}
    assert results[0]["incident"]["alertCount"] == 75, "the outcome shows the incident as written"
    assert len({r["incident"]["id"] for r in results[75:]}) == 1
    assert commands == {
        ("find", "alerts"): 1,  # dedup: the alerts holding the batch's keys, by `_id`
        ("find", "incidents"): 1,  # open incidents to correlate against, by their `open` flag
        ("insert", "ingest_journal"): 1,  # the note covering the incident writes
        ("update", "incidents"): 1,  # the new incident (an upsert) and the grown one
        ("insert", "alerts"): 1,
        ("insert", "timeline"): 1,
        ("update", "alerts"): 1,  # repeat counts
    }, commands
    assert isinstance(counted.counter, CollectionCounter)
    assert counted.counter.alert_lookups == [{"_id"}], "never by open key: a scan on the store"
    # Round trips a batch does not wait for one after the other.
    assert counted.counter.in_flight_together(("find", "alerts"), ("find", "incidents"))
    assert counted.counter.in_flight_together(("insert", "timeline"), ("update", "alerts"))


@pytest.mark.usefixtures("steady_caches")
async def test_a_batch_of_repeats_only_reads_and_counts(counted: LiveServer) -> None:
    service = unique("repeats")
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    batch = [alert(service, f"disk {n}", at + timedelta(seconds=n)) for n in range(100)]
    await ingest_counted(counted, batch)

    commands, results = await ingest_counted(counted, batch)

    assert {r["outcome"] for r in results} == {"DEDUPLICATED"}
    assert commands == {
        ("find", "alerts"): 1,
        ("update", "alerts"): 1,  # repeat counts
        ("find", "incidents"): 1,  # the incident the results name
    }, commands


@pytest.mark.usefixtures("steady_caches")
async def test_repeats_whose_incident_nobody_asked_for_read_no_incident(
    counted: LiveServer,
) -> None:
    service = unique("unasked")
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    batch = [alert(service, f"disk {n}", at + timedelta(seconds=n)) for n in range(20)]
    _, first = await ingest_counted(counted, batch)
    key = await bound_key(GraphQLClient(counted), "unasked-hook")
    hooked = [{"summary": a["summary"], "occurredAt": a["occurredAt"]} for a in batch]

    async def via_webhook(request_id: str) -> httpx.Response:
        async with httpx.AsyncClient(timeout=30) as http:
            return await http.post(
                f"{counted.url}/webhooks/generic",
                json={"alerts": hooked},
                headers={"Authorization": f"Bearer {key.secret}", "X-Request-ID": request_id},
            )

    via_graphql, results = await ingest_counted(counted, batch, WITHOUT_INCIDENTS)
    _, opened = await counted_request(counted, via_webhook)
    from_webhook, again = await counted_request(counted, via_webhook)

    assert {r["outcome"] for r in results} == {"DEDUPLICATED"}
    assert [r["alert"]["incidentId"] for r in results] == [r["incident"]["id"] for r in first], (
        "each alert still names its incident"
    )
    assert via_graphql == {("find", "alerts"): 1, ("update", "alerts"): 1}, via_graphql
    assert (opened.status_code, again.status_code) == (200, 200), again.text
    assert again.json()["outcomes"]["deduplicated"] == len(hooked)
    assert from_webhook == {("find", "alerts"): 1, ("update", "alerts"): 1}, from_webhook


@pytest.mark.usefixtures("steady_caches")
async def test_keys_new_in_a_batch_are_stored_with_their_repeats_counted(
    counted: LiveServer,
) -> None:
    service = unique("in-batch")
    at = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=20)
    # 20 new keys: the first 10 sent three times, the others once.
    once = [alert(service, f"disk {n}", at + timedelta(seconds=n)) for n in range(20)]
    batch = once + once[:10] + once[:10]

    commands, results = await ingest_counted(counted, batch)

    assert Counter(r["outcome"] for r in results) == {"CREATED": 20, "DEDUPLICATED": 20}
    assert ("update", "alerts") not in commands, "the insert carries the counts"
    assert [r["alert"]["count"] for r in results[:20]] == [3] * 10 + [1] * 10
    stored = await GraphQLClient(counted).data(INCIDENT, {"id": results[0]["incident"]["id"]})
    counts = {
        edge["node"]["summary"]: edge["node"]["count"]
        for edge in stored["incident"]["alerts"]["edges"]
    }
    assert counts == {f"disk {n}": 3 if n < 10 else 1 for n in range(20)}

    # Sent again, each key is a repeat of the stored alert and counted on it.
    _, again = await ingest_counted(counted, once[:1] + once[:1])
    assert [r["alert"]["count"] for r in again] == [5, 5]
