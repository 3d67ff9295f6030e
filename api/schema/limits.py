"""Per-deployment limits on GraphQL operations: introspection, the persisted-operation
allow-list and the cost limit (api/schema/cost.py), and operations counted for /metrics.

The policy comes from the request's scope (api/request_scope.py), since one schema serves
every app in a process (the tests run several). An operation without a scope (the schema
called directly) gets the default cost limit and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError, NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension

from api.metrics import GRAPHQL_OPERATIONS
from api.request_scope import OperationPolicy, current_scope
from api.schema.cost import estimate_cost
from domain.errors import OperationNotAllowedError, QueryTooComplexError

DEFAULT_MAX_COST = 50_000
"""As vigil.settings.Settings.max_query_cost."""


class OperationLimits(SchemaExtension):
    """Must come after ValidationCache: it checks documents the cache found valid, and a
    failure it reports stands in for validation errors (strawberry then skips validating)."""

    def __init__(self) -> None:
        super().__init__()
        self._refused = False

    def _policy(self) -> OperationPolicy:
        scope = current_scope()
        if scope is None:
            return OperationPolicy(introspection=True, max_cost=DEFAULT_MAX_COST, persisted=None)
        return scope.policy

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        if not self._policy().introspection:
            context.validation_rules = (*context.validation_rules, NoSchemaIntrospectionCustomRule)
        yield
        try:
            kind = context.operation_type.value
        except RuntimeError:
            kind = "unknown"
        result = context.result
        if self._refused or context.graphql_document is None:
            outcome = "refused"
        elif result is not None and result.errors:
            outcome = "error"
        else:
            outcome = "ok"
        GRAPHQL_OPERATIONS.labels(kind, outcome).inc()

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if not context.pre_execution_errors and document is not None:
            policy = self._policy()
            refusal: OperationNotAllowedError | QueryTooComplexError | None = None
            if policy.persisted is not None and not policy.persisted.allows(document):
                refusal = OperationNotAllowedError(
                    "This server runs only its persisted operations, and this document "
                    "is not one of them.",
                    suggestion="Send one of the operations of VIGIL_PERSISTED_OPERATIONS "
                    "(or its sha256 in extensions.persistedQuery.sha256Hash), or ask the "
                    "operator to add this one.",
                )
            else:
                cost = estimate_cost(
                    context.schema._schema, document, context.operation_name, context.variables
                )
                if cost > policy.max_cost:
                    refusal = QueryTooComplexError(
                        f"The operation's estimated cost is {cost}; the limit is "
                        f"{policy.max_cost} (fields resolved, list sizes multiplied through "
                        "nesting).",
                        suggestion="Ask for smaller pages ('first'), fewer nested lists or "
                        "fewer fields, and follow 'endCursor' for more.",
                    )
            if refusal is not None:
                context.pre_execution_errors = [
                    GraphQLError(
                        refusal.message, original_error=refusal, extensions=refusal.extensions
                    )
                ]
        yield
        self._refused = bool(context.pre_execution_errors)
