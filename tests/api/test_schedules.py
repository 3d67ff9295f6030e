"""Schedules through GraphQL on a live server: roles, DST-correct answers, overrides, errors."""

from __future__ import annotations

from typing import Any

from tests.api.schedules import (
    CREATE_OVERRIDE,
    CREATE_SCHEDULE,
    DELETE_OVERRIDE,
    ONCALL,
    SCHEDULE_FIELDS,
    SHIFTS,
    create_schedule,
    layer,
    new_user,
)
from tests.support import GraphQLClient, LiveServer, unique

UPDATE_SCHEDULE = (
    "mutation($id: ID!, $input: UpdateScheduleInput!) { updateSchedule(id: $id, input: $input) {"
    + SCHEDULE_FIELDS
    + "} }"
)
ADD_LAYER = """mutation($id: ID!, $input: LayerInput!, $position: Int) {
  addScheduleLayer(scheduleId: $id, input: $input, position: $position) {
    layers { index rotation { participantIds } } } }"""
UPDATE_LAYER = """mutation($id: ID!, $index: Int!, $input: LayerInput!) {
  updateScheduleLayer(scheduleId: $id, index: $index, input: $input) {
    layers { index rotation { participantIds timeZone } restrictions { weekdays } } } }"""
REMOVE_LAYER = """mutation($id: ID!, $index: Int!) {
  removeScheduleLayer(scheduleId: $id, index: $index) { layers { index } } }"""
DELETE_SCHEDULE = "mutation($id: ID!) { deleteSchedule(id: $id) }"
SCHEDULE = "query($id: ID!) { schedule(id: $id) {" + SCHEDULE_FIELDS + "} }"


def _errors(body: dict[str, Any]) -> dict[str, Any]:
    assert body.get("errors"), body
    extensions: dict[str, Any] = body["errors"][0]["extensions"]
    return extensions


async def test_viewers_read_responders_override_admins_configure(
    server: LiveServer, client: GraphQLClient
) -> None:
    ann, _, _ = await new_user(client)
    bob, _, _ = await new_user(client)
    _, _, viewer = await new_user(client, "VIEWER")
    _, _, responder = await new_user(client, "RESPONDER")
    rotation = layer([ann, bob], starts_on="2027-01-04")
    denied = {"input": {"name": unique("sched"), "layers": [rotation]}}

    assert await client.error_code(CREATE_SCHEDULE, denied, token=viewer) == "FORBIDDEN"
    assert await client.error_code(CREATE_SCHEDULE, denied, token=responder) == "FORBIDDEN"
    schedule = await create_schedule(client, [rotation])
    sid = schedule["id"]
    assert schedule["layers"][0]["rotation"] == {
        "participantIds": [ann, bob],
        "shiftLength": {"count": 1, "unit": "DAYS"},
        "startsOn": "2027-01-04",
        "handoff": "09:00:00",
        "timeZone": "Europe/Berlin",
    }

    listed = await client.data("{ schedules { id } }", token=viewer)
    assert {"id": sid} in listed["schedules"]
    assert (await client.data(SCHEDULE, {"id": sid}, token=viewer))["schedule"]["id"] == sid

    override = {
        "kind": "ADD",
        "startsAt": "2027-01-04T10:00:00Z",
        "endsAt": "2027-01-04T12:00:00Z",
        "userId": bob,
    }
    assert (
        await client.error_code(CREATE_OVERRIDE, {"id": sid, "input": override}, token=viewer)
        == "FORBIDDEN"
    )
    created = (await client.data(CREATE_OVERRIDE, {"id": sid, "input": override}, token=responder))[
        "createOverride"
    ]
    assert created["kind"] == "ADD"
    assert (
        await client.error_code(DELETE_OVERRIDE, {"s": sid, "id": created["id"]}, token=viewer)
        == "FORBIDDEN"
    )
    assert (await client.data(DELETE_OVERRIDE, {"s": sid, "id": created["id"]}, token=responder))[
        "deleteOverride"
    ]
    assert (await client.data(SCHEDULE, {"id": sid}))["schedule"]["overrides"] == []

    renamed = {"id": sid, "input": {"name": "renamed"}}
    assert await client.error_code(UPDATE_SCHEDULE, renamed, token=responder) == "FORBIDDEN"
    assert (await client.data(UPDATE_SCHEDULE, renamed))["updateSchedule"]["name"] == "renamed"

    nights = layer([bob], starts_on="2027-01-04", handoff="20:00:00", unit="WEEKS")
    assert (
        await client.error_code(ADD_LAYER, {"id": sid, "input": nights}, token=responder)
        == "FORBIDDEN"
    )
    added = (await client.data(ADD_LAYER, {"id": sid, "input": nights, "position": 0}))[
        "addScheduleLayer"
    ]
    assert [lay["rotation"]["participantIds"] for lay in added["layers"]] == [[bob], [ann, bob]]
    weekdays = layer(
        [ann],
        starts_on="2027-01-04",
        time_zone="America/New_York",
        restrictions=[{"weekdays": ["MONDAY", "FRIDAY"], "start": "09:00:00", "end": "17:00:00"}],
    )
    updated = (await client.data(UPDATE_LAYER, {"id": sid, "index": 1, "input": weekdays}))[
        "updateScheduleLayer"
    ]
    assert updated["layers"][1] == {
        "index": 1,
        "rotation": {"participantIds": [ann], "timeZone": "America/New_York"},
        "restrictions": [{"weekdays": ["MONDAY", "FRIDAY"]}],
    }
    removed = (await client.data(REMOVE_LAYER, {"id": sid, "index": 0}))["removeScheduleLayer"]
    assert removed["layers"] == [{"index": 0}]

    assert await client.error_code(DELETE_SCHEDULE, {"id": sid}, token=responder) == "FORBIDDEN"
    assert (await client.data(DELETE_SCHEDULE, {"id": sid}))["deleteSchedule"] is True
    assert await client.error_code(SCHEDULE, {"id": sid}) == "NOT_FOUND"


