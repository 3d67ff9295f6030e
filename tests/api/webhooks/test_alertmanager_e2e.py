"""The real Prometheus Alertmanager, configured as "Connect your monitors" shows, sends
to a live Vigil: alerts posted to Alertmanager's API become Vigil alerts and an incident,
and resolve when Alertmanager sees them end. Through its webhook receiver, and through its
PagerDuty receiver pointed at /v2/enqueue (a real Events API v2 client)."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx

from domain.store.embedded import free_loopback_port
from tests.api.webhooks.helpers import bound_key, incidents_of
from tests.support import GraphQLClient, LiveServer, require_program

T = TypeVar("T")

STARTUP_S = 20.0
DELIVERY_S = 30.0

ROUTE = """\
route:
  receiver: vigil
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: vigil
"""
WEBHOOK = """\
    webhook_configs:
      - url: {vigil}/webhooks/alertmanager
        send_resolved: true
        http_config:
          authorization:
            credentials: {key}
"""
PAGERDUTY = """\
    pagerduty_configs:
      - url: {vigil}/v2/enqueue
        routing_key: {key}
"""


async def _until(
    probe: Callable[[], Awaitable[T | None]], seconds: float, what: str, log: Path
) -> T:
    """The first non-None result of `probe`, polled until `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = await probe()
        if result is not None:
            return result
        await asyncio.sleep(0.25)
    tail = await asyncio.to_thread(_tail, log)
    raise AssertionError(f"{what} within {seconds}s; Alertmanager's log ends:\n{tail}")


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:]


@asynccontextmanager
async def alertmanager(config: str, workdir: Path) -> AsyncIterator[str]:
    """Alertmanager on a free loopback port, alone (no cluster), storing under `workdir`;
    yields its base URL and stops it on exit."""
    binary = require_program("prometheus-alertmanager")
    port = free_loopback_port()
    (workdir / "alertmanager.yml").write_text(config)
    log = workdir / "alertmanager.log"
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            binary,
            f"--config.file={workdir / 'alertmanager.yml'}",
            f"--storage.path={workdir / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=",
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:

            async def ready() -> bool | None:
                if process.returncode is not None:
                    tail = await asyncio.to_thread(_tail, log)
                    raise AssertionError(f"Alertmanager exited; its log ends:\n{tail}")
                with contextlib.suppress(httpx.TransportError):
                    async with httpx.AsyncClient(timeout=2) as http:
                        if (await http.get(f"{url}/-/ready")).status_code == 200:
                            return True
                return None

            await _until(ready, STARTUP_S, "Alertmanager was not ready", log)
            yield url
        finally:
            if process.returncode is None:
                process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), 10)
                except TimeoutError:
                    process.kill()
                    await process.wait()


def _alerts(starts_at: datetime, ends_at: datetime | None = None) -> list[dict[str, Any]]:
    """Two alerts of one group, as Prometheus posts them; with `ends_at`, they have ended."""
    alerts = []
    for n, severity in ((1, "warning"), (2, "critical")):
        alert = {
            "labels": {
                "alertname": "CheckoutErrors",
                "instance": f"checkout-{n}:8080",
                "severity": severity,
            },
            "annotations": {"summary": f"5xx above 5% on checkout-{n}"},
            "startsAt": starts_at.isoformat(),
            "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=errors",
        }
        if ends_at is not None:
            alert["endsAt"] = ends_at.isoformat()
        alerts.append(alert)
    return alerts


async def test_alerts_posted_to_alertmanager_become_vigil_incidents_and_resolve(
    server: LiveServer, client: GraphQLClient, tmp_path: Path
) -> None:
    key = await bound_key(client, "alertmanager-e2e")
    config = ROUTE + WEBHOOK.format(vigil=server.url, key=key.secret)
    log = tmp_path / "alertmanager.log"
    started = datetime.now(UTC).replace(microsecond=0)
    async with alertmanager(config, tmp_path) as url, httpx.AsyncClient(timeout=10) as http:
        posted = await http.post(f"{url}/api/v2/alerts", json=_alerts(started))
        assert posted.status_code == 200, posted.text

        async def opened() -> dict[str, Any] | None:
            incidents = await incidents_of(client, key.service_id)
            if incidents and sum(len(i["alerts"]) for i in incidents) == 2:
                return incidents[0]
            return None

        incident = await _until(opened, DELIVERY_S, "Vigil did not get both alerts", log)
        assert incident["status"] == "TRIGGERED"
        assert incident["severity"] == "CRITICAL"
        summaries = sorted(a["summary"] for a in incident["alerts"])
        assert summaries == ["5xx above 5% on checkout-1", "5xx above 5% on checkout-2"]
        for alert in incident["alerts"]:
            assert alert["source"] == "alertmanager"
            assert alert["dedupKey"], "Alertmanager's fingerprint"
            assert "Alertmanager" in [link["text"] for link in alert["links"]]
            assert datetime.fromisoformat(alert["occurredAt"]) == started

        ended = datetime.now(UTC) - timedelta(seconds=1)
        posted = await http.post(f"{url}/api/v2/alerts", json=_alerts(started, ended))
        assert posted.status_code == 200, posted.text
        incident = await _until(
            _resolved(client, key.service_id), DELIVERY_S, "the incident did not resolve", log
        )
        assert {a["status"] for a in incident["alerts"]} == {"RESOLVED"}


async def test_alertmanagers_pagerduty_receiver_pages_vigil_at_v2_enqueue(
    server: LiveServer, client: GraphQLClient, tmp_path: Path
) -> None:
    key = await bound_key(client, "pagerduty-e2e")
    config = ROUTE + PAGERDUTY.format(vigil=server.url, key=key.secret)
    log = tmp_path / "alertmanager.log"
    started = datetime.now(UTC).replace(microsecond=0)
    async with alertmanager(config, tmp_path) as url, httpx.AsyncClient(timeout=10) as http:
        posted = await http.post(f"{url}/api/v2/alerts", json=_alerts(started))
        assert posted.status_code == 200, posted.text

        async def paged() -> dict[str, Any] | None:
            incidents = await incidents_of(client, key.service_id)
            # An incident is written just before its alerts (see the README's ingest
            # section), so a read in between lists it without them for a moment.
            return incidents[0] if incidents and incidents[0]["alerts"] else None

        incident = await _until(paged, DELIVERY_S, "Vigil was not paged", log)
        # Alertmanager's PagerDuty receiver sends one event per group, summarised.
        [alert] = incident["alerts"]
        assert alert["summary"].startswith("[FIRING:")
        assert "CheckoutErrors" in alert["summary"]
        assert alert["source"] == "Alertmanager"
        assert "CheckoutErrors" in alert["details"]["custom_details"]["firing"]

        ended = datetime.now(UTC) - timedelta(seconds=1)
        posted = await http.post(f"{url}/api/v2/alerts", json=_alerts(started, ended))
        assert posted.status_code == 200, posted.text
        await _until(
            _resolved(client, key.service_id), DELIVERY_S, "the incident did not resolve", log
        )


def _resolved(
    client: GraphQLClient, service_id: str
) -> Callable[[], Awaitable[dict[str, Any] | None]]:
    """A probe for the service's one incident, once it has resolved."""

    async def probe() -> dict[str, Any] | None:
        incidents = await incidents_of(client, service_id)
        assert len(incidents) == 1, f"one incident expected: {incidents}"
        return incidents[0] if incidents[0]["status"] == "RESOLVED" else None

    return probe
