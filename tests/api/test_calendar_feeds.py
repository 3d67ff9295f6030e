"""Calendar feeds on a live server: subscribe by secret URL, parse the feed back, revoke."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from icalendar import Calendar

from tests.api.helpers import SET_TEAM_MEMBER, new_team, team_member
from tests.api.schedules import CREATE_OVERRIDE, SHIFTS, create_schedule, layer, new_user
from tests.support import GraphQLClient, LiveServer, unique
from vigil.access_log import redact_path

CREATE_FEED = """mutation($input: CreateCalendarFeedInput!) {
  createCalendarFeed(input: $input) { url path feed { id scope targetId status } } }"""
REVOKE_FEED = "mutation($id: ID!) { revokeCalendarFeed(id: $id) { id status revokedAt } }"
CREATE_TEAM_SCHEDULE = """mutation($input: CreateScheduleInput!) {
  createSchedule(input: $input) { id } }"""
REMOVE_MEMBER = """mutation($slug: ID!, $userId: ID!) {
  removeTeamMember(slug: $slug, userId: $userId) { role } }"""


async def _events(server: LiveServer, path: str, **params: str) -> list[tuple[Any, ...]]:
    """(start, end, summary, uid) of each event of the feed at ``path``, in order."""
    async with httpx.AsyncClient(base_url=server.url) as http:
        response = await http.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return sorted(
        (e.decoded("dtstart"), e.decoded("dtend"), str(e["summary"]), str(e["uid"]))
        for e in calendar.walk("VEVENT")
    )


async def _status(server: LiveServer, path: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=server.url) as http:
        return await http.get(path)


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)


async def test_schedule_feed_holds_the_rendered_shifts(
    server: LiveServer, client: GraphQLClient
) -> None:
    ann, ann_name, _ = await new_user(client)
    bob, bob_name, _ = await new_user(client)
    cy, cy_name, _ = await new_user(client)
    started = (datetime.now(UTC) - timedelta(days=10)).date().isoformat()
    sid = (await create_schedule(client, [layer([ann, bob], starts_on=started)]))["id"]
    tomorrow = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0) + timedelta(
        days=1
    )
    override = {
        "kind": "ADD",
        "startsAt": tomorrow.isoformat(),
        "endsAt": (tomorrow + timedelta(hours=3)).isoformat(),
        "userId": cy,
    }
    await client.data(CREATE_OVERRIDE, {"id": sid, "input": override})
    created = (await client.data(CREATE_FEED, {"input": {"scheduleId": sid}}))["createCalendarFeed"]
    assert created["path"].startswith("/calendar/vcf_") and created["path"].endswith(".ics")
    assert created["url"] == "http://127.0.0.1:8000" + created["path"], "on VIGIL_PUBLIC_URL"
    assert created["feed"]["scope"] == "SCHEDULE" and created["feed"]["targetId"] == sid

    now = datetime.now(UTC)
    events = await _events(server, created["path"], past="2", days="5")
    first, last = events[0][0], events[-1][1]
    # Whole shifts overlapping the window: not cut where the window happens to start or end.
    assert first <= now - timedelta(days=2) < events[0][1]
    assert events[-1][0] < now + timedelta(days=5) <= last
    assert all(t.minute == t.second == 0 for e in events for t in e[:2])
    shifts = (
        await client.data(SHIFTS, {"id": sid, "from": first.isoformat(), "to": last.isoformat()})
    )["schedule"]["shifts"]
    names = {ann: ann_name, bob: bob_name, cy: cy_name}
    assert [e[:3] for e in events] == [
        (
            _at(s["start"]),
            _at(s["end"]),
            "On call: " + ", ".join(names[u] for u in s["userIds"]),
        )
        for s in shifts
    ]
    # The override adds cy for three hours (the 09:00 Berlin handoff is never at 12-15 UTC).
    with_cy = [(start, end) for start, end, summary, _ in events if cy_name in summary]
    assert with_cy == [(tomorrow, tomorrow + timedelta(hours=3))]
    # A refresh updates the same events rather than adding copies.
    again = await _events(server, created["path"], past="2", days="5")
    assert [e[3] for e in again] == [e[3] for e in events]
    # The default window: a week back, 60 days ahead.
    default = await _events(server, created["path"])
    assert default[0][0] <= now - timedelta(days=7) and default[-1][1] >= now + timedelta(days=60)
    assert default[-1][1] - default[0][0] <= timedelta(days=69)


async def test_user_feed_holds_only_that_users_shifts(
    server: LiveServer, client: GraphQLClient
) -> None:
    ann, _, ann_token = await new_user(client)
    bob, _, _ = await new_user(client)
    schedule = await create_schedule(
        client, [layer([ann, bob], starts_on=date.today().isoformat(), unit="HOURS", count=8)]
    )
    created = (await client.data(CREATE_FEED, {"input": {"userId": ann}}, token=ann_token))[
        "createCalendarFeed"
    ]
    events = await _events(server, created["path"], past="0", days="3")
    assert events, "ann takes every other 8-hour turn"
    assert {e[2] for e in events} == {f"On call: {schedule['name']}"}
    for start, end, _, _ in events:
        assert end - start <= timedelta(hours=9)  # 8 hours, 9 across a DST change
        oncall = await client.data(
            "query($id: ID!, $at: DateTime) { oncall(scheduleId: $id, at: $at) { userIds } }",
            {"id": schedule["id"], "at": (start + (end - start) / 2).isoformat()},
        )
        assert oncall["oncall"]["userIds"] == [ann]


async def test_revoked_and_unknown_feeds_answer_a_bare_404(
    server: LiveServer, client: GraphQLClient
) -> None:
    ann, _, ann_token = await new_user(client)
    _, _, other_token = await new_user(client)
    sid = (await create_schedule(client, [layer([ann], starts_on="2026-01-01")]))["id"]
    created = (await client.data(CREATE_FEED, {"input": {"scheduleId": sid}}, token=ann_token))[
        "createCalendarFeed"
    ]
    assert (await _status(server, created["path"])).status_code == 200

    feed_id = created["feed"]["id"]
    revoke = {"id": feed_id}
    assert await client.error_code(REVOKE_FEED, revoke, token=other_token) == "FORBIDDEN"
    revoked = (await client.data(REVOKE_FEED, revoke, token=ann_token))["revokeCalendarFeed"]
    assert revoked["status"] == "REVOKED" and revoked["revokedAt"]

    gone = await _status(server, created["path"])
    unknown = await _status(server, "/calendar/vcf_not-a-feed.ics")
    assert gone.status_code == unknown.status_code == 404
    assert gone.content == unknown.content
    listed = (await client.data("{ calendarFeeds { id status } }", token=ann_token))[
        "calendarFeeds"
    ]
    assert listed == [{"id": feed_id, "status": "REVOKED"}]


async def test_feed_requests_are_checked(server: LiveServer, client: GraphQLClient) -> None:
    ann, _, ann_token = await new_user(client, "VIEWER")
    bob, _, _ = await new_user(client)
    assert (
        await client.error_code(CREATE_FEED, {"input": {"userId": bob}}, token=ann_token)
        == "FORBIDDEN"
    )
    assert await client.error_code(CREATE_FEED, {"input": {}}) == "VALIDATION"
    assert await client.error_code(CREATE_FEED, {"input": {"scheduleId": "0" * 24}}) == "NOT_FOUND"
    created = (await client.data(CREATE_FEED, {"input": {"userId": ann}}, token=ann_token))[
        "createCalendarFeed"
    ]
    async with httpx.AsyncClient(base_url=server.url) as http:
        too_far = await http.get(created["path"], params={"days": "1000"})
    assert too_far.status_code == 422
    assert too_far.json()["code"] == "VALIDATION" and too_far.json()["field"] == "days"


def test_feed_secrets_stay_out_of_the_access_log() -> None:
    assert redact_path("/calendar/vcf_secret.ics?days=3") == "/calendar/<redacted>?days=3"


async def test_a_feed_stops_when_its_creator_may_no_longer_read_the_schedule(
    server: LiveServer, client: GraphQLClient
) -> None:
    team = await new_team(client)
    member = await team_member(client, team, "VIEWER")
    schedule = await client.data(
        CREATE_TEAM_SCHEDULE,
        {
            "input": {
                "name": unique("sched"),
                "team": team,
                "layers": [layer([member.id], starts_on="2026-01-01")],
            }
        },
    )
    feed = {"input": {"scheduleId": schedule["createSchedule"]["id"]}}
    created = (await client.data(CREATE_FEED, feed, token=member.token))["createCalendarFeed"]
    assert (await _status(server, created["path"])).status_code == 200

    await client.data(REMOVE_MEMBER, {"slug": team, "userId": member.id})
    left = await _status(server, created["path"])
    unknown = await _status(server, "/calendar/vcf_not-a-feed.ics")
    assert left.status_code == unknown.status_code == 404
    assert left.content == unknown.content

    # The feed was not revoked: it reads again once its creator may.
    await client.data(SET_TEAM_MEMBER, {"slug": team, "userId": member.id, "role": "VIEWER"})
    assert (await _status(server, created["path"])).status_code == 200
