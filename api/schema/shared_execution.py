"""Subscription events executed once per audience, not once per subscriber.

graphql-core runs a subscription's selection set for every event and every
subscriber. With hundreds of dashboards watching the same stream, that execution
was most of the server's work, and its result is the same for every subscriber who
sent the same document with the same variables and may see the same data. So the
subscription resolvers yield one shared root object per domain event, and the
executor keeps the result per (root object, document, variables, audience) for as
long as the root object lives: the first subscriber to reach an event executes it,
the others reuse the result (or await the same execution when it is asynchronous).
"""

from __future__ import annotations

import asyncio
import functools
import json
import weakref
from collections import OrderedDict
from collections.abc import Awaitable
from typing import Any, Generic, TypeVar

from graphql import ExecutionResult, Executor, OperationType
from graphql.execution import ExperimentalIncrementalExecutionResults
from graphql.pyutils import AwaitableOrValue
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api.context import Context

Outcome = ExecutionResult | ExperimentalIncrementalExecutionResults
V = TypeVar("V")


class IdentityMemo(Generic[V]):
    """A value per object, kept while the object lives; the objects need not be hashable
    (GraphQL types are dataclasses that compare by value)."""

    def __init__(self) -> None:
        self._values: dict[int, V] = {}

    def get(self, owner: object) -> V | None:
        return self._values.get(id(owner))

    def remember(self, owner: object, value: V) -> V:
        key = id(owner)
        if key not in self._values:
            # Forgotten when the owner dies, before its id can be reused.
            weakref.finalize(owner, self._values.pop, key, None)
        self._values[key] = value
        return value


_results: IdentityMemo[dict[tuple[str, ...], Any]] = IdentityMemo()


class SharedEventExecutor(StrawberryGraphQLCoreExecutionContext):
    def build_per_event_executor(self, payload: Any) -> Executor[Any]:
        if self.operation.operation is OperationType.SUBSCRIPTION:
            self._sharing_key  # noqa: B018 (cached on self, so every copy inherits it)
        return super().build_per_event_executor(payload)

    def execute_operation(self, serially: bool | None = None) -> AwaitableOrValue[Outcome]:
        if self.operation.operation is not OperationType.SUBSCRIPTION:
            return super().execute_operation(serially)
        root = self.root_value
        results = _results.get(root)
        if results is None:
            try:
                results = _results.remember(root, {})
            except TypeError:  # a root without weak references is not shared
                return super().execute_operation(serially)
        key = self._sharing_key
        if key not in results:
            outcome = super().execute_operation(serially)
            results[key] = (
                asyncio.ensure_future(outcome) if isinstance(outcome, Awaitable) else outcome
            )
        shared = results[key]
        # A subscriber that goes away while waiting must not cancel the others' result.
        return asyncio.shield(shared) if isinstance(shared, asyncio.Future) else shared

    def executed(self, payload: Any) -> Outcome | None:
        """The result another subscriber of this audience already got for this event, if
        it is ready: then no executor is built for it (a copy of this one per event and
        subscriber, most of a delivery's cost after the socket write)."""
        results = _results.get(payload)
        shared = None if results is None else results.get(self._sharing_key)
        if isinstance(shared, asyncio.Future):
            if not shared.done() or shared.cancelled() or shared.exception() is not None:
                return None
            shared = shared.result()
        return shared

    @functools.cached_property
    def _sharing_key(self) -> tuple[str, ...]:
        # Computed on the subscription's executor before the per-event copies are made,
        # so each subscription builds it once.
        location = self.operation.loc
        document = location.source.body if location is not None else repr(self.operation)
        name = self.operation.name.value if self.operation.name else ""
        variables = json.dumps(self.variable_values, sort_keys=True, default=str)
        context = self.context_value
        audience = context.audience if isinstance(context, Context) else ""
        return (document, name, variables, audience)


class SharedEncodings:
    """The JSON of recently sent results, by identity: subscribers of one audience send
    the very same ``data`` object (see above), so it is encoded once. Entries hold their
    object, so an id cannot be reused while it is remembered."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._texts: OrderedDict[int, tuple[object, str]] = OrderedDict()

    def encode(self, value: object) -> str:
        entry = self._texts.get(id(value))
        if entry is not None and entry[0] is value:
            return entry[1]
        text = json.dumps(value, separators=(",", ":"))
        self._texts[id(value)] = (value, text)
        if len(self._texts) > self._size:
            self._texts.popitem(last=False)
        return text
