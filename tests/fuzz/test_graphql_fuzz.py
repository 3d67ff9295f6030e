"""Valid random operations of the live schema, as an admin and as a viewer, over real HTTP:
whatever they ask, the server answers without a 5xx and without the masked INTERNAL error
(api/schema/errors.py), which is what a bug in a resolver looks like to a client.

Two generators over the same schema: hypothesis-graphql, and schemathesis (its own query
builder and its `requests` transport)."""

from __future__ import annotations

from typing import Any, Protocol

import httpx
import schemathesis
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, queries
from schemathesis import Case

from api.schema.schema import sdl
from domain.errors import ErrorCode
from tests.fuzz.strategies import CUSTOM_SCALARS
from tests.fuzz.threaded import ThreadedServer, Tokens

SDL = sdl()
OPERATIONS = st.one_of(
    queries(SDL, custom_scalars=CUSTOM_SCALARS), mutations(SDL, custom_scalars=CUSTOM_SCALARS)
)
# A server-side failure, whatever words it comes with: a bug, or a store it lost.
UNEXPECTED = {ErrorCode.INTERNAL.value, ErrorCode.STORE_UNAVAILABLE.value}
FUZZ = settings.get_profile("vigil-fuzz")


for _name, _strategy in CUSTOM_SCALARS.items():
    schemathesis.graphql.scalar(_name, _strategy)
# From the same SDL, not the server's introspection: a strategy built at import time draws
# the same way on every run, which hypothesis needs to replay and shrink a failure.
SCHEMATHESIS_CASES = schemathesis.graphql.from_file(SDL).as_strategy()


class Answer(Protocol):
    """What httpx's and schemathesis' responses both have."""

    status_code: int

    @property
    def text(self) -> str: ...

    def json(self) -> Any: ...


def assert_expected_answer(response: Answer) -> None:
    assert response.status_code < 500, response.text
    body: dict[str, Any] = response.json()
    assert body.keys() & {"data", "errors"}, body
    codes = {(error.get("extensions") or {}).get("code") for error in body.get("errors") or []}
    # `make fuzz` prints these: how many operations ran, and what refused the others.
    event(f"error codes: {sorted(map(str, codes)) or 'none'}")
    assert not codes & UNEXPECTED, body["errors"]
    assert None not in codes, body["errors"]


def send(server: ThreadedServer, token: str, document: str) -> httpx.Response:
    return httpx.post(
        f"{server.url}/graphql",
        json={"query": document},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


@FUZZ
@given(document=OPERATIONS)
def test_random_operations_as_admin_never_fail_unexpectedly(
    fuzz_server: ThreadedServer, tokens: Tokens, document: str
) -> None:
    assert_expected_answer(send(fuzz_server, tokens.admin, document))


@FUZZ
@given(document=OPERATIONS)
def test_random_operations_as_viewer_never_fail_unexpectedly(
    fuzz_server: ThreadedServer, tokens: Tokens, document: str
) -> None:
    assert_expected_answer(send(fuzz_server, tokens.viewer, document))


@FUZZ
@given(case=SCHEMATHESIS_CASES)
def test_schemathesis_operations_never_fail_unexpectedly(
    fuzz_server: ThreadedServer, tokens: Tokens, case: Case[Any]
) -> None:
    # Not case.validate_response: its GraphQL check counts every error with a `path` as a
    # server error, and domain errors (VALIDATION, NOT_FOUND) are the answers we expect.
    answer = case.call(
        base_url=f"{fuzz_server.url}/graphql",
        headers={"Authorization": f"Bearer {tokens.admin}"},
    )
    assert_expected_answer(answer)
