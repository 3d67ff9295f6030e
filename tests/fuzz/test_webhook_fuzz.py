"""Malformed webhooks against every webhook endpoint, over real HTTP: random JSON, wrong
types, missing and huge fields, deep nesting, bad encodings and wrong content types. Every
answer is a 2xx or a 4xx in the documented JSON error format (api/webhooks/common.py), and a
4xx has stored nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from domain.store.embedded import free_loopback_port
from tests.api.queries import CREATE_KEY, CREATE_SERVICE
from tests.fuzz.strategies import CONTENT_TYPES, bodies
from tests.fuzz.threaded import ThreadedServer, admin_data, fuzz_settings, threaded_server
from tests.support import unique

FUZZ = settings.get_profile("vigil-fuzz")
PAYLOADS = Path(__file__).parents[1] / "api" / "webhooks" / "payloads"
KEY = "REPLACED-BY-THE-TEST"
WRITTEN = ("alerts", "incidents", "timeline", "change_events")
"""What an ingest or a change event writes: unchanged after a 4xx."""


@dataclass(frozen=True)
class Endpoint:
    path: str
    sample: Any
    key_in_body: bool = False
    """PagerDuty's formats carry the key as `routing_key`; the others in a header or path."""


def _sample(name: str) -> Any:
    return json.loads((PAYLOADS / f"{name}.json").read_text())


CHANGE = {
    "routing_key": KEY,
    "payload": {
        "summary": "Deployed checkout v2.3.1",
        "timestamp": "2026-11-26T06:42:58Z",
        "source": "ci",
        "custom_details": {"commit": "a1b2c3"},
    },
    "links": [{"href": "https://ci.example.com/builds/1", "text": "Build"}],
}
ENDPOINTS = [
    Endpoint("/webhooks/alertmanager", _sample("alertmanager_firing")),
    Endpoint("/webhooks/grafana", _sample("grafana_unified_firing")),
    Endpoint("/webhooks/grafana", _sample("grafana_legacy_alerting")),
    Endpoint("/webhooks/generic", _sample("generic_batch")),
    Endpoint("/v2/enqueue", _sample("pagerduty_trigger"), key_in_body=True),
    Endpoint("/v2/enqueue", _sample("pagerduty_acknowledge"), key_in_body=True),
    Endpoint("/v2/change/enqueue", CHANGE, key_in_body=True),
]


@dataclass(frozen=True)
class Request:
    endpoint: Endpoint
    body: bytes
    content_type: str
    key_in_path: bool


@st.composite
def requests(draw: st.DrawFn) -> Request:
    endpoint = draw(st.sampled_from(ENDPOINTS))
    return Request(
        endpoint,
        draw(bodies(endpoint.sample)),
        draw(CONTENT_TYPES),
        draw(st.booleans()) and not endpoint.key_in_body,
    )


@dataclass(frozen=True)
class Hooked:
    server: ThreadedServer
    secret: str


@pytest.fixture(scope="module")
def hooked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hooked]:
    # Its own server: nothing the GraphQL fuzzing created (heartbeats that lapse, say)
    # writes alerts while these tests compare the store before and after.
    data_dir: Path = tmp_path_factory.mktemp("vigil-webhook-fuzz")
    with threaded_server(data_dir, fuzz_settings(data_dir, free_loopback_port())) as server:
        service = admin_data(server, CREATE_SERVICE, {"input": {"name": unique("fuzzed")}})
        key = admin_data(
            server,
            CREATE_KEY,
            {"input": {"name": "fuzzer", "serviceId": service["createService"]["id"]}},
        )
        yield Hooked(server, key["createIntegrationKey"]["secret"])


def send(hooked: Hooked, request: Request) -> httpx.Response:
    path = request.endpoint.path
    headers = {"Content-Type": request.content_type} if request.content_type else {}
    if request.key_in_path:
        path = f"{path}/{hooked.secret}"
    elif not request.endpoint.key_in_body:
        headers["Authorization"] = f"Bearer {hooked.secret}"
    body = request.body.replace(KEY.encode(), hooked.secret.encode())
    return httpx.post(f"{hooked.server.url}{path}", content=body, headers=headers, timeout=30)


def assert_documented_error(response: httpx.Response) -> None:
    body = response.json()
    assert isinstance(body, dict), body
    assert {"code", "message", "suggestion"} <= body.keys(), body
    assert all(isinstance(body[key], str) and body[key] for key in ("code", "message")), body


@FUZZ
@given(request=requests())
def test_malformed_webhooks_get_a_2xx_or_a_documented_4xx(hooked: Hooked, request: Request) -> None:
    before = {name: hooked.server.count(name) for name in WRITTEN}
    response = send(hooked, request)
    # `make fuzz` prints these: how much of the budget got past each check.
    event(f"{request.endpoint.path} answered {response.status_code}")
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert_documented_error(response)
        assert {name: hooked.server.count(name) for name in WRITTEN} == before