async def test_daily_berlin_handoff_stays_at_nine_across_the_spring_change(
    client: GraphQLClient,
) -> None:
    """Berlin moves from UTC+1 to UTC+2 on 2027-03-28: the 09:00 handoff moves from 08:00Z
    to 07:00Z, and the shift that spans the change lasts 23 hours."""
    ann, _, _ = await new_user(client)
    bob, _, _ = await new_user(client)
    sid = (await create_schedule(client, [layer([ann, bob], starts_on="2027-03-26")]))["id"]

    async def on_call(at: str) -> list[str]:
        found: list[str] = (await client.data(ONCALL, {"id": sid, "at": at}))["oncall"]["userIds"]
        return found

    assert await on_call("2027-03-26T07:59:00Z") == []  # before the rotation starts
    assert await on_call("2027-03-26T08:00:00Z") == [ann]
    assert await on_call("2027-03-27T07:59:00Z") == [ann]  # 08:59 CET
    assert await on_call("2027-03-27T08:00:00Z") == [bob]  # 09:00 CET
    assert await on_call("2027-03-28T06:59:00Z") == [bob]  # 08:59 CEST
    assert await on_call("2027-03-28T07:00:00Z") == [ann]  # 09:00 CEST
    assert await on_call("2027-03-29T07:00:00Z") == [bob]

    shifts = (
        await client.data(
            SHIFTS, {"id": sid, "from": "2027-03-27T00:00:00Z", "to": "2027-03-29T12:00:00Z"}
        )
    )["schedule"]["shifts"]
    assert [(s["start"], s["end"], s["userIds"]) for s in shifts] == [
        ("2027-03-27T00:00:00+00:00", "2027-03-27T08:00:00+00:00", [ann]),
        ("2027-03-27T08:00:00+00:00", "2027-03-28T07:00:00+00:00", [bob]),
        ("2027-03-28T07:00:00+00:00", "2027-03-29T07:00:00+00:00", [ann]),
        ("2027-03-29T07:00:00+00:00", "2027-03-29T12:00:00+00:00", [bob]),
    ]


