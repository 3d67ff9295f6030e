"""How errors reach clients: domain errors as they are, the unexpected masked and logged.

Domain errors carry ``extensions`` (code, suggestion, field) that GraphQL copies
into the response. Errors of the query itself (syntax, unknown fields, limits)
get GRAPHQL_VALIDATION. Anything else raised while resolving is logged with its
traceback and replaced by a generic INTERNAL error, except a lost database,
which says so (STORE_UNAVAILABLE) so clients know to retry.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql import GraphQLError
from pymongo.errors import ConnectionFailure
from strawberry.extensions import MaskErrors
from strawberry.types.execution import StreamExecutionResult

from api.request_scope import current_request_id
from domain.errors import ErrorCode, StoreUnavailableError, VigilError

log = logging.getLogger(__name__)

_QUERY_SUGGESTION = "Check the operation against the schema (frontend-schema/schema.graphql)."


def _is_unexpected(error: GraphQLError) -> bool:
    # graphql-core gives a variable's coercion error (a GraphQLError about the request, e.g.
    # `first: "abc"`) as the cause of the error it reports: the client's, not a bug.
    original = error.original_error
    return original is not None and not isinstance(original, VigilError | GraphQLError)


def log_unexpected(errors: list[GraphQLError]) -> None:
    """Log what a client cannot act on; domain and query errors are the client's business."""
    for error in errors:
        # A lost store is expected in operation: ErrorPresentation logs it in one line.
        if _is_unexpected(error) and not isinstance(error.original_error, ConnectionFailure):
            log.error("unexpected error resolving %s", error.path, exc_info=error.original_error)


class ErrorPresentation(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=_is_unexpected)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, ConnectionFailure):
            log.warning("store unavailable while resolving %s: %s", error.path, original)
            unavailable = StoreUnavailableError(
                "The database is unavailable; nothing was changed "
                "by the failed part of this request."
            )
            return GraphQLError(
                unavailable.message,
                nodes=error.nodes,
                path=error.path,
                extensions=unavailable.extensions,
            )
        masked = super().anonymise_error(error)
        masked.extensions = {
            "code": ErrorCode.INTERNAL.value,
            "suggestion": VigilError.default_suggestion,
        }
        return masked

    def on_stream_result(self, result: StreamExecutionResult) -> Iterator[None]:
        # Each live event goes to every subscriber; most carry no errors, and the base
        # class's structural type check per result was a visible share of a fan-out.
        if getattr(result, "errors", None):
            yield from super().on_stream_result(result)
        else:
            self._stream_result_processed = True
            yield None

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        request_id = current_request_id()
        for error in processed:
            if not (error.extensions or {}).get("code"):
                error.extensions = {
                    **(error.extensions or {}),
                    "code": ErrorCode.GRAPHQL_VALIDATION.value,
                    "suggestion": _QUERY_SUGGESTION,
                }
        if request_id is None:
            return processed
        # What a user quotes to an operator, who finds the request's log lines by it. A copy:
        # validation errors are cached and shared by every request sending that document.
        return [
            GraphQLError(
                error.message,
                nodes=error.nodes,
                source=error.source,
                positions=error.positions,
                path=error.path,
                original_error=error.original_error,
                extensions={**(error.extensions or {}), "requestId": request_id},
            )
            for error in processed
        ]
