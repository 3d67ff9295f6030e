"""A PUBLIC stakeholder update reaches the status page's linked public incident."""

from __future__ import annotations

from tests.api.helpers import open_incident
from tests.api.statuspage import CREATE_PAGE, OPEN_PUBLIC, PUBLIC_PAGE
from tests.support import GraphQLClient, unique

POST = """mutation($input: PostStatusUpdateInput!) {
  postStatusUpdate(input: $input) { publicIncidents statusUpdate { audience } } }"""


async def test_a_public_update_is_posted_to_the_linked_public_incident(
    client: GraphQLClient,
) -> None:
    incident = await open_incident(client)
    slug = unique("page")
    page = (await client.data(CREATE_PAGE, {"input": {"slug": slug, "title": "Shop"}}))[
        "createStatusPage"
    ]
    await client.data(
        OPEN_PUBLIC,
        {
            "input": {
                "pageId": page["id"],
                "title": "Checkout is slow",
                "body": "We are looking into it.",
                "internalIncidentId": incident["id"],
            }
        },
    )
    unlinked = await open_incident(client)

    posted = await client.data(
        POST,
        {
            "input": {
                "incidentId": incident["id"],
                "audience": "PUBLIC",
                "body": "A fix is rolling out.",
                "state": "MONITORING",
            }
        },
    )
    alone = await client.data(
        POST,
        {"input": {"incidentId": unlinked["id"], "audience": "PUBLIC", "body": "Unrelated."}},
    )

    assert posted["postStatusUpdate"]["publicIncidents"] == 1
    assert alone["postStatusUpdate"]["publicIncidents"] == 0
    public = (await client.data(PUBLIC_PAGE, {"slug": slug}, token=""))["publicStatusPage"]
    [shown] = public["incidents"]
    assert shown["state"] == "MONITORING"
    assert [(u["body"], u["state"]) for u in shown["updates"]] == [
        ("A fix is rolling out.", "MONITORING"),
        ("We are looking into it.", "INVESTIGATING"),
    ], "newest first"
    assert "Unrelated." not in str(public)
