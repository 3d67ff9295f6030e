"""Listing and revoking API tokens through GraphQL (api/schema/api_token.py)."""

from __future__ import annotations

from tests.api.helpers import user_for_role
from tests.api.queries import CREATE_TOKEN
from tests.api.test_audit_log import history
from tests.support import GraphQLClient

TOKENS = """query($userId: ID) { apiTokens(userId: $userId) { id name userId createdAt } }"""
REVOKE = "mutation($id: ID!) { revokeApiToken(id: $id) { id name userId } }"
ME = "{ me { id } }"


async def test_users_list_and_revoke_their_own_tokens(client: GraphQLClient) -> None:
    ann = await user_for_role(client, "VIEWER")
    second = (await client.data(CREATE_TOKEN, {"input": {"name": "laptop"}}, token=ann.token))[
        "createApiToken"
    ]
    listed = (await client.data(TOKENS, token=ann.token))["apiTokens"]
    assert [(t["name"], t["userId"]) for t in listed] == [("t", ann.id), ("laptop", ann.id)]
    assert listed[1]["id"] == second["id"]

    assert (await client.data(ME, token=second["secret"]))["me"]["id"] == ann.id
    revoked = (await client.data(REVOKE, {"id": second["id"]}, token=ann.token))["revokeApiToken"]
    assert revoked == {"id": second["id"], "name": "laptop", "userId": ann.id}
    # Used a moment ago, so remembered by the server: refused at once all the same.
    assert await client.error_code(ME, token=second["secret"]) == "UNAUTHENTICATED"
    assert [t["name"] for t in (await client.data(TOKENS, token=ann.token))["apiTokens"]] == ["t"]
    assert (await client.data(ME, token=ann.token))["me"]["id"] == ann.id, "the other still works"
    assert await history(client, "API_TOKEN", second["id"]) == ["DELETE", "CREATE"]


async def test_only_admins_see_or_revoke_the_tokens_of_others(client: GraphQLClient) -> None:
    ann, bob = await user_for_role(client, "RESPONDER"), await user_for_role(client, "RESPONDER")
    [bobs] = (await client.data(TOKENS, token=bob.token))["apiTokens"]
    assert await client.error_code(TOKENS, {"userId": bob.id}, token=ann.token) == "FORBIDDEN"
    assert await client.error_code(REVOKE, {"id": bobs["id"]}, token=ann.token) == "FORBIDDEN"
    assert (await client.data(ME, token=bob.token))["me"]["id"] == bob.id

    assert (await client.data(TOKENS, {"userId": bob.id}))["apiTokens"] == [bobs]
    await client.data(REVOKE, {"id": bobs["id"]})
    assert await client.error_code(ME, token=bob.token) == "UNAUTHENTICATED"
    assert await client.error_code(REVOKE, {"id": bobs["id"]}) == "NOT_FOUND"
    assert await client.error_code(TOKENS, {"userId": "0" * 24}) == "NOT_FOUND"
