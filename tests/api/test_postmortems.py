"""Postmortems through the API: from an alert's trigger to a published postmortem and its
Markdown export, plus review states, roles, action item filters and templates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from domain.context.ports import PostmortemIndex, PostmortemRef
from tests.api.helpers import RoleUser, open_incident, user_for_role
from tests.api.queries import ACKNOWLEDGE, ADD_NOTE, INGEST, RESOLVE
from tests.support import ADMIN_TOKEN, GraphQLClient, LiveServer, subscribe, unique

POSTMORTEM_FIELDS = """
  id incidentId incidentNumber title state templateId createdBy publishedAt
  sections { key title body }
  timeline { at kind actor message }
  alerts { id summary service severity occurredAt }
  responders { userId name involvement }
  metrics {
    openedAt acknowledgedAt resolvedAt timeToAcknowledgeSeconds timeToResolveSeconds
    impactStart impactEnd impactSeconds
  }
  actionItems { id title ownerId dueDate status overdue linkedIncidentIds }
"""
CREATE = f"""
mutation($incidentId: ID!, $templateId: ID) {{
  createPostmortem(incidentId: $incidentId, templateId: $templateId) {{ {POSTMORTEM_FIELDS} }}
}}"""
UPDATE = """
mutation($id: ID!, $input: UpdatePostmortemInput!) {
  updatePostmortem(id: $id, input: $input) { id title sections { key title body } }
}"""
CHANGE_STATE = """
mutation($id: ID!, $state: PostmortemState!) {
  changePostmortemState(id: $id, state: $state) { id state publishedAt }
}"""
GET = f"query($id: ID!) {{ postmortem(id: $id) {{ {POSTMORTEM_FIELDS} markdown }} }}"
CREATE_ITEM = """
mutation($postmortemId: ID!, $input: ActionItemInput!) {
  createActionItem(postmortemId: $postmortemId, input: $input) {
    id title ownerId dueDate status overdue incidentId linkedIncidentIds
  }
}"""
UPDATE_ITEM = """
mutation($id: ID!, $input: UpdateActionItemInput!) {
  updateActionItem(id: $id, input: $input) { id status dueDate overdue }
}"""
ITEMS = """
query($filter: ActionItemFilter) {
  actionItems(filter: $filter, first: 100) { edges { node { id title } } }
}"""
CREATE_TEMPLATE = """
mutation($input: PostmortemTemplateInput!) {
  createPostmortemTemplate(input: $input) { id name sections { key title body } }
}"""
INCIDENT_TIMELINE = """
query($id: ID!) {
  incident(id: $id) {
    createdAt
    timeline(first: 100) { edges { node { at kind actor message } } }
    postmortem { id state }
  }
}"""


def utc_text(iso: str) -> str:
    """A time from the API as the Markdown export writes it."""
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def seconds_between(start: str, end: str) -> int:
    return int((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds())


async def export(server: LiveServer, postmortem_id: str, token: str | None) -> httpx.Response:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.get(f"{server.url}/postmortems/{postmortem_id}.md", headers=headers)


async def resolved_incident(client: GraphQLClient) -> dict[str, Any]:
    incident = await open_incident(client)
    await client.data(RESOLVE, {"id": incident["id"]})
    return incident


async def test_an_incident_runs_from_trigger_to_published_postmortem_with_its_real_timeline(
    client: GraphQLClient, server: LiveServer
) -> None:
    responder = await user_for_role(client, "RESPONDER")
    viewer = await user_for_role(client, "VIEWER")
    service = unique("pm-checkout")
    occurred = (datetime.now(UTC) - timedelta(minutes=3)).replace(microsecond=0)

    # Trigger: an alert through the GraphQL ingest mutation opens the incident.
    ingested = await client.data(
        INGEST,
        {
            "alerts": [
                {
                    "summary": "checkout p99 above 2s",
                    "service": service,
                    "severity": "CRITICAL",
                    "occurredAt": occurred.isoformat(),
                }
            ]
        },
        token=responder.token,
    )
    incident = ingested["ingestAlerts"][0]["incident"]
    alert = ingested["ingestAlerts"][0]["alert"]

    body = await client.execute(CREATE, {"incidentId": incident["id"]}, token=responder.token)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_TRANSITION"
    assert "Resolve the incident" in body["errors"][0]["extensions"]["suggestion"]

    await client.data(ACKNOWLEDGE, {"id": incident["id"]}, token=responder.token)
    note = "Rolled back deploy 4711; p99 back under 300 ms"
    await client.data(ADD_NOTE, {"id": incident["id"], "body": note}, token=responder.token)
    await client.data(RESOLVE, {"id": incident["id"]})  # by the admin

    assert (
        await client.error_code(CREATE, {"incidentId": incident["id"]}, token=viewer.token)
        == "FORBIDDEN"
    )
    created = (await client.data(CREATE, {"incidentId": incident["id"]}, token=responder.token))[
        "createPostmortem"
    ]
    assert (
        await client.error_code(CREATE, {"incidentId": incident["id"]}, token=responder.token)
        == "CONFLICT"
    )

    # Prefilled from the incident as it was.
    live = (await client.data(INCIDENT_TIMELINE, {"id": incident["id"]}))["incident"]
    entries = [edge["node"] for edge in live["timeline"]["edges"]]
    assert created["state"] == "DRAFT" and created["createdBy"] == responder.actor
    assert [(e["kind"], e["actor"], e["message"]) for e in created["timeline"]] == [
        (e["kind"], e["actor"], e["message"]) for e in entries
    ]
    assert [e["kind"] for e in entries] == [
        "OPENED",
        "STATUS_CHANGED",
        "NOTE_ADDED",
        "STATUS_CHANGED",
    ]
    assert [(a["id"], a["summary"], a["service"], a["severity"]) for a in created["alerts"]] == [
        (alert["id"], "checkout p99 above 2s", service, "CRITICAL")
    ]
    assert created["responders"][0] == {
        "userId": responder.id,
        "name": responder.name,
        "involvement": ["acknowledged", "wrote a note"],
    }
    admin = created["responders"][1]
    assert (admin["name"], admin["involvement"]) == ("admin", ["resolved"])
    assert admin["userId"] is not None
    assert len(created["responders"]) == 2
    metrics = created["metrics"]
    assert metrics["openedAt"] == live["createdAt"]
    assert metrics["timeToAcknowledgeSeconds"] == seconds_between(
        metrics["openedAt"], metrics["acknowledgedAt"]
    )
    assert metrics["timeToResolveSeconds"] == seconds_between(
        metrics["openedAt"], metrics["resolvedAt"]
    )
    assert datetime.fromisoformat(metrics["impactStart"]) == occurred
    assert metrics["impactEnd"] == metrics["resolvedAt"]
    assert metrics["impactSeconds"] == seconds_between(occurred.isoformat(), metrics["resolvedAt"])
    assert [s["key"] for s in created["sections"]] == [
        "summary",
        "impact",
        "root_cause",
        "contributing_factors",
        "what_went_well",
        "what_went_wrong",
        "lessons_learned",
    ]

    # Edits.
    postmortem_id = created["id"]
    edited = (
        await client.data(
            UPDATE,
            {
                "id": postmortem_id,
                "input": {
                    "title": "Checkout slowdown after deploy 4711",
                    "sections": [
                        {"key": "summary", "body": "Checkout was slow for three minutes."},
                        {"key": "root_cause", "body": "An N+1 query in deploy 4711."},
                        {"key": "what_went_well", "body": "The rollback took one minute."},
                    ],
                },
            },
            token=responder.token,
        )
    )["updatePostmortem"]
    assert edited["title"] == "Checkout slowdown after deploy 4711"
    assert (
        await client.error_code(
            UPDATE, {"id": postmortem_id, "input": {"title": "x"}}, token=viewer.token
        )
        == "FORBIDDEN"
    )

    # Action items.
    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    item = (
        await client.data(
            CREATE_ITEM,
            {
                "postmortemId": postmortem_id,
                "input": {
                    "title": "Add a query count check to CI",
                    "ownerId": responder.id,
                    "dueDate": yesterday,
                },
            },
            token=responder.token,
        )
    )["createActionItem"]
    assert (item["status"], item["overdue"], item["incidentId"]) == ("OPEN", True, incident["id"])
    await client.data(
        UPDATE_ITEM, {"id": item["id"], "input": {"status": "IN_PROGRESS"}}, token=responder.token
    )

    # Review: illegal jumps are typed errors, back to draft is allowed.
    assert (
        await client.error_code(CHANGE_STATE, {"id": postmortem_id, "state": "PUBLISHED"})
        == "INVALID_TRANSITION"
    )
    for state in ("IN_REVIEW", "DRAFT", "IN_REVIEW"):
        moved = await client.data(
            CHANGE_STATE, {"id": postmortem_id, "state": state}, token=responder.token
        )
        assert moved["changePostmortemState"]["state"] == state
    published = (
        await client.data(
            CHANGE_STATE, {"id": postmortem_id, "state": "PUBLISHED"}, token=responder.token
        )
    )["changePostmortemState"]
    assert published["publishedAt"] is not None

    # Publishing is on the incident's timeline.
    after = (await client.data(INCIDENT_TIMELINE, {"id": incident["id"]}))["incident"]
    assert after["postmortem"] == {"id": postmortem_id, "state": "PUBLISHED"}
    last = after["timeline"]["edges"][-1]["node"]
    assert (last["kind"], last["actor"]) == ("POSTMORTEM_PUBLISHED", responder.actor)
    assert "Checkout slowdown after deploy 4711" in last["message"]

    # The Markdown export holds the real timeline, with authors and UTC times.
    response = await export(server, postmortem_id, viewer.token)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/markdown")
    markdown = response.text
    acked, noted, resolved = entries[1], entries[2], entries[3]
    assert (
        f"- {utc_text(acked['at'])} · {responder.actor} · status_changed: "
        "Status changed to acknowledged." in markdown
    )
    assert f"- {utc_text(noted['at'])} · {responder.actor} · note_added: {note}" in markdown
    assert (
        f"- {utc_text(resolved['at'])} · user:admin · status_changed: "
        "Status changed to resolved." in markdown
    )
    assert markdown.startswith("# Checkout slowdown after deploy 4711\n")
    assert "- State: published" in markdown
    assert "An N+1 query in deploy 4711." in markdown
    assert (
        f"| {utc_text(occurred.isoformat())} | {service} | critical | checkout p99 above 2s |"
        in (markdown)
    )
    assert f"- {responder.name}: acknowledged, wrote a note" in markdown
    assert "- admin: resolved" in markdown
    assert f"| Add a query count check to CI | {responder.name} | {yesterday} | in progress |" in (
        markdown
    )
    full = (await client.data(GET, {"id": postmortem_id}, token=viewer.token))["postmortem"]
    assert full["markdown"] == markdown

    # Published is final.
    assert (
        await client.error_code(UPDATE, {"id": postmortem_id, "input": {"title": "later"}})
        == "INVALID_TRANSITION"
    )
    assert (
        await client.error_code(CHANGE_STATE, {"id": postmortem_id, "state": "DRAFT"})
        == "INVALID_TRANSITION"
    )


async def test_the_export_needs_a_token_and_an_existing_postmortem(
    client: GraphQLClient, server: LiveServer
) -> None:
    incident = await resolved_incident(client)
    created = (await client.data(CREATE, {"incidentId": incident["id"]}))["createPostmortem"]
    assert (await export(server, created["id"], None)).status_code == 401
    assert (await export(server, created["id"], "vgl_not-a-token-at-all")).status_code == 401
    missing = await export(server, "0" * 24, ADMIN_TOKEN)
    assert missing.status_code == 404
    assert missing.json()["code"] == "NOT_FOUND"


async def test_unknown_incident_and_template_are_not_found(client: GraphQLClient) -> None:
    assert await client.error_code(CREATE, {"incidentId": "0" * 24}) == "NOT_FOUND"
    incident = await resolved_incident(client)
    assert (
        await client.error_code(CREATE, {"incidentId": incident["id"], "templateId": "0" * 24})
        == "NOT_FOUND"
    )


async def test_templates_are_admin_only_and_prefill_the_sections(client: GraphQLClient) -> None:
    responder = await user_for_role(client, "RESPONDER")
    template_input = {
        "name": unique("sev1"),
        "sections": [
            {
                "key": "summary",
                "body": "#{incident.number} {incident.title}: impact {impact.duration} "
                "({impact.start} to {impact.end}); acknowledged after {time_to_acknowledge}, "
                "resolved after {time_to_resolve}. {incident.resolution_note}{{end}}",
            },
            {"key": "customer_comms", "title": "Customer communication", "body": "Who told whom?"},
        ],
    }
    assert (
        await client.error_code(CREATE_TEMPLATE, {"input": template_input}, token=responder.token)
        == "FORBIDDEN"
    )
    template = (await client.data(CREATE_TEMPLATE, {"input": template_input}))[
        "createPostmortemTemplate"
    ]
    listed = await client.data("{ postmortemTemplates { id } }", token=responder.token)
    assert {"id": template["id"]} in listed["postmortemTemplates"]

    incident = await resolved_incident(client)
    created = (
        await client.data(
            CREATE,
            {"incidentId": incident["id"], "templateId": template["id"]},
            token=responder.token,
        )
    )["createPostmortem"]
    assert created["templateId"] == template["id"]
    summary = created["sections"][0]
    assert summary["key"] == "summary"
    assert summary["body"].startswith(f"#{incident['number']} {incident['title']}: impact ")
    assert "; acknowledged after -, resolved after " in summary["body"]
    assert summary["body"].endswith(". {end}")
    assert summary["body"].count("{") == 1
    assert created["sections"][-1] == {
        "key": "customer_comms",
        "title": "Customer communication",
        "body": "Who told whom?",
    }

    bad = {"name": "x", "sections": [{"key": "extra", "body": "no title"}]}
    body = await client.execute(CREATE_TEMPLATE, {"input": bad})
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION"
    assert body["errors"][0]["extensions"]["field"] == "sections[0].title"
    typo = {"name": "x", "sections": [{"key": "impact", "body": "{impact.durration}"}]}
    error = (await client.execute(CREATE_TEMPLATE, {"input": typo}))["errors"][0]
    assert error["extensions"]["code"] == "VALIDATION"
    assert "Did you mean '{impact.duration}'?" in error["extensions"]["suggestion"]
    assert error["extensions"]["field"] == "sections[0].body"
    deleted = await client.data(
        "mutation($id: ID!) { deletePostmortemTemplate(id: $id) }", {"id": template["id"]}
    )
    assert deleted == {"deletePostmortemTemplate": True}


async def test_action_items_are_filtered_across_incidents(client: GraphQLClient) -> None:
    ann = await user_for_role(client, "RESPONDER")
    bob = await user_for_role(client, "RESPONDER")
    first = await resolved_incident(client)
    second = await resolved_incident(client)
    unrelated = await resolved_incident(client)
    pm_first = (await client.data(CREATE, {"incidentId": first["id"]}))["createPostmortem"]["id"]
    pm_second = (await client.data(CREATE, {"incidentId": second["id"]}))["createPostmortem"]["id"]
    today = datetime.now(UTC).date()

    async def add(postmortem_id: str, title: str, owner: RoleUser, **extra: Any) -> str:
        data = await client.data(
            CREATE_ITEM,
            {
                "postmortemId": postmortem_id,
                "input": {"title": title, "ownerId": owner.id, **extra},
            },
            token=ann.token,
        )
        item_id: str = data["createActionItem"]["id"]
        return item_id

    late = await add(pm_first, "late", ann, dueDate=(today - timedelta(days=3)).isoformat())
    await add(pm_first, "future", bob, dueDate=(today + timedelta(days=3)).isoformat())
    shared = await add(
        pm_second,
        "shared",
        bob,
        dueDate=(today - timedelta(days=1)).isoformat(),
        linkedIncidentIds=[first["id"]],
    )
    await add(pm_second, "done", ann, dueDate=date(2020, 1, 1).isoformat(), status="DONE")

    async def titles(filter_: dict[str, Any]) -> set[str]:
        data = await client.data(ITEMS, {"filter": filter_}, token=ann.token)
        return {edge["node"]["title"] for edge in data["actionItems"]["edges"]}

    assert await titles({"incidentId": first["id"]}) == {"late", "future", "shared"}
    assert await titles({"incidentId": second["id"]}) == {"shared", "done"}
    assert await titles({"incidentId": unrelated["id"]}) == set()
    assert await titles({"ownerId": bob.id}) == {"future", "shared"}
    assert await titles({"ownerId": ann.id, "overdue": True}) == {"late"}
    assert await titles({"incidentId": second["id"], "status": ["DONE"]}) == {"done"}
    exported = (await client.data(GET, {"id": pm_second}))["postmortem"]["markdown"]
    assert f"| shared | {bob.name} | " in exported
    assert f"| open | #{first['number']} |" in exported

    # Finishing an overdue item takes it off the overdue list.
    finished = (
        await client.data(UPDATE_ITEM, {"id": shared, "input": {"status": "DONE"}}, token=bob.token)
    )["updateActionItem"]
    assert (finished["status"], finished["overdue"]) == ("DONE", False)
    assert await titles({"incidentId": first["id"], "overdue": True}) == {"late"}
    cleared = (
        await client.data(
            UPDATE_ITEM, {"id": late, "input": {"clearDueDate": True}}, token=ann.token
        )
    )["updateActionItem"]
    assert (cleared["dueDate"], cleared["overdue"]) == (None, False)

    # Owners and linked incidents must exist; viewers cannot write.
    viewer = await user_for_role(client, "VIEWER")
    body = await client.execute(
        CREATE_ITEM, {"postmortemId": pm_first, "input": {"title": "x", "ownerId": "0" * 24}}
    )
    assert body["errors"][0]["extensions"]["field"] == "ownerId"
    body = await client.execute(
        CREATE_ITEM,
        {
            "postmortemId": pm_first,
            "input": {"title": "x", "ownerId": ann.id, "linkedIncidentIds": ["0" * 24]},
        },
    )
    assert body["errors"][0]["extensions"]["field"] == "linkedIncidentIds"
    assert (
        await client.error_code(
            CREATE_ITEM,
            {"postmortemId": pm_first, "input": {"title": "x", "ownerId": ann.id}},
            token=viewer.token,
        )
        == "FORBIDDEN"
    )
    assert await titles({"postmortemId": pm_first}) == {"late", "future"}


async def test_the_postmortem_index_answers_for_incidents(
    client: GraphQLClient, server: LiveServer
) -> None:
    with_one = await resolved_incident(client)
    without = await open_incident(client)
    created = (await client.data(CREATE, {"incidentId": with_one["id"]}))["createPostmortem"]
    index: PostmortemIndex = server.app.state.container.postmortems.index
    found = await index.for_incidents([with_one["id"], without["id"]])
    assert found == {
        with_one["id"]: PostmortemRef(id=created["id"], title=created["title"], state="draft")
    }


async def test_the_postmortem_list_filters_by_state(client: GraphQLClient) -> None:
    # Fuzzing finding: any `state` argument used to fail as INTERNAL.
    incident = await resolved_incident(client)
    created = (await client.data(CREATE, {"incidentId": incident["id"]}))["createPostmortem"]
    listed = """query($state: PostmortemState) {
      postmortems(state: $state, first: 100) { edges { node { id state } } }
    }"""
    drafts = (await client.data(listed, {"state": "DRAFT"}))["postmortems"]["edges"]
    assert created["id"] in {edge["node"]["id"] for edge in drafts}
    assert {edge["node"]["state"] for edge in drafts} == {"DRAFT"}
    published = (await client.data(listed, {"state": "PUBLISHED"}))["postmortems"]["edges"]
    assert created["id"] not in {edge["node"]["id"] for edge in published}


async def test_publishing_is_a_live_incident_event(
    client: GraphQLClient, server: LiveServer
) -> None:
    incident = await resolved_incident(client)
    created = (await client.data(CREATE, {"incidentId": incident["id"]}))["createPostmortem"]
    await client.data(CHANGE_STATE, {"id": created["id"], "state": "IN_REVIEW"})
    events = """
    subscription($kinds: [IncidentEventKind!]) {
      incidentEvents(filter: {kinds: $kinds}) { kind incident { id } }
    }"""
    async with subscribe(server, events, {"kinds": ["POSTMORTEM_PUBLISHED"]}) as live:
        await client.data(CHANGE_STATE, {"id": created["id"], "state": "PUBLISHED"})
        event = (await live.next())["data"]["incidentEvents"]
    assert event == {"kind": "POSTMORTEM_PUBLISHED", "incident": {"id": incident["id"]}}
