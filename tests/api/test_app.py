"""Start-up and shutdown: data survives restarts, admins are bootstrapped, and
half-done work is finished."""

from __future__ import annotations

import gc
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from api.app import GC_THRESHOLD
from domain.alert.model import Severity
from domain.ids import new_id
from domain.store.embedded import free_loopback_port
from tests.api.queries import CREATE_SERVICE, INCIDENT
from tests.support import ADMIN_TOKEN, GraphQLClient, live_server, stored_alert, unique
from vigil.settings import Settings


async def test_data_survives_a_restart(tmp_path: Path) -> None:
    name = unique("durable")
    async with live_server(tmp_path) as first:
        await GraphQLClient(first).data(CREATE_SERVICE, {"input": {"name": name}})
    async with live_server(tmp_path) as second:
        services = await GraphQLClient(second).data("{ services { name } }")
    assert name in [s["name"] for s in services["services"]]


async def test_first_start_without_admin_token_prints_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(data_dir=tmp_path, admin_token=None, port=free_loopback_port())
    async with live_server(tmp_path, settings=settings) as running:
        printed = capsys.readouterr().err
        match = re.search(r"(vgl_\S+)", printed)
        assert match, printed
        me = await GraphQLClient(running, token=match.group(1)).data("{ me { role } }")
        assert me["me"]["role"] == "ADMIN"
    async with live_server(tmp_path, settings=settings):
        assert "vgl_" not in capsys.readouterr().err, "the token is shown only once"


async def test_alerts_left_unattached_by_a_crash_are_attached_at_start(tmp_path: Path) -> None:
    async with live_server(tmp_path) as first:
        client = GraphQLClient(first)
        service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("crash")}}))[
            "createService"
        ]
        long_ago = datetime.now(UTC) - timedelta(minutes=5)
        orphan = stored_alert(
            service_id=service["id"],
            service=service["name"],
            at=long_ago,
            dedup_key="orphan",
            summary="stored before the crash",
        )
        await first.app.state.runtime.db["alerts"].insert_one(orphan.to_document())
    async with live_server(tmp_path) as second:
        [stored] = await second.stored("alerts", {"_id": orphan.id})
        assert stored["incident_id"] is not None
        incident = await GraphQLClient(second, token=ADMIN_TOKEN).data(
            INCIDENT, {"id": stored["incident_id"]}
        )
        assert incident["incident"]["title"] == "stored before the crash"
        assert incident["incident"]["timeline"]["edges"][0]["node"]["actor"] == "system:recovery"


async def test_batch_interrupted_before_its_incidents_were_written_is_mended(
    tmp_path: Path,
) -> None:
    """A crash after the alerts were stored (naming their new incident) but before the
    incident was written: the journal entry lets the next start write and count it."""
    from domain.incident.model import Incident, IncidentStatus
    from domain.ingest.journal import IngestJournal

    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    async with live_server(tmp_path) as first:
        client = GraphQLClient(first)
        service = (await client.data(CREATE_SERVICE, {"input": {"name": unique("wal")}}))[
            "createService"
        ]
        planned = Incident(
            id=new_id(),
            number=9001,
            title="half-written",
            status=IncidentStatus.TRIGGERED,
            severity=Severity.ERROR,
            service_id=service["id"],
            created_at=long_ago,
            first_event_at=long_ago,
            last_event_at=long_ago,
            alert_count=5,
            open_alert_count=5,
        )
        db = first.app.state.runtime.db
        await IngestJournal(db).begin([planned], {planned.id}, long_ago)
        for n in range(2):
            stored = stored_alert(
                service_id=service["id"],
                service=service["name"],
                at=long_ago,
                dedup_key=f"wal-{n}",
                summary="half-written",
                severity=Severity.CRITICAL,
                incident_id=planned.id,
            )
            stored.occurred_at = long_ago + timedelta(seconds=n)
            await db["alerts"].insert_one(stored.to_document())
    async with live_server(tmp_path) as second:
        incident = (await GraphQLClient(second).data(INCIDENT, {"id": planned.id}))["incident"]
        assert incident["alertCount"] == 2, "counted from the alerts actually stored"
        assert incident["openAlertCount"] == 2
        assert (incident["number"], incident["title"]) == (9001, "half-written")
        assert incident["severity"] == "CRITICAL"
        assert await second.stored("ingest_journal", {}) == []


async def test_the_collector_runs_less_often_once_started(tmp_path: Path) -> None:
    default = gc.get_threshold()
    gc.set_threshold(700)  # Python's default, whatever an earlier test's server left
    try:
        async with live_server(tmp_path):
            assert gc.get_threshold()[0] == GC_THRESHOLD
    finally:
        gc.set_threshold(*default)
