"""POST /webhooks/generic: Vigil's own format, defined by api/webhooks/generic.schema.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

from api.webhooks.generic import SCHEMA
from domain.alert.model import MAX_LABEL_KEY, MAX_LABEL_VALUE, MAX_LABELS, MAX_LINKS
from domain.ingest.model import MAX_BATCH
from tests.api.webhooks.helpers import (
    alerts_of,
    bound_key,
    incidents_of,
    payload,
    post,
    stored_alerts,
    unbound_key,
)
from tests.support import GraphQLClient, LiveServer, unique

PATH = "/webhooks/generic"
ROOT = Path(__file__).parents[3]
README = ROOT / "README.md"


async def test_batch_stores_every_field(server: LiveServer, client: GraphQLClient) -> None:
    key = await bound_key(client)
    response = await post(server, PATH, payload("generic_batch"), token=key.secret)
    assert response.status_code == 200, response.text
    alerts = await alerts_of(client, key.service_id)
    backup = alerts["backup/pg-dump-nightly"]
    assert backup["summary"] == "Nightly backup failed"
    assert backup["description"].startswith("pg_dump exited")
    assert backup["source"] == "backup-cron"
    assert backup["severity"] == "CRITICAL"
    assert backup["labels"] == {"host": "backup-1", "job": "pg-dump-nightly"}
    assert backup["occurredAt"] == "2026-11-26T02:00:12+00:00"
    assert backup["links"] == [
        {"href": "https://logs.example.com/search?q=pg-dump-nightly", "text": "Logs"}
    ]
    assert backup["details"] == {"exitCode": 1, "attempt": 3}
    # Defaults: a fingerprint for a dedup key, "webhook" for the source.
    [stale] = [a for k, a in alerts.items() if k != "backup/pg-dump-nightly"]
    assert stale["dedupKey"].startswith("fp:")
    assert stale["source"] == "webhook"


async def test_single_object_is_one_alert_and_resolves_by_key(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    single = payload("generic_single")
    response = await post(server, PATH, single, token=key.secret)
    assert response.json()["outcomes"]["created"] == 1
    assert (await post(server, PATH, single, token=key.secret)).json()["outcomes"][
        "deduplicated"
    ] == 1
    await post(server, PATH, single | {"status": "resolved"}, token=key.secret)
    [incident] = await incidents_of(client, key.service_id)
    assert incident["status"] == "RESOLVED"
    assert incident["alerts"][0]["count"] == 2


async def test_unbound_key_routes_by_the_service_field(
    server: LiveServer, client: GraphQLClient
) -> None:
    secret = await unbound_key(client)
    service = unique("generic-routed")
    response = await post(
        server, PATH, payload("generic_single") | {"service": service}, token=secret
    )
    assert response.status_code == 200, response.text
    assert response.json()["alerts"][0]["incidentId"]
    services = {s["name"] for s in (await client.data("{ services { name } }"))["services"]}
    assert service in services


async def test_unknown_field_is_refused_naming_it(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    batch = payload("generic_batch")
    batch["alerts"][1]["sevrity"] = "warning"
    response = await post(server, PATH, batch, token=key.secret)
    assert response.status_code == 422
    assert response.json()["field"] == "alerts[1].sevrity"
    assert "not a known field" in response.json()["message"]
    assert await stored_alerts(server, key.service_id) == []


async def test_single_object_errors_name_alerts_0(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    response = await post(server, PATH, {"severity": "warning"}, token=key.secret)
    assert response.status_code == 422
    assert response.json()["field"] == "alerts[0].summary"


async def test_time_without_zone_is_refused(server: LiveServer, client: GraphQLClient) -> None:
    key = await bound_key(client)
    single = payload("generic_single") | {"occurredAt": "2026-11-26T10:00:00"}
    response = await post(server, PATH, single, token=key.secret)
    assert response.status_code == 422
    assert response.json()["field"] == "alerts[0].occurredAt"
    assert await stored_alerts(server, key.service_id) == []


async def test_more_than_1000_alerts_is_batch_too_large(
    server: LiveServer, client: GraphQLClient
) -> None:
    key = await bound_key(client)
    batch = {"alerts": [{"summary": f"a{i}"} for i in range(MAX_BATCH + 1)]}
    response = await post(server, PATH, batch, token=key.secret)
    assert response.status_code == 422
    assert response.json()["code"] == "BATCH_TOO_LARGE"
    assert await stored_alerts(server, key.service_id) == []


async def test_1000_alerts_are_taken_in_one_call(server: LiveServer, client: GraphQLClient) -> None:
    key = await bound_key(client)
    batch = {"alerts": [{"summary": f"disk {i} full", "dedupKey": f"d{i}"} for i in range(1000)]}
    response = await post(server, PATH, batch, token=key.secret)
    assert response.status_code == 200, response.text
    assert response.json()["outcomes"]["created"] == 1000
    assert len(await stored_alerts(server, key.service_id)) == 1000


def test_schema_file_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_limits_match_the_domain() -> None:
    alert = SCHEMA["$defs"]["alert"]["properties"]
    assert SCHEMA["$defs"]["batch"]["properties"]["alerts"]["maxItems"] == MAX_BATCH
    assert alert["labels"]["maxProperties"] == MAX_LABELS
    assert alert["labels"]["propertyNames"]["maxLength"] == MAX_LABEL_KEY
    assert alert["labels"]["additionalProperties"]["maxLength"] == MAX_LABEL_VALUE
    assert alert["links"]["maxItems"] == MAX_LINKS


def _generic_section() -> str:
    """The README's "Generic webhook" section."""
    text = README.read_text()
    found = re.search(r"^(#+) Generic webhook$", text, flags=re.MULTILINE)
    assert found, "no 'Generic webhook' section in the README"
    rest = text[found.end() :]
    end = re.search(rf"^#{{1,{len(found.group(1))}}} ", rest, flags=re.MULTILINE)
    return rest[: end.start()] if end else rest


def test_documented_examples_follow_the_schema() -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA)
    documented = re.findall(r"```json\n(.*?)```", _generic_section(), flags=re.DOTALL)
    assert documented, "the docs show examples of the generic format"
    examples = [payload("generic_batch"), payload("generic_single")]
    for example in [*examples, *(json.loads(block) for block in documented)]:
        assert list(validator.iter_errors(example)) == [], example