async def test_daily_berlin_handoff_stays_at_nine_across_the_autumn_change(
    client: GraphQLClient,
) -> None:
    """Berlin goes back from UTC+2 to UTC+1 on 2027-10-31: the shift spanning it is 25 hours."""
    ann, _, _ = await new_user(client)
    bob, _, _ = await new_user(client)
    sid = (await create_schedule(client, [layer([ann, bob], starts_on="2027-10-30")]))["id"]
    shifts = (
        await client.data(
            SHIFTS, {"id": sid, "from": "2027-10-30T07:00:00Z", "to": "2027-11-01T08:00:00Z"}
        )
    )["schedule"]["shifts"]
    assert [(s["start"], s["end"], s["userIds"]) for s in shifts] == [
        ("2027-10-30T07:00:00+00:00", "2027-10-31T08:00:00+00:00", [ann]),
        ("2027-10-31T08:00:00+00:00", "2027-11-01T08:00:00+00:00", [bob]),
    ]
    oncall = await client.data(ONCALL, {"id": sid, "at": "2027-10-31T07:30:00Z"})
    assert oncall["oncall"]["userIds"] == [ann]  # 08:30 CET: not yet nine


async def test_oncall_defaults_to_now_and_names_the_users(client: GraphQLClient) -> None:
    ann, ann_name, _ = await new_user(client)
    sid = (await create_schedule(client, [layer([ann], starts_on="2026-01-01")]))["id"]
    answer = (await client.data(ONCALL, {"id": sid}))["oncall"]
    assert answer["userIds"] == [ann]
    assert answer["users"] == [{"id": ann, "name": ann_name}]


async def test_overrides_change_shifts_exactly_within_their_range(client: GraphQLClient) -> None:
    ann, _, _ = await new_user(client)
    bob, _, _ = await new_user(client)
    cy, cy_name, responder = await new_user(client)
    sid = (await create_schedule(client, [layer([ann, bob], starts_on="2027-03-26")]))["id"]
    window = {"id": sid, "from": "2027-03-28T10:00:00Z", "to": "2027-03-28T16:00:00Z"}

    replace = {
        "kind": "REPLACE",
        "startsAt": "2027-03-28T12:00:00Z",
        "endsAt": "2027-03-28T14:00:00Z",
        "userId": cy,
        "replaces": ann,
    }
    swap = (await client.data(CREATE_OVERRIDE, {"id": sid, "input": replace}, token=responder))[
        "createOverride"
    ]
    add = {
        **replace,
        "kind": "ADD",
        "userId": bob,
        "replaces": None,
        "startsAt": "2027-03-28T13:00:00Z",
        "endsAt": "2027-03-28T15:00:00Z",
    }
    await client.data(CREATE_OVERRIDE, {"id": sid, "input": add}, token=responder)

    shifts = (await client.data(SHIFTS, window))["schedule"]["shifts"]
    assert [(s["start"][11:16], s["end"][11:16], s["userIds"]) for s in shifts] == [
        ("10:00", "12:00", [ann]),
        ("12:00", "13:00", [cy]),
        ("13:00", "14:00", [cy, bob]),
        ("14:00", "15:00", [ann, bob]),
        ("15:00", "16:00", [ann]),
    ]
    assert shifts[1]["users"] == [{"name": cy_name}]
    oncall = (await client.data(ONCALL, {"id": sid, "at": "2027-03-28T12:30:00Z"}))["oncall"]
    assert oncall["userIds"] == [cy]

    remove = {
        **add,
        "kind": "REMOVE",
        "userId": ann,
        "startsAt": "2027-03-28T15:00:00Z",
        "endsAt": "2027-03-28T16:00:00Z",
    }
    await client.data(CREATE_OVERRIDE, {"id": sid, "input": remove}, token=responder)
    await client.data(DELETE_OVERRIDE, {"s": sid, "id": swap["id"]}, token=responder)
    shifts = (await client.data(SHIFTS, window))["schedule"]["shifts"]
    assert [(s["start"][11:16], s["end"][11:16], s["userIds"]) for s in shifts] == [
        ("10:00", "13:00", [ann]),
        ("13:00", "15:00", [ann, bob]),
    ]
    assert (
        await client.error_code(CREATE_OVERRIDE, {"id": sid, "input": remove}, token=responder)
        == "CONFLICT"
    )
    assert (
        await client.error_code(DELETE_OVERRIDE, {"s": sid, "id": swap["id"]}, token=responder)
        == "NOT_FOUND"
    )


