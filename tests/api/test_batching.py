"""Relations are batched: store round trips do not grow with the page size."""

from __future__ import annotations

import uuid

from tests.api.queries import INGEST
from tests.support import GraphQLClient, LiveServer, unique

LIST = """
query($first: Int!, $filter: IncidentFilter) {
  incidents(first: $first, filter: $filter) {
    edges { node {
      id title service { name dependsOn }
      alerts(first: 10) { edges { node { id summary service { name } } } }
      timeline(first: 10) { edges { node { kind } } }
      notifications { id }
    } }
  }
}"""


async def count_commands(
    server: LiveServer, client: GraphQLClient, first: int, service_ids: list[str]
) -> tuple[list[str], int]:
    await client.load_credentials_now()
    server.counter.commands.clear()
    server.counter.request_id = request_id = uuid.uuid4().hex
    try:
        data = await client.data(
            LIST, {"first": first, "filter": {"serviceIds": service_ids}}, request_id=request_id
        )
    finally:
        server.counter.request_id = None
    return list(server.counter.commands), len(data["incidents"]["edges"])


async def test_listing_50_incidents_with_relations_costs_a_bounded_number_of_commands(
    server: LiveServer, client: GraphQLClient
) -> None:
    services = [unique("batch") for _ in range(50)]
    alerts = [{"summary": f"alert {n}", "service": s} for s in services for n in range(3)]
    await client.data(INGEST, {"alerts": alerts})
    listed = await client.data("{ services { id name } }")
    ids = [s["id"] for s in listed["services"] if s["name"] in services]

    small, small_count = await count_commands(server, client, 5, ids)
    large, large_count = await count_commands(server, client, 50, ids)

    assert (small_count, large_count) == (5, 50)
    # incidents + services + alerts (their ids, then their documents) + timeline (the same,
    # and the openings kept on the incidents) + notifications + alert services (cached); at
    # least four of them, or the counter is not seeing the request's commands
    assert 4 <= len(large) <= 8, large
    assert len(large) == len(small), (small, large)
