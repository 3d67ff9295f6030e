"""A sender killed between claiming an open key and storing its alert, then retried:
the retry stores the alert once, under the id the claim names (regression of the SIGKILL
drill, tests/drills/test_sigkill_ingest.py, which lost the alerts of such a batch)."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.alert.model import Alert
from domain.alert.open_keys import Claim, OpenKeys
from domain.alert.repository import AlertRepository
from tests.support import LiveServer, stored_alert, unique

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _firing(service_id: str, dedup_key: str) -> Alert:
    return stored_alert(
        service_id=service_id, service="svc", at=NOW, dedup_key=dedup_key, summary="disk full"
    )


async def test_a_retry_after_a_crash_between_claim_and_insert_stores_the_alert_once(
    server: LiveServer,
) -> None:
    db = server.app.state.runtime.db
    alerts = AlertRepository(db)
    killed = _firing(unique("svc"), "disk")
    # The sender was killed after claiming the key, before storing its alert; its client
    # retries at once, well within the orphan grace.
    assert await OpenKeys(db).claim([Claim(killed.open_key, killed.id, NOW)]) == set()
    retry = _firing(killed.service_id, "disk")

    assert await alerts.insert_new([retry]) == set(), "the key is free for the retry"
    assert retry.id == killed.id, "stored under the id the claim names"
    found = await alerts.firing_by_open_keys([killed.open_key], NOW)
    assert found[killed.open_key].id == killed.id
    assert await db["alerts"].count_documents({"open_key": killed.open_key}) == 1


async def test_an_insert_whose_id_another_sender_stored_first_finds_its_key_taken(
    server: LiveServer,
) -> None:
    db = server.app.state.runtime.db
    alerts = AlertRepository(db)
    adopter = _firing(unique("svc"), "disk")
    await alerts.insert_new([adopter])
    # The claimant was alive after all: its own insert of the claimed id comes second.
    claimant = _firing(adopter.service_id, "cpu")
    claimant.id = adopter.id

    assert await alerts.insert_new([claimant]) == {claimant.open_key}
    assert [a.open_key for a in (await alerts.by_ids([adopter.id])).values()] == [adopter.open_key]
