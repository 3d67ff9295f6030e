"""Incident roles, responders, priority, types, custom fields and pinned notes,
through GraphQL against a live server."""

from __future__ import annotations

from typing import Any

from tests.api.helpers import open_incident, token_for_role
from tests.api.queries import CREATE_USER
from tests.support import GraphQLClient, LiveServer, subscribe, unique

RESPONSE = """roles { role { id name builtIn } user { name } assignedBy }
  responders { name } priority type { name }
  customFields { field { name kind } text number choice }"""
INCIDENT = f"query($id: ID!) {{ incident(id: $id) {{ id {RESPONSE} }} }}"
ASSIGN = f"""mutation($i: ID!, $r: ID!, $u: ID!) {{
  assignIncidentRole(incidentId: $i, roleId: $r, userId: $u) {{ {RESPONSE} }} }}"""
UNASSIGN = f"""mutation($i: ID!, $r: ID!) {{
  unassignIncidentRole(incidentId: $i, roleId: $r) {{ {RESPONSE} }} }}"""
ADD_RESPONDER = f"""mutation($i: ID!, $u: ID!) {{
  addIncidentResponder(incidentId: $i, userId: $u) {{ {RESPONSE} }} }}"""
REMOVE_RESPONDER = f"""mutation($i: ID!, $u: ID!) {{
  removeIncidentResponder(incidentId: $i, userId: $u) {{ {RESPONSE} }} }}"""
SET_PRIORITY = """mutation($i: ID!, $p: Priority) {
  setIncidentPriority(incidentId: $i, priority: $p) { id priority } }"""
SET_TYPE = """mutation($i: ID!, $t: ID) {
  setIncidentType(incidentId: $i, typeId: $t) { type { id name } } }"""
SET_FIELD = f"""mutation($i: ID!, $f: ID!, $v: CustomFieldValueInput) {{
  setIncidentCustomField(incidentId: $i, fieldId: $f, value: $v) {{ {RESPONSE} }} }}"""
CREATE_ROLE = """mutation($n: String!) {
  createIncidentRole(input: {name: $n, description: "talks to the database team"}) {
    id name builtIn } }"""
CREATE_TYPE = "mutation($n: String!) { createIncidentType(input: {name: $n}) { id name } }"
CREATE_FIELD = """mutation($input: CustomFieldInput!) {
  createCustomField(input: $input) { id name kind choices } }"""
NOTE = """mutation($id: ID!, $body: String!) { addIncidentNote(id: $id, body: $body) { id } }"""
PIN = """mutation($id: ID!, $pinned: Boolean!) {
  pinTimelineEntry(id: $id, pinned: $pinned) { id pinned pinnedBy message } }"""
TIMELINE = """query($id: ID!, $f: TimelineFilter) { incident(id: $id) {
  timeline(first: 100, filter: $f) { edges { node { kind actor message pinned } } } } }"""
BY_PRIORITY = """query($f: IncidentFilter) { incidents(first: 50, filter: $f) {
  edges { node { id priority } } } }"""


async def new_user(client: GraphQLClient, role: str = "RESPONDER") -> dict[str, Any]:
    name = unique("person")
    user: dict[str, Any] = (
        await client.data(
            CREATE_USER, {"input": {"name": name, "email": f"{name}@example.com", "role": role}}
        )
    )["createUser"]
    return user


