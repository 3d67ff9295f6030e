"""Silences, maintenance windows and event rules change what opens incidents."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.api.helpers import token_for_role
from tests.api.queries import CREATE_SERVICE
from tests.support import GraphQLClient, unique

CREATE_SILENCE = """mutation($input: SilenceInput!) {
  createSilence(input: $input) { id comment createdBy matchers { name op value } } }"""
EXPIRE_SILENCE = "mutation($id: ID!) { expireSilence(id: $id) { id endsAt } }"
CREATE_WINDOW = """mutation($input: MaintenanceWindowInput!) {
  createMaintenanceWindow(input: $input) { id name recurrence } }"""
CREATE_RULE = """mutation($input: EventRuleInput!) {
  createEventRule(input: $input) { id name position } }"""
DELETE_RULE = "mutation($id: ID!) { deleteEventRule(id: $id) }"
DRY_RUN = """mutation($alert: AlertInput!) {
  testEventRules(alert: $alert) { rule { name } service severity labels suppressed } }"""
INGEST_FULL = """mutation($alerts: [AlertInput!]!) { ingestAlerts(alerts: $alerts) {
  outcome incident { id } alert { id serviceName severity labels suppression { kind name } } } }"""


def iso(moment: datetime) -> str:
    return moment.isoformat()


NOW = datetime.now(UTC)


async def ingest_one(client: GraphQLClient, alert: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = (await client.data(INGEST_FULL, {"alerts": [alert]}))["ingestAlerts"][
        0
    ]
    return result


@pytest.fixture
async def rules(client: GraphQLClient) -> AsyncIterator[list[str]]:
    """Rule ids to delete after the test, so rules never leak into other tests."""
    created: list[str] = []
    yield created
    for rule_id in created:
        await client.data(DELETE_RULE, {"id": rule_id})


async def test_silence_stores_and_marks_matching_alerts(client: GraphQLClient) -> None:
    service = unique("silenced")
    silence = (
        await client.data(
            CREATE_SILENCE,
            {
                "input": {
                    "matchers": [
                        {"name": "service", "op": "EQUAL", "value": service},
                        {"name": "env", "op": "REGEX", "value": "stag.*"},
                    ],
                    "endsAt": iso(NOW + timedelta(hours=1)),
                    "comment": "load test",
                }
            },
        )
    )["createSilence"]
    assert silence["createdBy"] == "user:admin"

    muted = await ingest_one(
        client, {"summary": "slow", "service": service, "labels": {"env": "staging"}}
    )
    assert muted["outcome"] == "CREATED"
    assert muted["incident"] is None
    assert muted["alert"]["suppression"] == {"kind": "SILENCE", "name": "load test"}

    loud = await ingest_one(
        client, {"summary": "slow", "service": service, "labels": {"env": "production"}}
    )
    assert loud["incident"] is not None and loud["alert"]["suppression"] is None

    await client.data(EXPIRE_SILENCE, {"id": silence["id"]})
    again = await ingest_one(
        client, {"summary": "slow", "service": service, "labels": {"env": "staging"}}
    )
    assert again["outcome"] == "DEDUPLICATED"
    assert again["alert"]["id"] == muted["alert"]["id"]
    assert again["alert"]["suppression"] is None, "firing on after the silence: lifted"
    assert again["incident"] is not None


async def test_suppressed_alerts_are_listed(client: GraphQLClient) -> None:
    service = unique("listed")
    await client.data(
        CREATE_SILENCE,
        {
            "input": {
                "matchers": [{"name": "service", "op": "EQUAL", "value": service}],
                "endsAt": iso(NOW + timedelta(hours=1)),
                "comment": "quiet",
            }
        },
    )
    alert = await ingest_one(client, {"summary": "hidden", "service": service})
    service_id = (await client.data("{ services { id name } }"))["services"]
    sid = next(s["id"] for s in service_id if s["name"] == service)
    listed = await client.data(
        """query($f: AlertFilter) { alerts(first: 10, filter: $f) {
             edges { node { id suppression { kind } } } } }""",
        {"f": {"serviceIds": [sid], "suppressed": True}},
    )
    assert [e["node"]["id"] for e in listed["alerts"]["edges"]] == [alert["alert"]["id"]]


async def test_maintenance_window_keeps_alerts_out_of_incidents(client: GraphQLClient) -> None:
    service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("maint")}}))[
        "createService"
    ]
    await client.data(
        CREATE_WINDOW,
        {
            "input": {
                "name": "db upgrade",
                "serviceIds": [service["id"]],
                "startsAt": iso(NOW - timedelta(minutes=5)),
                "endsAt": iso(NOW + timedelta(hours=1)),
            }
        },
    )
    result = await ingest_one(client, {"summary": "db down", "service": service["name"]})
    assert result["incident"] is None
    assert result["alert"]["suppression"] == {"kind": "MAINTENANCE", "name": "db upgrade"}
    other = await ingest_one(client, {"summary": "db down", "service": unique("elsewhere")})
    assert other["incident"] is not None


async def test_future_recurring_window_does_not_suppress_now_and_shows_in_history(
    client: GraphQLClient,
) -> None:
    service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("weekly")}}))[
        "createService"
    ]
    first = (NOW + timedelta(days=1)).replace(microsecond=0)
    window = (
        await client.data(
            CREATE_WINDOW,
            {
                "input": {
                    "name": "weekly patching",
                    "serviceIds": [service["id"]],
                    "startsAt": iso(first),
                    "endsAt": iso(first + timedelta(hours=2)),
                    "recurrence": "FREQ=WEEKLY;COUNT=3",
                }
            },
        )
    )["createMaintenanceWindow"]
    assert window["recurrence"] == "FREQ=WEEKLY;COUNT=3"
    result = await ingest_one(client, {"summary": "x", "service": service["name"]})
    assert result["incident"] is not None
    history = await client.data(
        """query($id: ID!, $since: DateTime!, $until: DateTime!) { service(id: $id) {
             maintenance(since: $since, until: $until) { startsAt endsAt window { name } } } }""",
        {"id": service["id"], "since": iso(NOW), "until": iso(NOW + timedelta(days=30))},
    )
    occurrences = history["service"]["maintenance"]
    assert len(occurrences) == 3
    assert occurrences[1]["startsAt"] == iso(first + timedelta(days=7))


async def test_suppressing_rule_and_dry_run(client: GraphQLClient, rules: list[str]) -> None:
    service = unique("ruled")
    rule = (
        await client.data(
            CREATE_RULE,
            {
                "input": {
                    "name": "drop flapping disk checks",
                    "matchers": [
                        {"name": "service", "op": "EQUAL", "value": service},
                        {"name": "summary", "op": "REGEX", "value": "disk .*"},
                    ],
                    "actions": {"suppress": True},
                }
            },
        )
    )["createEventRule"]
    rules.append(rule["id"])
    dry = (await client.data(DRY_RUN, {"alert": {"summary": "disk 91%", "service": service}}))[
        "testEventRules"
    ]
    assert dry["rule"] == {"name": "drop flapping disk checks"} and dry["suppressed"] is True
    miss = (await client.data(DRY_RUN, {"alert": {"summary": "cpu", "service": service}}))[
        "testEventRules"
    ]
    assert miss["rule"] is None and miss["suppressed"] is False

    dropped = await ingest_one(client, {"summary": "disk 91%", "service": service})
    assert dropped["incident"] is None
    assert dropped["alert"]["suppression"]["kind"] == "RULE"
    kept = await ingest_one(client, {"summary": "cpu 99%", "service": service})
    assert kept["incident"] is not None


async def test_rule_routes_sets_severity_and_adds_labels(
    client: GraphQLClient, rules: list[str]
) -> None:
    source, target = unique("from"), unique("to")
    rule = (
        await client.data(
            CREATE_RULE,
            {
                "input": {
                    "name": "payments team owns stripe alerts",
                    "position": 0,
                    "matchers": [
                        {"name": "service", "op": "EQUAL", "value": source},
                        {"name": "vendor", "op": "EQUAL", "value": "stripe"},
                    ],
                    "actions": {
                        "routeTo": target,
                        "setSeverity": "CRITICAL",
                        "addLabels": {"team": "payments"},
                    },
                }
            },
        )
    )["createEventRule"]
    rules.append(rule["id"])
    assert rule["position"] == 0
    result = await ingest_one(
        client,
        {
            "summary": "charge failures",
            "service": source,
            "severity": "WARNING",
            "labels": {"vendor": "stripe"},
        },
    )
    alert = result["alert"]
    assert alert["serviceName"] == target
    assert alert["severity"] == "CRITICAL"
    assert alert["labels"] == {"vendor": "stripe", "team": "payments"}


async def test_rule_order_first_match_wins(client: GraphQLClient, rules: list[str]) -> None:
    service = unique("order")
    for name, severity in (("second", "INFO"), ("first", "CRITICAL")):
        rule = (
            await client.data(
                CREATE_RULE,
                {
                    "input": {
                        "name": name,
                        "position": 0,
                        "matchers": [{"name": "service", "op": "EQUAL", "value": service}],
                        "actions": {"setSeverity": severity},
                    }
                },
            )
        )["createEventRule"]
        rules.append(rule["id"])
    dry = (await client.data(DRY_RUN, {"alert": {"summary": "x", "service": service}}))[
        "testEventRules"
    ]
    assert dry["rule"]["name"] == "first" and dry["severity"] == "CRITICAL"


@pytest.mark.parametrize(
    ("mutation", "variables"),
    [
        (
            CREATE_SILENCE,
            {"input": {"matchers": [], "endsAt": iso(NOW + timedelta(hours=1)), "comment": "x"}},
        ),
        (
            CREATE_SILENCE,
            {
                "input": {
                    "matchers": [{"name": "a", "op": "REGEX", "value": "("}],
                    "endsAt": iso(NOW + timedelta(hours=1)),
                    "comment": "x",
                }
            },
        ),
        (
            CREATE_SILENCE,
            {
                "input": {
                    "matchers": [{"name": "a", "op": "EQUAL", "value": "b"}],
                    "endsAt": iso(NOW - timedelta(hours=1)),
                    "comment": "x",
                }
            },
        ),
        (
            CREATE_WINDOW,
            {
                "input": {
                    "name": "all",
                    "startsAt": iso(NOW),
                    "endsAt": iso(NOW + timedelta(hours=1)),
                }
            },
        ),
        (
            CREATE_WINDOW,
            {
                "input": {
                    "name": "bad rule",
                    "matchers": [{"name": "a", "op": "EQUAL", "value": "b"}],
                    "startsAt": iso(NOW),
                    "endsAt": iso(NOW + timedelta(hours=1)),
                    "recurrence": "FREQ=SOMETIMES",
                }
            },
        ),
        (
            CREATE_RULE,
            {
                "input": {
                    "name": "no action",
                    "matchers": [{"name": "a", "op": "EQUAL", "value": "b"}],
                    "actions": {},
                }
            },
        ),
    ],
)
async def test_invalid_noise_controls_are_validation_errors(
    client: GraphQLClient, mutation: str, variables: dict[str, Any]
) -> None:
    assert await client.error_code(mutation, variables) == "VALIDATION"


async def test_roles_for_noise_controls(client: GraphQLClient) -> None:
    viewer = await token_for_role(client, "VIEWER")
    responder = await token_for_role(client, "RESPONDER")
    silence = {
        "input": {
            "matchers": [{"name": "service", "op": "EQUAL", "value": unique("r")}],
            "endsAt": iso(NOW + timedelta(hours=1)),
            "comment": "x",
        }
    }
    rule = {
        "input": {
            "name": "r",
            "matchers": [{"name": "service", "op": "EQUAL", "value": unique("r")}],
            "actions": {"suppress": True},
        }
    }
    assert await client.error_code(CREATE_SILENCE, silence, token=viewer) == "FORBIDDEN"
    await client.data(CREATE_SILENCE, silence, token=responder)
    assert await client.error_code(CREATE_RULE, rule, token=responder) == "FORBIDDEN"
    assert await client.data("{ silences { id } eventRules { id } }", token=viewer)
