"""Analytics through the API: figures of data created through GraphQL, validation, charts.

The figures test runs on a server of its own, so the store holds only what it creates
and every total is exact.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ElementTree
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from PIL import Image

from domain.escalation.page_log import COLLECTION as PAGES
from tests.api.escalation import create_policy, step, user_target
from tests.api.helpers import new_team, token_for_role
from tests.api.queries import ACKNOWLEDGE, INGEST, RESOLVE
from tests.api.schedules import new_user
from tests.support import ADMIN_TOKEN, GraphQLClient, LiveServer, eventually, live_server, unique

FIGURES = """
  incidents alerts acknowledged unacknowledged resolved unresolved noiseReduction
  mtta { count meanSeconds medianSeconds p90Seconds }
  mttr { count meanSeconds medianSeconds p90Seconds }
"""
ANALYTICS = (
    """
query($from: DateTime!, $until: DateTime!, $groupBy: AnalyticsGrouping!) {
  analytics(from: $from, until: $until, groupBy: $groupBy) {
    from until groupBy overTimeGrouping
    totals {"""
    + FIGURES
    + """}
    groups { key label startsAt endsAt figures {"""
    + FIGURES
    + """} }
    overTime { label figures { incidents alerts } }
    noisySources { name alerts share }
    noisyServices { name alerts share }
    onCallLoad { userId name timeZone pages incidents outsideWorkingHours sleepHours }
    charts { mttaMttr incidentsOverTime onCallLoad png: onCallLoad(format: PNG) }
  }
}"""
)
CREATE_SERVICE = """mutation($input: CreateServiceInput!) {
  createService(input: $input) { id name team } }"""
UPDATE_SERVICE = """mutation($id: ID!, $input: UpdateServiceInput!) {
  updateService(id: $id, input: $input) { id team } }"""
CREATE_USER = """mutation($input: CreateUserInput!) {
  createUser(input: $input) { id name timeZone } }"""
UPDATE_USER = """mutation($id: ID!, $input: UpdateUserInput!) {
  updateUser(id: $id, input: $input) { id email timeZone } }"""
SVG = "{http://www.w3.org/2000/svg}svg"


def iso(moment: datetime) -> str:
    return moment.isoformat()


@pytest.fixture(scope="module")
async def own_server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveServer]:
    async with live_server(tmp_path_factory.mktemp("analytics")) as running:
        yield running


async def ingest(client: GraphQLClient, service: str, *sources: str) -> list[dict[str, Any]]:
    alerts = [
        {
            "summary": f"{service} alert {n}",
            "service": service,
            "source": source,
            "dedupKey": f"{service}-{n}",
        }
        for n, source in enumerate(sources)
    ]
    results: list[dict[str, Any]] = (await client.data(INGEST, {"alerts": alerts}))["ingestAlerts"]
    return results


async def test_figures_of_incidents_alerts_and_pages_created_through_the_api(
    own_server: LiveServer,
) -> None:
    client = GraphQLClient(own_server)
    start = datetime.now(UTC) - timedelta(seconds=2)
    team = await new_team(client)
    ann = (
        await client.data(
            CREATE_USER,
            {
                "input": {
                    "name": unique("ann"),
                    "email": "ann@example.com",
                    "role": "RESPONDER",
                    "timeZone": "Asia/Kolkata",
                }
            },
        )
    )["createUser"]
    policy = await create_policy(client, [step(10, user_target(ann["id"]))])
    paged = (
        await client.data(
            CREATE_SERVICE,
            {
                "input": {
                    "name": unique("checkout"),
                    "team": team,
                    "escalationPolicyId": policy["id"],
                }
            },
        )
    )["createService"]
    quiet = (
        await client.data(CREATE_SERVICE, {"input": {"name": unique("search"), "team": team}})
    )["createService"]
    # Three alerts, one incident (same service, same moment); then one alert, one incident.
    first = await ingest(client, paged["name"], "prometheus", "prometheus", "grafana")
    await ingest(client, quiet["name"], "grafana")
    incident_id = first[0]["incident"]["id"]
    assert {r["incident"]["id"] for r in first} == {incident_id}

    async def paged_once() -> list[dict[str, Any]]:
        return await own_server.stored(PAGES, {"incident_id": incident_id})

    (page,) = await eventually(paged_once)
    await client.data(ACKNOWLEDGE, {"id": incident_id})
    await client.data(RESOLVE, {"id": incident_id})
    until = datetime.now(UTC) + timedelta(seconds=2)

    variables = {"from": iso(start), "until": iso(until), "groupBy": "SERVICE"}
    by_service = (await client.data(ANALYTICS, variables))["analytics"]
    totals = by_service["totals"]
    assert (totals["incidents"], totals["alerts"]) == (2, 4)
    assert (totals["acknowledged"], totals["unacknowledged"]) == (1, 1)
    assert (totals["resolved"], totals["unresolved"]) == (1, 1)
    assert totals["noiseReduction"] == 0.5  # 1 - 2 incidents / 4 alerts
    mtta, mttr = totals["mtta"], totals["mttr"]
    assert mtta["count"] == mttr["count"] == 1
    # One sample each: mean, median and p90 are that sample; acknowledged before resolved.
    assert mtta["meanSeconds"] == mtta["medianSeconds"] == mtta["p90Seconds"]
    assert 0 <= mtta["meanSeconds"] <= mttr["meanSeconds"] <= (until - start).total_seconds()

    groups = {g["key"]: g for g in by_service["groups"]}
    assert groups.keys() == {paged["id"], quiet["id"]}
    assert groups[paged["id"]]["label"] == paged["name"]
    assert groups[paged["id"]]["figures"]["alerts"] == 3
    assert groups[paged["id"]]["figures"]["noiseReduction"] == pytest.approx(2 / 3)
    assert groups[quiet["id"]]["figures"]["mtta"] is None
    assert groups[quiet["id"]]["figures"]["unresolved"] == 1

    assert [(s["name"], s["alerts"], s["share"]) for s in by_service["noisySources"]] == [
        ("grafana", 2, 0.5),
        ("prometheus", 2, 0.5),
    ]
    assert [(s["name"], s["alerts"]) for s in by_service["noisyServices"]] == [
        (paged["name"], 3),
        (quiet["name"], 1),
    ]
    assert by_service["overTimeGrouping"] == "DAY"
    assert sum(b["figures"]["incidents"] for b in by_service["overTime"]) == 2

    (load,) = by_service["onCallLoad"]
    local = datetime.fromtimestamp(page["requested_ms"] / 1000, ZoneInfo("Asia/Kolkata"))
    working = local.weekday() < 5 and 9 <= local.hour < 18
    asleep = local.hour >= 22 or local.hour < 7
    assert load == {
        "userId": ann["id"],
        "name": ann["name"],
        "timeZone": "Asia/Kolkata",
        "pages": 1,
        "incidents": 1,
        "outsideWorkingHours": 0 if working else 1,
        "sleepHours": 1 if asleep else 0,
    }

    by_team = (await client.data(ANALYTICS, {**variables, "groupBy": "TEAM"}))["analytics"]
    (group,) = by_team["groups"]
    assert (group["key"], group["figures"]["incidents"], group["figures"]["alerts"]) == (
        team,
        2,
        4,
    )

    # The chart links point at this report; fetched with the token they are images.
    charts = by_service["charts"]
    async with httpx.AsyncClient(timeout=60) as http:
        for name in ("mttaMttr", "incidentsOverTime", "onCallLoad"):
            url = urlsplit(charts[name])
            assert url.path.endswith(".svg")
            response = await http.get(
                f"{own_server.url}{url.path}?{url.query}",
                headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
            )
            assert response.status_code == 200, response.text
            assert response.headers["content-type"] == "image/svg+xml"
            assert ElementTree.fromstring(response.content).tag == SVG
        png = urlsplit(charts["png"])
        response = await http.get(
            f"{own_server.url}{png.path}?{png.query}",
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    image.verify()
    assert image.format == "PNG"


async def test_a_period_must_run_forward_and_last_at_most_366_days(
    client: GraphQLClient,
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    backwards = await client.execute(
        ANALYTICS, {"from": iso(start), "until": iso(start), "groupBy": "DAY"}
    )
    (error,) = backwards["errors"]
    assert error["extensions"]["code"] == "VALIDATION"
    assert error["extensions"]["field"] == "until"
    assert "Swap" in error["extensions"]["suggestion"]

    too_long = await client.execute(
        ANALYTICS,
        {"from": iso(start), "until": iso(start + timedelta(days=367)), "groupBy": "MONTH"},
    )
    (error,) = too_long["errors"]
    assert error["extensions"]["code"] == "VALIDATION"
    assert "366" in error["message"]
    assert "year or less" in error["extensions"]["suggestion"]


async def test_viewers_read_analytics_and_integration_keys_do_not(
    client: GraphQLClient,
) -> None:
    viewer = await token_for_role(client, "VIEWER")
    now = datetime.now(UTC)
    variables = {"from": iso(now - timedelta(days=1)), "until": iso(now), "groupBy": "WEEK"}
    found = await client.data(ANALYTICS, variables, token=viewer)
    assert found["analytics"]["groupBy"] == "WEEK"
    key = (
        await client.data(
            "mutation($input: CreateIntegrationKeyInput!) "
            "{ createIntegrationKey(input: $input) { secret } }",
            {"input": {"name": unique("key")}},
        )
    )["createIntegrationKey"]["secret"]
    assert await client.error_code(ANALYTICS, variables, token=key) == "FORBIDDEN"


async def test_the_chart_endpoint_refuses_callers_without_a_token_and_bad_requests(
    server: LiveServer,
) -> None:
    query = "from=2026-11-01T00:00:00Z&until=2026-11-08T00:00:00Z&groupBy=day"
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
        anonymous = await http.get(f"/analytics/charts/incidents.svg?{query}")
        wrong = await http.get(
            f"/analytics/charts/incidents.svg?{query}", headers={"Authorization": "Bearer nope"}
        )
        unknown = await http.get(f"/analytics/charts/pie.svg?{query}", headers=admin)
        no_until = await http.get(
            "/analytics/charts/incidents.png?from=2026-11-01T00:00:00Z", headers=admin
        )
        backwards = await http.get(
            "/analytics/charts/incidents.png?from=2026-11-08T00:00:00Z&until=2026-11-01T00:00:00Z",
            headers=admin,
        )
        png = await http.get(f"/analytics/charts/mtta-mttr.png?{query}", headers=admin)
    for refused in (anonymous, wrong):
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
        assert refused.json()["code"] == "UNAUTHENTICATED"
    assert unknown.status_code == 404
    assert "mtta-mttr.svg" in unknown.json()["suggestion"]
    assert (no_until.status_code, no_until.json()["field"]) == (422, "until")
    assert (backwards.status_code, backwards.json()["code"]) == (422, "VALIDATION")
    assert png.status_code == 200
    Image.open(io.BytesIO(png.content)).verify()


async def test_users_have_a_time_zone_they_may_change_themselves(
    client: GraphQLClient,
) -> None:
    name = unique("tz")
    created = (
        await client.data(
            CREATE_USER, {"input": {"name": name, "email": f"{name}@example.com", "role": "VIEWER"}}
        )
    )["createUser"]
    assert created["timeZone"] == "UTC"
    assert (
        await client.error_code(
            CREATE_USER,
            {
                "input": {
                    "name": unique("tz"),
                    "email": "x@example.com",
                    "role": "VIEWER",
                    "timeZone": "Mars/Olympus_Mons",
                }
            },
        )
        == "VALIDATION"
    )

    user_id, _, token = await new_user(client, "VIEWER")
    changed = await client.data(
        UPDATE_USER, {"id": user_id, "input": {"timeZone": "Europe/Berlin"}}, token=token
    )
    assert changed["updateUser"]["timeZone"] == "Europe/Berlin"
    assert (await client.data("{ me { timeZone } }", token=token))["me"]["timeZone"] == (
        "Europe/Berlin"
    )
    body = await client.execute(
        UPDATE_USER, {"id": user_id, "input": {"timeZone": "../../etc/passwd"}}, token=token
    )
    assert body["errors"][0]["extensions"]["field"] == "timeZone"
    # Someone else's time zone needs an admin.
    assert (
        await client.error_code(
            UPDATE_USER, {"id": created["id"], "input": {"timeZone": "Asia/Tokyo"}}, token=token
        )
        == "FORBIDDEN"
    )
    by_admin = await client.data(
        UPDATE_USER, {"id": created["id"], "input": {"timeZone": "Asia/Tokyo"}}
    )
    assert by_admin["updateUser"]["timeZone"] == "Asia/Tokyo"


async def test_services_have_an_optional_team(client: GraphQLClient) -> None:
    payments, search = await new_team(client, "payments"), await new_team(client, "search")
    service = (
        await client.data(CREATE_SERVICE, {"input": {"name": unique("svc"), "team": payments}})
    )["createService"]
    assert service["team"] == payments
    moved = await client.data(UPDATE_SERVICE, {"id": service["id"], "input": {"team": search}})
    assert moved["updateService"]["team"] == search
    kept = await client.data(UPDATE_SERVICE, {"id": service["id"], "input": {}})
    assert kept["updateService"]["team"] == search
    cleared = await client.data(UPDATE_SERVICE, {"id": service["id"], "input": {"clearTeam": True}})
    assert cleared["updateService"]["team"] is None
    body = await client.execute(
        CREATE_SERVICE, {"input": {"name": unique("svc"), "team": "Payments Team"}}
    )
    assert body["errors"][0]["extensions"]["field"] == "team"
