"""Live events sent straight to a subscriber's websocket.

Through the usual path, each event for each subscriber climbs a chain of async
generators (the resolver, graphql-core's response stream, strawberry's result
stream with its extension hooks, the transport's message building) before it is
written; with hundreds of subscribers that chain, not the data, was most of the
server's work. So when a subscription runs over graphql-transport-ws, its resolver
sends the events itself: it executes the selection set through the shared executor
(the same result for every subscriber of one audience, see shared_execution.py),
encodes it once per audience, and writes a `next` message with the operation's id.
The operation's start, its errors and its end still go through strawberry.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from graphql import ExecutionResult, GraphQLError, GraphQLSchema, parse
from starlette.websockets import WebSocket

from api.schema.errors import ErrorPresentation, log_unexpected
from api.schema.shared_execution import SharedEncodings, SharedEventExecutor

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LiveOperation:
    """A graphql-transport-ws subscription as its resolver may answer it directly."""

    id: str
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None
    websocket: WebSocket


current_operation: ContextVar[LiveOperation | None] = ContextVar(
    "vigil_live_operation", default=None
)
"""Set by the transport for the task that runs one operation."""

_encodings = SharedEncodings()


class LiveSender:
    """Renders and sends the events of one subscription."""

    def __init__(self, operation: LiveOperation, schema: GraphQLSchema, context: Any) -> None:
        built = SharedEventExecutor.build(
            schema,
            parse(operation.query),
            context_value=context,
            raw_variable_values=operation.variables,
            operation_name=operation.operation_name,
        )
        if isinstance(built, list):  # strawberry validated the same document already
            raise GraphQLError(built[0].message)
        # build() makes an instance of the class it is called on.
        self._executor = cast(SharedEventExecutor, built)
        self._prefix = f'{{"id":{json.dumps(operation.id)},"type":"next","payload":'
        self._websocket = operation.websocket

    async def send_each(
        self, events: AsyncIterator[T], root_of: Callable[[T], object], before: Callable[[], None]
    ) -> None:
        """Send every event until the stream ends (or raises, which the caller reports)."""
        executor = self._executor
        async for event in events:
            before()
            root = root_of(event)
            result = executor.executed(root)
            if result is None:
                outcome = executor.build_per_event_executor(root).execute_operation(False)
                result = await outcome if isinstance(outcome, Awaitable) else outcome
            assert isinstance(result, ExecutionResult)
            await self._websocket.send_text(self._prefix + _payload(result) + "}")


def _payload(result: ExecutionResult) -> str:
    if not result.errors:
        return '{"data":' + _encodings.encode(result.data) + "}"
    log_unexpected(result.errors)
    errors = ErrorPresentation()._process_errors(result.errors)
    return json.dumps({"data": result.data, "errors": [e.formatted for e in errors]})
