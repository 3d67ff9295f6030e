"""The one exception tree of Vigil, with stable error codes.

    VigilError                      (code: INTERNAL)
     ├── NotFoundError              NOT_FOUND
     ├── ValidationError            VALIDATION
     │    └── BatchTooLargeError    BATCH_TOO_LARGE
     ├── InvalidTransitionError     INVALID_TRANSITION
     ├── ConflictError              CONFLICT
     ├── UnauthenticatedError       UNAUTHENTICATED
     ├── ForbiddenError             FORBIDDEN
     ├── RateLimitedError           RATE_LIMITED
     ├── QueryTooComplexError       QUERY_TOO_COMPLEX
     ├── RequestTooLargeError       REQUEST_TOO_LARGE
     ├── OperationNotAllowedError   OPERATION_NOT_ALLOWED
     ├── PersistedQueryNotFoundError PERSISTED_QUERY_NOT_FOUND
     ├── SubscriberTooSlowError     SUBSCRIBER_TOO_SLOW
     ├── ResyncRequiredError        RESYNC_REQUIRED
     └── StoreUnavailableError      STORE_UNAVAILABLE
          └── EmbeddedStoreError    EMBEDDED_STORE_FAILED

Every error carries a human message and a suggestion for the fix. ``api`` maps
the tree onto GraphQL ``extensions`` in one place; the codes are part of the
public contract (mirrored by the ``ErrorCode`` enum of the schema), so never
rename one.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    INTERNAL = "INTERNAL"
    NOT_FOUND = "NOT_FOUND"
    VALIDATION = "VALIDATION"
    BATCH_TOO_LARGE = "BATCH_TOO_LARGE"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    CONFLICT = "CONFLICT"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    SUBSCRIBER_TOO_SLOW = "SUBSCRIBER_TOO_SLOW"
    RESYNC_REQUIRED = "RESYNC_REQUIRED"
    STORE_UNAVAILABLE = "STORE_UNAVAILABLE"
    EMBEDDED_STORE_FAILED = "EMBEDDED_STORE_FAILED"
    GRAPHQL_VALIDATION = "GRAPHQL_VALIDATION"
    """Not raised by the domain: the query itself was malformed or over a limit."""
    RATE_LIMITED = "RATE_LIMITED"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE"
    OPERATION_NOT_ALLOWED = "OPERATION_NOT_ALLOWED"
    """Only the persisted operations of VIGIL_PERSISTED_OPERATIONS may run."""
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"


class VigilError(Exception):
    code: ErrorCode = ErrorCode.INTERNAL
    default_suggestion = "Retry later; if it persists, report it with the request details."

    def __init__(
        self, message: str, *, suggestion: str | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion or self.default_suggestion
        self.field = field

    @property
    def extensions(self) -> dict[str, str]:
        """Machine-readable details; GraphQL copies this into the error's ``extensions``."""
        details = {"code": self.code.value, "suggestion": self.suggestion}
        if self.field:
            details["field"] = self.field
        return details


class NotFoundError(VigilError):
    code = ErrorCode.NOT_FOUND
    default_suggestion = "Check the id; list the objects to find a valid one."


class ValidationError(VigilError):
    code = ErrorCode.VALIDATION
    default_suggestion = "Fix the named field and send the request again."

    def located(self, path: str) -> ValidationError:
        """The same error, naming where in a batch it happened (e.g. ``alerts[3]``)."""
        field = f"{path}.{self.field}" if self.field else path
        return type(self)(f"{path}: {self.message}", suggestion=self.suggestion, field=field)


class BatchTooLargeError(ValidationError):
    code = ErrorCode.BATCH_TOO_LARGE
    default_suggestion = "Split the batch into several calls."


class InvalidTransitionError(VigilError):
    code = ErrorCode.INVALID_TRANSITION
    default_suggestion = "Fetch the object again: its state changed or forbids this action."


class ConflictError(VigilError):
    code = ErrorCode.CONFLICT
    default_suggestion = "Choose another name, or update the existing object."


class UnauthenticatedError(VigilError):
    code = ErrorCode.UNAUTHENTICATED
    default_suggestion = "Send 'Authorization: Bearer <token>' with a valid API token."


class ForbiddenError(VigilError):
    code = ErrorCode.FORBIDDEN
    default_suggestion = "Ask an admin for a role that allows this action."


class RateLimitedError(VigilError):
    code = ErrorCode.RATE_LIMITED
    default_suggestion = "Slow down: wait the number of seconds in Retry-After, then retry."

    def __init__(
        self, message: str, *, retry_after_s: int = 1, suggestion: str | None = None
    ) -> None:
        super().__init__(message, suggestion=suggestion)
        self.retry_after_s = retry_after_s
        """Whole seconds until the caller may send again (HTTP Retry-After)."""


class QueryTooComplexError(VigilError):
    """Refused before execution: the operation's estimated cost is over the limit."""

    code = ErrorCode.QUERY_TOO_COMPLEX
    default_suggestion = "Ask for smaller pages ('first'), fewer nested lists or fewer fields."


class RequestTooLargeError(VigilError):
    code = ErrorCode.REQUEST_TOO_LARGE
    default_suggestion = "Send a smaller request body."


class OperationNotAllowedError(VigilError):
    """Only the persisted operations of VIGIL_PERSISTED_OPERATIONS may run."""

    code = ErrorCode.OPERATION_NOT_ALLOWED
    default_suggestion = "Send one of the server's persisted operations."


class PersistedQueryNotFoundError(VigilError):
    code = ErrorCode.PERSISTED_QUERY_NOT_FOUND
    default_suggestion = "Send the full document in 'query'."


REQUEST_REFUSALS = (
    QueryTooComplexError,
    RequestTooLargeError,
    OperationNotAllowedError,
    PersistedQueryNotFoundError,
)
"""What the API's own limits raise before any work is done."""


class SubscriberTooSlowError(VigilError):
    code = ErrorCode.SUBSCRIBER_TOO_SLOW
    default_suggestion = "Read events faster, then subscribe again and refetch current state."


class ResyncRequiredError(VigilError):
    code = ErrorCode.RESYNC_REQUIRED
    default_suggestion = "Subscribe again and refetch current state: events may have been missed."


class StoreUnavailableError(VigilError):
    code = ErrorCode.STORE_UNAVAILABLE
    default_suggestion = "Check that the database is running and reachable, then retry."


class EmbeddedStoreError(StoreUnavailableError):
    code = ErrorCode.EMBEDDED_STORE_FAILED
    default_suggestion = (
        "Read the store log named in the message, or set VIGIL_MONGODB_URI to use a MongoDB server."
    )
