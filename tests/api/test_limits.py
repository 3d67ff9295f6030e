"""Query depth, alias and token limits answer with clear errors."""

from __future__ import annotations

from api.schema.schema import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from tests.support import GraphQLClient


async def test_too_deep_query_is_refused(client: GraphQLClient) -> None:
    nested = "incident { " * 8
    query = "{ incidents { edges { node { alerts { edges { node { " + nested + "id" + " }" * 8
    query += " } } } } } } }"
    body = await client.execute(query)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION"
    assert "depth" in body["errors"][0]["message"]
    assert MAX_DEPTH < 15


async def test_too_many_aliases_are_refused(client: GraphQLClient) -> None:
    query = "{ " + " ".join(f"a{i}: me {{ name }}" for i in range(MAX_ALIASES + 1)) + " }"
    body = await client.execute(query)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION"
    assert "aliases" in body["errors"][0]["message"]


async def test_too_many_tokens_are_refused(client: GraphQLClient) -> None:
    query = "{ me { " + " ".join(["name"] * MAX_TOKENS) + " } }"
    body = await client.execute(query)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION"
    assert "token" in body["errors"][0]["message"].lower()


async def test_unknown_field_is_a_validation_error_not_masked(client: GraphQLClient) -> None:
    body = await client.execute("{ me { nope } }")
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION"
    assert "nope" in body["errors"][0]["message"]