async def test_upcoming_shifts_of_the_caller_and_of_a_user(client: GraphQLClient) -> None:
    ann, _, ann_token = await new_user(client)
    bob, _, _ = await new_user(client)
    schedule = await create_schedule(
        client, [layer([ann, bob], starts_on="2026-01-01", time_zone="UTC", unit="HOURS", count=6)]
    )
    mine = (
        await client.data(
            "{ myUpcomingShifts(days: 2) { scheduleId scheduleName shift { start end userIds } } }",
            token=ann_token,
        )
    )["myUpcomingShifts"]
    # 6-hour turns of two people over two days: ann has four or five of them.
    assert 4 <= len(mine) <= 5
    assert {s["scheduleId"] for s in mine} == {schedule["id"]}
    assert all(s["shift"]["userIds"] == [ann] for s in mine)
    theirs = (
        await client.data(
            "query($u: ID!) { upcomingShifts(userId: $u, days: 2) { shift { userIds } } }",
            {"u": bob},
        )
    )["upcomingShifts"]
    assert theirs and all(s["shift"]["userIds"] == [bob] for s in theirs)
    assert (
        await client.error_code("{ myUpcomingShifts(days: 400) { scheduleId } }", token=ann_token)
        == "VALIDATION"
    )


async def test_invalid_input_names_the_field_with_a_suggestion(client: GraphQLClient) -> None:
    ann, _, _ = await new_user(client)

    async def create_error(layers: list[dict[str, Any]]) -> dict[str, Any]:
        body = await client.execute(
            CREATE_SCHEDULE, {"input": {"name": unique("bad"), "layers": layers}}
        )
        return _errors(body)

    zone = await create_error([layer([ann], starts_on="2027-01-01", time_zone="Mars/Olympus")])
    assert zone["code"] == "VALIDATION"
    assert zone["field"] == "layers[0].rotation.timeZone"
    assert "Europe/Berlin" in zone["suggestion"]

    ghost = await create_error([layer([ann, "no-such-user"], starts_on="2027-01-01")])
    assert ghost["code"] == "VALIDATION"
    assert ghost["field"] == "layers[0].rotation.participants[1]"
    assert ghost["suggestion"]

    window = await create_error(
        [
            layer(
                [ann],
                starts_on="2027-01-01",
                restrictions=[{"weekdays": [], "start": "09:00:00", "end": "17:00:00"}],
            )
        ]
    )
    assert window["field"] == "layers[0].restrictions[0].weekdays"
    assert (await create_error([]))["field"] == "layers"

    sid = (await create_schedule(client, [layer([ann], starts_on="2027-01-01")]))["id"]
    backwards = {
        "kind": "ADD",
        "startsAt": "2027-01-02T10:00:00Z",
        "endsAt": "2027-01-02T09:00:00Z",
        "userId": ann,
    }
    body = await client.execute(CREATE_OVERRIDE, {"id": sid, "input": backwards})
    assert _errors(body)["field"] == "endsAt"
    naive = await client.execute(ONCALL, {"id": sid, "at": "2027-01-02T10:00:00"})
    assert (_errors(naive)["code"], _errors(naive)["field"]) == ("VALIDATION", "at")
    last = await client.execute(REMOVE_LAYER, {"id": sid, "index": 0})
    assert _errors(last)["code"] == "VALIDATION"
    beyond = await client.execute(REMOVE_LAYER, {"id": sid, "index": 3})
    assert _errors(beyond)["field"] == "index"
    unknown = await client.execute(ONCALL, {"id": "0" * 24})
    assert _errors(unknown)["code"] == "NOT_FOUND"
