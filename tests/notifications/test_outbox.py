"""The outbox: written first, sent once, retried with backoff, dead-lettered at the end."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta

from domain.store.timestamps import to_ms
from notifications.outbox import AttemptOutcome, DeliveryAttempt, NotificationStatus, Outbox
from tests.notifications.conftest import BACKOFF, MAX_ATTEMPTS
from tests.notifications.receivers import HttpReceiver
from tests.notifications.scene import (
    arrived,
    contact,
    incident,
    notifications_of,
    page,
    page_request,
    person,
    settled,
    stored,
    timeline_kinds,
)
from tests.support import GraphQLClient, LiveServer, unique

ACKNOWLEDGE = """mutation($id: ID!) { acknowledgeIncident(id: $id) { status } }"""


async def test_a_receiver_failing_twice_gets_the_notification_once_after_backoff(
    notify_server: LiveServer, notify_client: GraphQLClient, receiver: HttpReceiver
) -> None:
    who = await person(notify_client)
    path = f"/flaky/{unique('f')}"
    receiver.fail(path, 2)
    await contact(notify_client, who, "WEBHOOK", receiver.url + path)
    opened = await incident(notify_client)
    await page(notify_server, opened, who)

    done = await settled(notify_client, opened["id"])
    [notification] = done["notifications"]
    assert notification["status"] == "SENT"
    assert [a["outcome"] for a in notification["attempts"]] == ["FAILED", "FAILED", "DELIVERED"]
    assert [a["statusCode"] for a in notification["attempts"]] == [500, 500, 200]
    assert [r.status for r in receiver.to(path)] == [500, 500, 200]
    assert len(receiver.delivered(path)) == 1
    # Every retry carries the same delivery id, so a receiver can tell repeats apart.
    assert len({r.headers["vigil-delivery"] for r in receiver.to(path)}) == 1

    times = [r.at for r in receiver.to(path)]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert gaps[0] >= BACKOFF.total_seconds() - 0.01
    assert gaps[1] >= 2 * BACKOFF.total_seconds() - 0.01
    assert gaps[1] > gaps[0]
    kinds = await timeline_kinds(notify_client, opened["id"], "NOTIFICATION_SENT")
    assert kinds.count("NOTIFICATION_SENT") == 1
    assert "NOTIFICATION_FAILED" not in kinds


async def test_a_dead_letter_after_the_last_attempt(
    notify_server: LiveServer, notify_client: GraphQLClient, receiver: HttpReceiver
) -> None:
    who = await person(notify_client)
    path = f"/down/{unique('d')}"
    receiver.fail(path, 1000)
    await contact(notify_client, who, "SLACK", receiver.url + path)
    opened = await incident(notify_client)
    await page(notify_server, opened, who)

    done = await settled(notify_client, opened["id"])
    [notification] = done["notifications"]
    assert notification["status"] == "DEAD"
    assert len(notification["attempts"]) == MAX_ATTEMPTS
    assert all(a["statusCode"] == 500 for a in notification["attempts"])
    assert notification["lastError"].startswith("HTTP 500")
    assert len(receiver.to(path)) == MAX_ATTEMPTS
    await timeline_kinds(notify_client, opened["id"], "NOTIFICATION_FAILED")
    timeline = (await notifications_of(notify_client, opened["id"]))["timeline"]["edges"]
    failed = [e["node"]["message"] for e in timeline if e["node"]["kind"] == "NOTIFICATION_FAILED"]
    assert len(failed) == 1
    assert f"after {MAX_ATTEMPTS} attempt(s)" in failed[0]
    assert f"Could not notify {who.name} by slack" in failed[0]


async def test_the_same_page_twice_notifies_once(
    notify_server: LiveServer, notify_client: GraphQLClient, receiver: HttpReceiver
) -> None:
    who = await person(notify_client)
    path = f"/once/{unique('o')}"
    await contact(notify_client, who, "WEBHOOK", receiver.url + path)
    opened = await incident(notify_client)
    first = await page(notify_server, opened, who)
    await notify_server.app.state.container.notifications.pager.page([first, first])
    await page(notify_server, opened, who, key=first.key)

    await settled(notify_client, opened["id"])
    entries = await notify_server.stored("notification_outbox", {"incident_id": opened["id"]})
    assert len(entries) == 1
    await arrived(lambda: receiver.delivered(path))
    assert len(receiver.to(path)) == 1


async def test_rules_delay_each_notification_from_the_page(
    notify_server: LiveServer, notify_client: GraphQLClient, receiver: HttpReceiver
) -> None:
    who = await person(notify_client)
    now_path, later_path = f"/now/{unique('n')}", f"/later/{unique('l')}"
    await contact(notify_client, who, "WEBHOOK", receiver.url + now_path, delay=0)
    await contact(notify_client, who, "WEBHOOK", receiver.url + later_path, delay=10)
    opened = await incident(notify_client)
    request = await page(notify_server, opened, who)

    await arrived(lambda: receiver.delivered(now_path))
    entries = stored(
        await notify_server.stored("notification_outbox", {"incident_id": opened["id"]})
    )
    send_after = sorted(e.send_after - request.requested_at for e in entries)
    assert [round(d.total_seconds()) for d in send_after] == [0, 600]
    later = next(e for e in entries if e.send_after - request.requested_at > timedelta(0))
    assert later.status.value == "pending"
    assert receiver.to(later_path) == []


async def test_an_acknowledged_incident_cancels_notifications_not_yet_due(
    notify_server: LiveServer, notify_client: GraphQLClient, receiver: HttpReceiver
) -> None:
    who = await person(notify_client)
    path = f"/late/{unique('c')}"
    await contact(notify_client, who, "WEBHOOK", receiver.url + path, delay=1)
    opened = await incident(notify_client)
    await page(notify_server, opened, who)
    await notify_client.data(ACKNOWLEDGE, {"id": opened["id"]})
    # Time passes: the entry falls due.
    await notify_server.app.state.runtime.db["notification_outbox"].update_many(
        {"incident_id": opened["id"]}, {"$set": {"due_ms": 0}}
    )

    done = await settled(notify_client, opened["id"])
    [notification] = done["notifications"]
    assert notification["status"] == "CANCELLED"
    assert notification["attempts"][0]["outcome"] == "SKIPPED"
    assert receiver.to(path) == []


async def test_a_user_without_contact_methods_shows_as_a_dead_letter(
    notify_server: LiveServer, notify_client: GraphQLClient
) -> None:
    who = await person(notify_client)
    opened = await incident(notify_client)
    await page(notify_server, opened, who)
    await page(notify_server, opened, who)

    found = await notifications_of(notify_client, opened["id"])
    statuses = [(n["status"], n["contactMethodId"]) for n in found["notifications"]]
    assert statuses == [("DEAD", None), ("DEAD", None)]  # two pages (two keys), one entry each
    assert found["notifications"][0]["lastError"] == "The user has no contact method."
    kinds = [e["node"]["kind"] for e in found["timeline"]["edges"]]
    assert kinds.count("NOTIFICATION_FAILED") == 2


async def test_an_entry_whose_worker_died_is_sent_once_its_lease_runs_out(
    notify_server: LiveServer, notify_client: GraphQLClient, receiver: HttpReceiver
) -> None:
    who = await person(notify_client)
    path = f"/orphan/{unique('o')}"
    await contact(notify_client, who, "WEBHOOK", receiver.url + path, delay=1)
    opened = await incident(notify_client)
    await page(notify_server, opened, who)
    collection = notify_server.app.state.runtime.db["notification_outbox"]
    # The state a claim leaves: leased to a worker that then died, lease ending in 2 s.
    leased_until = to_ms(datetime.now(UTC)) + 2000
    await collection.update_many(
        {"incident_id": opened["id"]}, {"$set": {"due_ms": leased_until, "lease": "dead-worker"}}
    )
    [orphan] = stored(
        await notify_server.stored("notification_outbox", {"incident_id": opened["id"]})
    )

    await arrived(lambda: receiver.delivered(path))
    assert receiver.to(path)[0].at * 1000 >= leased_until - 10
    done = await settled(notify_client, opened["id"])
    assert [n["status"] for n in done["notifications"]] == ["SENT"]
    # The dead worker, should it wake up, can no longer record anything.
    attempt = DeliveryAttempt(datetime.now(UTC), AttemptOutcome.FAILED, "late")
    assert not await Outbox(notify_server.app.state.runtime.db).record(
        orphan, attempt, status=NotificationStatus.DEAD, due_ms=0
    )
    assert len(receiver.to(path)) == 1


async def test_concurrent_workers_send_each_notification_once(
    notify_server: LiveServer, notify_client: GraphQLClient, receiver: HttpReceiver
) -> None:
    who = await person(notify_client)
    path = f"/many/{unique('m')}"
    await contact(notify_client, who, "WEBHOOK", receiver.url + path)
    opened = await incident(notify_client)
    pager = notify_server.app.state.container.notifications.pager
    center = notify_server.app.state.container.notifications.center
    requests = [await page_request(opened, who, step) for step in range(40)]
    await pager.page(requests)
    # Three more workers on top of the server's own background job.
    await asyncio.gather(*(center.deliver_due() for _ in range(3)))

    await settled(notify_client, opened["id"], count=40)
    ids = [r.headers["vigil-delivery"] for r in receiver.to(path)]
    assert len(ids) == 40
    assert len(set(ids)) == 40


async def test_a_notification_to_a_deleted_contact_method_is_a_dead_letter(
    notify_server: LiveServer, notify_client: GraphQLClient, receiver: HttpReceiver
) -> None:
    who = await person(notify_client)
    path = f"/gone/{unique('g')}"
    method = await contact(notify_client, who, "WEBHOOK", receiver.url + path, delay=1)
    opened = await incident(notify_client)
    await page(notify_server, opened, who)
    await notify_client.data(
        "mutation($id: ID!) { deleteContactMethod(id: $id) }",
        {"id": method["contactMethod"]["id"]},
        token=who.token,
    )
    await notify_server.app.state.runtime.db["notification_outbox"].update_many(
        {"incident_id": opened["id"]}, {"$set": {"due_ms": 0}}
    )

    done = await settled(notify_client, opened["id"])
    [notification] = done["notifications"]
    assert notification["status"] == "DEAD"
    assert notification["lastError"] == "The contact method was deleted."
    assert len(notification["attempts"]) == 1
    assert receiver.to(path) == []
