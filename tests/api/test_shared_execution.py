"""Subscribers share each live event's execution without seeing each other's selections."""

from __future__ import annotations

import asyncio
import gc
from contextlib import AsyncExitStack
from typing import Any

import pytest
import websockets
from graphql import ExecutionResult
from websockets.typing import Subprotocol

from api.context import Context
from api.schema.schema import schema
from api.schema.shared_execution import IdentityMemo, SharedEncodings, SharedEventExecutor
from tests.api.helpers import token_for_role
from tests.api.queries import CREATE_SERVICE, INGEST
from tests.support import ADMIN_TOKEN, GraphQLClient, LiveServer, subscribe, unique

NARROW = "subscription($f: IncidentEventFilter) { incidentEvents(filter: $f) { kind } }"
WIDE = """
subscription($f: IncidentEventFilter) {
  incidentEvents(filter: $f) { kind incident { title alertCount service { name } } }
}"""


async def test_each_subscriber_gets_its_own_selection_and_filter(
    server: LiveServer, client: GraphQLClient
) -> None:
    names = [unique("shared"), unique("shared")]
    ids = [
        (await client.data(CREATE_SERVICE, {"input": {"name": name}}))["createService"]["id"]
        for name in names
    ]
    viewer = await token_for_role(client, "VIEWER")
    async with AsyncExitStack() as stack:
        narrow = [
            await stack.enter_async_context(subscribe(server, NARROW, {"f": {"serviceIds": ids}}))
            for _ in range(2)
        ]
        wide = await stack.enter_async_context(subscribe(server, WIDE, {"f": {"serviceIds": ids}}))
        as_viewer = await stack.enter_async_context(
            subscribe(server, WIDE, {"f": {"serviceIds": ids}}, token=viewer)
        )
        only_second = await stack.enter_async_context(
            subscribe(server, NARROW, {"f": {"serviceIds": ids[1:]}})
        )
        for name in names:
            await client.data(INGEST, {"alerts": [{"summary": f"{name} down", "service": name}]})

        for subscription in narrow:
            for _ in names:
                assert await subscription.next() == {
                    "data": {"incidentEvents": {"kind": "CREATED"}}
                }
        for subscription in (wide, as_viewer):
            for name in names:
                incident = (await subscription.next())["data"]["incidentEvents"]["incident"]
                assert incident == {
                    "title": f"{name} down",
                    "alertCount": 1,
                    "service": {"name": name},
                }
        assert await only_second.next() == {"data": {"incidentEvents": {"kind": "CREATED"}}}
        assert await only_second.nothing_within(0.5)


async def test_subscribers_of_one_audience_build_one_executor_per_event(
    server: LiveServer, client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = unique("one-build")
    sid = (await client.data(CREATE_SERVICE, {"input": {"name": name}}))["createService"]["id"]
    built = []
    build = SharedEventExecutor.build_per_event_executor

    def counted(executor: SharedEventExecutor, payload: object) -> Any:
        built.append(payload)
        return build(executor, payload)

    monkeypatch.setattr(SharedEventExecutor, "build_per_event_executor", counted)
    async with AsyncExitStack() as stack:
        subscriptions = [
            await stack.enter_async_context(subscribe(server, NARROW, {"f": {"serviceIds": [sid]}}))
            for _ in range(3)
        ]
        await client.data(INGEST, {"alerts": [{"summary": "down", "service": name}]})
        for subscription in subscriptions:
            assert await subscription.next() == {"data": {"incidentEvents": {"kind": "CREATED"}}}
    assert len(built) == 1


def test_identity_memo_forgets_a_value_when_its_owner_dies() -> None:
    class Owner:
        pass

    memo: IdentityMemo[str] = IdentityMemo()
    owner = Owner()
    memo.remember(owner, "value")
    assert memo.get(owner) == "value"
    assert memo.get(Owner()) is None
    del owner
    gc.collect()
    assert not memo._values


def test_shared_encodings_encode_one_object_once() -> None:
    encodings = SharedEncodings(size=2)
    data = {"incidentEvents": {"kind": "CREATED"}}
    first = encodings.encode(data)
    assert first == '{"incidentEvents":{"kind":"CREATED"}}'
    assert encodings.encode(data) is first
    equal_but_other = {"incidentEvents": {"kind": "CREATED"}}
    assert encodings.encode(equal_but_other) is not first
    encodings.encode({"a": 1})
    encodings.encode({"b": 2})
    assert encodings.encode(data) is not first  # evicted: encoded again


async def test_a_subscription_run_in_process_yields_through_graphql_core(
    server: LiveServer, client: GraphQLClient
) -> None:
    """Without a websocket (schema.subscribe), events take graphql-core's own path."""
    name = unique("inproc")
    sid = (await client.data(CREATE_SERVICE, {"input": {"name": name}}))["createService"]["id"]
    state = server.app.state
    context = Context(container=state.container, authenticator=state.authenticator)
    context.authenticate(
        await state.container.users.authenticate(ADMIN_TOKEN), f"Bearer {ADMIN_TOKEN}"
    )
    stream = await schema.subscribe(
        NARROW, variable_values={"f": {"serviceIds": [sid]}}, context_value=context
    )
    assert not isinstance(stream, ExecutionResult)
    first = asyncio.ensure_future(anext(stream))
    await asyncio.sleep(0.2)  # the resolver subscribes to the hub on its first step
    await client.data(INGEST, {"alerts": [{"summary": "down", "service": name}]})
    result = await asyncio.wait_for(first, 10)
    assert result.data == {"incidentEvents": {"kind": "CREATED"}}
    await stream.aclose()


async def test_the_legacy_graphql_ws_protocol_is_refused(server: LiveServer) -> None:
    async with websockets.connect(server.ws_url, subprotocols=[Subprotocol("graphql-ws")]) as ws:
        with pytest.raises(websockets.exceptions.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4406
