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

from domain.errors import ErrorCode, StoreUnavailableError, VigilError

log = logging.getLogger(__name__)

_QUERY_SUGGESTION = "Check the operation against the schema (frontend-schema/schema.graphql)."


def _is_unexpected(error: GraphQLError) -> bool:
    return error.original_error is not None and not isinstance(error.original_error, VigilError)


def log_unexpected(errors: list[GraphQLError]) -> None:
    """Log what a client cannot act on; domain and query errors are the client's business."""
    for error in errors:
        if _is_unexpected(error):
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
        for error in processed:
            if not (error.extensions or {}).get("code"):
                error.extensions = {
                    **(error.extensions or {}),
                    "code": ErrorCode.GRAPHQL_VALIDATION.value,
                    "suggestion": _QUERY_SUGGESTION,
                }
        return processed