async def timeline(
    client: GraphQLClient, incident_id: str, where: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    data = await client.data(TIMELINE, {"id": incident_id, "f": where})
    return [edge["node"] for edge in data["incident"]["timeline"]["edges"]]


async def errors(client: GraphQLClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    body = await client.execute(query, variables)
    assert body.get("errors"), body
    extensions: dict[str, Any] = body["errors"][0]["extensions"]
    return extensions


async def test_built_in_and_custom_roles_are_listed(client: GraphQLClient) -> None:
    name = unique("DB liaison")
    created = (await client.data(CREATE_ROLE, {"n": name}))["createIncidentRole"]
    assert created["builtIn"] is False
    roles = (await client.data("{ incidentRoles { id name builtIn } }"))["incidentRoles"]
    assert roles[:3] == [
        {"id": "incident_commander", "name": "Incident commander", "builtIn": True},
        {"id": "scribe", "name": "Scribe", "builtIn": True},
        {"id": "communications_lead", "name": "Communications lead", "builtIn": True},
    ]
    assert {"id": created["id"], "name": name, "builtIn": False} in roles
    # Names are unique whatever their case, built-in names included.
    assert await client.error_code(CREATE_ROLE, {"n": name.upper()}) == "CONFLICT"
    assert await client.error_code(CREATE_ROLE, {"n": "scribe"}) == "CONFLICT"
    delete_built_in = 'mutation { deleteIncidentRole(id: "scribe") }'
    assert (await errors(client, delete_built_in, {}))["code"] == "VALIDATION"


async def test_assigning_roles_makes_responders_and_goes_on_the_timeline(
    client: GraphQLClient,
) -> None:
    incident = await open_incident(client)
    alice, bob = await new_user(client), await new_user(client)
    custom = (await client.data(CREATE_ROLE, {"n": unique("Liaison")}))["createIncidentRole"]

    await client.data(ASSIGN, {"i": incident["id"], "r": "incident_commander", "u": alice["id"]})
    await client.data(ASSIGN, {"i": incident["id"], "r": "scribe", "u": bob["id"]})
    after = (await client.data(ASSIGN, {"i": incident["id"], "r": custom["id"], "u": bob["id"]}))[
        "assignIncidentRole"
    ]

    assert [(r["role"]["name"], r["user"]["name"]) for r in after["roles"]] == [
        ("Incident commander", alice["name"]),
        ("Scribe", bob["name"]),
        (custom["name"], bob["name"]),
    ]
    assert {r["assignedBy"] for r in after["roles"]} == {"user:admin"}
    # Holding a role makes a responder, once.
    assert [p["name"] for p in after["responders"]] == [alice["name"], bob["name"]]
    entries = await timeline(client, incident["id"], {"kinds": ["ROLE_ASSIGNED"]})
    assert [(e["actor"], e["message"]) for e in entries] == [
        ("user:admin", f"Incident commander: {alice['name']}."),
        ("user:admin", f"Scribe: {bob['name']}."),
        ("user:admin", f"{custom['name']}: {bob['name']}."),
    ]


async def test_replacing_the_commander_says_so(client: GraphQLClient) -> None:
    incident = await open_incident(client)
    alice, bob = await new_user(client), await new_user(client)
    responder = await token_for_role(client, "RESPONDER")
    await client.data(ASSIGN, {"i": incident["id"], "r": "incident_commander", "u": alice["id"]})
    replaced = (
        await client.data(
            ASSIGN,
            {"i": incident["id"], "r": "incident_commander", "u": bob["id"]},
            token=responder,
        )
    )["assignIncidentRole"]

    [commander] = replaced["roles"]
    assert commander["user"]["name"] == bob["name"]
    assert commander["assignedBy"].startswith("user:responder-")
    # The former commander keeps responding.
    assert {p["name"] for p in replaced["responders"]} == {alice["name"], bob["name"]}
    # Assigning the holder again changes nothing.
    await client.data(ASSIGN, {"i": incident["id"], "r": "incident_commander", "u": bob["id"]})
    first, last = await timeline(client, incident["id"], {"kinds": ["ROLE_ASSIGNED"]})
    assert first["message"] == f"Incident commander: {alice['name']}."
    assert last["message"] == f"Incident commander: {bob['name']}, replacing {alice['name']}."
    assert last["actor"].startswith("user:responder-")

    cleared = (await client.data(UNASSIGN, {"i": incident["id"], "r": "incident_commander"}))[
        "unassignIncidentRole"
    ]
    assert cleared["roles"] == []
    [entry] = await timeline(client, incident["id"], {"kinds": ["ROLE_UNASSIGNED"]})
    assert entry["message"] == f"Incident commander: {bob['name']} no longer holds the role."


async def test_responders_join_and_leave(client: GraphQLClient) -> None:
    incident = await open_incident(client)
    carol, dave = await new_user(client), await new_user(client, "VIEWER")
    await client.data(ADD_RESPONDER, {"i": incident["id"], "u": carol["id"]})
    again = (await client.data(ADD_RESPONDER, {"i": incident["id"], "u": carol["id"]}))[
        "addIncidentResponder"
    ]
    assert [p["name"] for p in again["responders"]] == [carol["name"]]
    await client.data(ASSIGN, {"i": incident["id"], "r": "communications_lead", "u": dave["id"]})

    left = (await client.data(REMOVE_RESPONDER, {"i": incident["id"], "u": dave["id"]}))[
        "removeIncidentResponder"
    ]
    assert [p["name"] for p in left["responders"]] == [carol["name"]]
    assert left["roles"] == []  # leaving gives up the role
    entries = await timeline(
        client, incident["id"], {"kinds": ["RESPONDER_ADDED", "RESPONDER_REMOVED"]}
    )
    assert [e["message"] for e in entries] == [
        f"{carol['name']} joined the response.",
        f"{dave['name']} left the response, giving up: Communications lead.",
    ]
    unknown = await errors(client, ADD_RESPONDER, {"i": incident["id"], "u": "0" * 24})
    assert (unknown["code"], unknown["field"]) == ("NOT_FOUND", "userId")
    no_incident = await errors(client, ADD_RESPONDER, {"i": "0" * 24, "u": carol["id"]})
    assert no_incident["code"] == "NOT_FOUND"


async def test_priority_is_set_and_filters_incidents(client: GraphQLClient) -> None:
    first, second = await open_incident(client), await open_incident(client)
    await client.data(SET_PRIORITY, {"i": first["id"], "p": "P3"})
    changed = (await client.data(SET_PRIORITY, {"i": first["id"], "p": "P1"}))[
        "setIncidentPriority"
    ]
    assert changed["priority"] == "P1"
    await client.data(SET_PRIORITY, {"i": second["id"], "p": "P2"})

    only_p1 = await client.data(BY_PRIORITY, {"f": {"priorities": ["P1"]}})
    ids = {edge["node"]["id"] for edge in only_p1["incidents"]["edges"]}
    assert first["id"] in ids and second["id"] not in ids
    assert {edge["node"]["priority"] for edge in only_p1["incidents"]["edges"]} == {"P1"}
    both = await client.data(BY_PRIORITY, {"f": {"priorities": ["P1", "P2"]}})
    assert {first["id"], second["id"]} <= {e["node"]["id"] for e in both["incidents"]["edges"]}

    entries = await timeline(client, first["id"], {"kinds": ["PRIORITY_CHANGED"]})
    assert [e["message"] for e in entries] == [
        "Priority set to P3.",
        "Priority set to P1 (was P3).",
    ]
    cleared = await client.data(SET_PRIORITY, {"i": first["id"], "p": None})
    assert cleared["setIncidentPriority"]["priority"] is None


async def test_incident_types_are_defined_by_admins_and_set_by_responders(
    client: GraphQLClient,
) -> None:
    incident = await open_incident(client)
    security = (await client.data(CREATE_TYPE, {"n": unique("Security")}))["createIncidentType"]
    responder = await token_for_role(client, "RESPONDER")
    assert await client.error_code(CREATE_TYPE, {"n": unique("x")}, token=responder) == "FORBIDDEN"

    typed = await client.data(SET_TYPE, {"i": incident["id"], "t": security["id"]}, token=responder)
    assert typed["setIncidentType"]["type"] == security
    renamed = unique("Sec")
    await client.data(
        "mutation($id: ID!, $n: String!) { updateIncidentType(id: $id, input: {name: $n}) { id } }",
        {"id": security["id"], "n": renamed},
    )
    shown = await client.data(INCIDENT, {"id": incident["id"]})
    assert shown["incident"]["type"] == {"name": renamed}
    [entry] = await timeline(client, incident["id"], {"kinds": ["TYPE_CHANGED"]})
    assert entry["message"] == f"Type set to {security['name']}."
    assert await client.error_code(SET_TYPE, {"i": incident["id"], "t": "0" * 24}) == "NOT_FOUND"

    await client.data("mutation($id: ID!) { deleteIncidentType(id: $id) }", {"id": security["id"]})
    assert (await client.data(INCIDENT, {"id": incident["id"]}))["incident"]["type"] is None


async def test_custom_field_values_are_validated_against_their_definition(
    client: GraphQLClient,
) -> None:
    incident = await open_incident(client)
    region = (
        await client.data(
            CREATE_FIELD,
            {"input": {"name": unique("Region"), "kind": "CHOICE", "choices": ["EU", "US"]}},
        )
    )["createCustomField"]
    customers = (
        await client.data(CREATE_FIELD, {"input": {"name": unique("Customers"), "kind": "NUMBER"}})
    )["createCustomField"]

    not_a_choice = await errors(
        client, SET_FIELD, {"i": incident["id"], "f": region["id"], "v": {"choice": "Mars"}}
    )
    assert (not_a_choice["code"], not_a_choice["field"]) == ("VALIDATION", "value.choice")
    assert "EU, US" in not_a_choice["suggestion"]
    wrong_kind = await errors(
        client, SET_FIELD, {"i": incident["id"], "f": customers["id"], "v": {"text": "many"}}
    )
    assert (wrong_kind["code"], wrong_kind["field"]) == ("VALIDATION", "value.number")
    no_choices = await errors(
        client, CREATE_FIELD, {"input": {"name": unique("Tier"), "kind": "CHOICE"}}
    )
    assert (no_choices["code"], no_choices["field"]) == ("VALIDATION", "choices")

    await client.data(SET_FIELD, {"i": incident["id"], "f": region["id"], "v": {"choice": "EU"}})
    both = (
        await client.data(
            SET_FIELD, {"i": incident["id"], "f": customers["id"], "v": {"number": 1200}}
        )
    )["setIncidentCustomField"]
    assert both["customFields"] == [
        {
            "field": {"name": region["name"], "kind": "CHOICE"},
            "text": None,
            "number": None,
            "choice": "EU",
        },
        {
            "field": {"name": customers["name"], "kind": "NUMBER"},
            "text": None,
            "number": 1200.0,
            "choice": None,
        },
    ]
    entries = await timeline(client, incident["id"], {"kinds": ["CUSTOM_FIELD_CHANGED"]})
    assert [e["message"] for e in entries] == [
        f"{region['name']} set to EU.",
        f"{customers['name']} set to 1200.",
    ]
    await client.data("mutation($id: ID!) { deleteCustomField(id: $id) }", {"id": region["id"]})
    stored = await client.server.stored("incidents", {"_id": incident["id"]})
    assert region["id"] not in stored[0]["custom_fields"]


async def test_notes_are_pinned_and_the_timeline_filters(client: GraphQLClient) -> None:
    incident = await open_incident(client)
    responder = await token_for_role(client, "RESPONDER")
    keep = (await client.data(NOTE, {"id": incident["id"], "body": "Rollback of v2.3 started"}))[
        "addIncidentNote"
    ]
    await client.data(NOTE, {"id": incident["id"], "body": "coffee"})

    pinned = (await client.data(PIN, {"id": keep["id"], "pinned": True}, token=responder))[
        "pinTimelineEntry"
    ]
    assert pinned["pinned"] is True and pinned["pinnedBy"].startswith("user:responder-")
    only_pinned = await timeline(client, incident["id"], {"pinnedOnly": True})
    assert [e["message"] for e in only_pinned] == ["Rollback of v2.3 started"]

    # One ordered list: the opening, both notes, the pin, each with its author.
    everything = await timeline(client, incident["id"])
    assert [e["kind"] for e in everything] == ["OPENED", "NOTE_ADDED", "NOTE_ADDED", "NOTE_PINNED"]
    assert everything[-1]["actor"].startswith("user:responder-")
    assert everything[-1]["message"] == "Pinned a note: Rollback of v2.3 started"

    await client.data(PIN, {"id": keep["id"], "pinned": False})
    assert await timeline(client, incident["id"], {"pinnedOnly": True}) == []
    opened = everything[0]
    entry_ids = await client.data(
        "query($id: ID!) { incident(id: $id) { timeline(first: 1) { edges { node { id } } } } }",
        {"id": incident["id"]},
    )
    opened_id = entry_ids["incident"]["timeline"]["edges"][0]["node"]["id"]
    not_a_note = await errors(client, PIN, {"id": opened_id, "pinned": True})
    assert (opened["kind"], not_a_note["code"], not_a_note["field"]) == (
        "OPENED",
        "VALIDATION",
        "id",
    )
    assert await client.error_code(PIN, {"id": "0" * 24, "pinned": True}) == "NOT_FOUND"


async def test_a_subscription_sees_a_role_change(server: LiveServer, client: GraphQLClient) -> None:
    incident = await open_incident(client)
    erin = await new_user(client)
    query = """subscription($f: IncidentEventFilter) { incidentEvents(filter: $f) {
      kind incident { id roles { role { name } user { name } } priority } } }"""
    async with subscribe(server, query, {"f": {"kinds": ["ROLE_ASSIGNED"]}}) as live:
        await client.data(ASSIGN, {"i": incident["id"], "r": "incident_commander", "u": erin["id"]})
        event = (await live.next())["data"]["incidentEvents"]
    assert event["kind"] == "ROLE_ASSIGNED"
    assert event["incident"]["id"] == incident["id"]
    assert event["incident"]["roles"] == [
        {"role": {"name": "Incident commander"}, "user": {"name": erin["name"]}}
    ]


async def test_viewers_read_but_cannot_change_and_only_admins_define(
    client: GraphQLClient,
) -> None:
    incident = await open_incident(client)
    viewer = await token_for_role(client, "VIEWER")
    responder = await token_for_role(client, "RESPONDER")
    frank = await new_user(client)
    note = (await client.data(NOTE, {"id": incident["id"], "body": "x"}))["addIncidentNote"]
    for query, variables in [
        (ASSIGN, {"i": incident["id"], "r": "scribe", "u": frank["id"]}),
        (ADD_RESPONDER, {"i": incident["id"], "u": frank["id"]}),
        (SET_PRIORITY, {"i": incident["id"], "p": "P2"}),
        (PIN, {"id": note["id"], "pinned": True}),
        (CREATE_ROLE, {"n": unique("r")}),
    ]:
        assert await client.error_code(query, variables, token=viewer) == "FORBIDDEN", query
    admin_only: list[tuple[str, dict[str, Any]]] = [
        (CREATE_ROLE, {"n": unique("r")}),
        (CREATE_FIELD, {"input": {"name": unique("f"), "kind": "TEXT"}}),
        (CREATE_TYPE, {"n": unique("t")}),
    ]
    for query, variables in admin_only:
        assert await client.error_code(query, variables, token=responder) == "FORBIDDEN", query
    read = await client.data(INCIDENT, {"id": incident["id"]}, token=viewer)
    assert read["incident"]["roles"] == []
    listed = await client.data(
        "{ incidentRoles { id } incidentTypes { id } customFieldDefinitions { id } }",
        token=viewer,
    )
    assert len(listed["incidentRoles"]) >= 3


async def test_leaving_out_a_nullable_value_clears_it(client: GraphQLClient) -> None:
    incident = await open_incident(client)
    await client.data(SET_PRIORITY, {"i": incident["id"], "p": "P2"})

    left_out = await client.data(
        "mutation($i: ID!) { setIncidentPriority(incidentId: $i) { priority type { id } } }",
        {"i": incident["id"]},
    )
    untyped = await client.data(
        "mutation($i: ID!) { setIncidentType(incidentId: $i) { type { id } } }",
        {"i": incident["id"]},
    )

    assert left_out["setIncidentPriority"]["priority"] is None
    assert untyped["setIncidentType"]["type"] is None
