"""The exception tree and its stable error codes."""

from __future__ import annotations

import ast
import inspect
import re

import pytest

import domain.errors as errors_module
from domain.errors import (
    BatchTooLargeError,
    ConflictError,
    EmbeddedStoreError,
    ErrorCode,
    ForbiddenError,
    InvalidTransitionError,
    NotFoundError,
    OperationNotAllowedError,
    PersistedQueryNotFoundError,
    QueryTooComplexError,
    RateLimitedError,
    RequestTooLargeError,
    ResyncRequiredError,
    StoreUnavailableError,
    SubscriberTooSlowError,
    UnauthenticatedError,
    ValidationError,
    VigilError,
)

# The public contract: a class and its code never change.
STABLE_CODES: dict[type[VigilError], str] = {
    VigilError: "INTERNAL",
    NotFoundError: "NOT_FOUND",
    ValidationError: "VALIDATION",
    BatchTooLargeError: "BATCH_TOO_LARGE",
    InvalidTransitionError: "INVALID_TRANSITION",
    ConflictError: "CONFLICT",
    UnauthenticatedError: "UNAUTHENTICATED",
    ForbiddenError: "FORBIDDEN",
    SubscriberTooSlowError: "SUBSCRIBER_TOO_SLOW",
    ResyncRequiredError: "RESYNC_REQUIRED",
    StoreUnavailableError: "STORE_UNAVAILABLE",
    EmbeddedStoreError: "EMBEDDED_STORE_FAILED",
    RateLimitedError: "RATE_LIMITED",
    QueryTooComplexError: "QUERY_TOO_COMPLEX",
    RequestTooLargeError: "REQUEST_TOO_LARGE",
    OperationNotAllowedError: "OPERATION_NOT_ALLOWED",
    PersistedQueryNotFoundError: "PERSISTED_QUERY_NOT_FOUND",
}


def tree_classes() -> list[type[VigilError]]:
    """VigilError and every subclass defined in domain.errors."""
    found: list[type[VigilError]] = []
    pending: list[type[VigilError]] = [VigilError]
    while pending:
        cls = pending.pop()
        if cls.__module__ == errors_module.__name__:
            found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


def documented_as_not_raised() -> set[str]:
    """ErrorCode members whose attribute docstring says the domain does not raise them."""
    source = inspect.getsource(ErrorCode)
    body = ast.parse(source).body[0]
    assert isinstance(body, ast.ClassDef)
    documented: set[str] = set()
    for statement, following in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(statement, ast.Assign)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
            and "not raised" in following.value.value.lower()
        ):
            [target] = statement.targets
            assert isinstance(target, ast.Name)
            documented.add(target.id)
    return documented


def test_every_class_of_the_tree_has_its_stable_code() -> None:
    assert set(tree_classes()) == set(STABLE_CODES)
    for cls, code in STABLE_CODES.items():
        assert cls.code == ErrorCode(code), cls.__name__
        assert cls("boom").extensions["code"] == code


def test_codes_are_distinct() -> None:
    codes = [cls.code for cls in tree_classes()]
    assert len(codes) == len(set(codes))


def test_every_error_code_is_raised_by_a_class_or_documented_as_not_raised() -> None:
    used = {cls.code.name for cls in tree_classes()}
    not_raised = documented_as_not_raised()
    assert not_raised == {"GRAPHQL_VALIDATION"}
    assert not used & not_raised
    assert used | not_raised == {member.name for member in ErrorCode}


def test_error_code_values_equal_their_names() -> None:
    for member in ErrorCode:
        assert member.value == member.name


def test_module_docstring_tree_names_each_class_with_its_code() -> None:
    doc = errors_module.__doc__ or ""
    for cls, code in STABLE_CODES.items():
        if cls is VigilError:
            assert re.search(r"VigilError\s+\(code: INTERNAL\)", doc)
        else:
            assert re.search(rf"{cls.__name__}\s+{code}\b", doc), cls.__name__


@pytest.mark.parametrize("cls", list(STABLE_CODES), ids=lambda cls: cls.__name__)
def test_extensions_contain_code_and_default_suggestion(cls: type[VigilError]) -> None:
    error = cls("Something failed.")
    assert error.message == "Something failed."
    assert str(error) == "Something failed."
    assert error.suggestion == cls.default_suggestion
    assert error.suggestion.strip()
    assert error.extensions == {"code": cls.code.value, "suggestion": cls.default_suggestion}
    assert isinstance(error, VigilError)


def test_extensions_carry_a_given_suggestion_and_field() -> None:
    error = NotFoundError("No such incident.", suggestion="List incidents.", field="id")
    assert error.extensions == {"code": "NOT_FOUND", "suggestion": "List incidents.", "field": "id"}


def test_subclasses_have_their_own_default_suggestion() -> None:
    suggestions = [cls.default_suggestion for cls in STABLE_CODES]
    assert len(suggestions) == len(set(suggestions))


def test_hierarchy_matches_the_documented_tree() -> None:
    assert issubclass(BatchTooLargeError, ValidationError)
    assert issubclass(EmbeddedStoreError, StoreUnavailableError)
    for cls in STABLE_CODES:
        if cls not in (VigilError, BatchTooLargeError, EmbeddedStoreError):
            assert cls.__bases__ == (VigilError,), cls.__name__


def test_located_prefixes_message_and_field() -> None:
    error = ValidationError("'summary' must not be empty.", suggestion="Fill it.", field="summary")
    located = error.located("alerts[3]")
    assert located.message == "alerts[3]: 'summary' must not be empty."
    assert located.field == "alerts[3].summary"
    assert located.suggestion == "Fill it."
    assert located.extensions == {
        "code": "VALIDATION",
        "suggestion": "Fill it.",
        "field": "alerts[3].summary",
    }
    assert error.field == "summary"  # the original is unchanged


def test_located_without_a_field_names_the_path() -> None:
    located = ValidationError("Bad alert.").located("alerts[0]")
    assert located.field == "alerts[0]"
    assert located.message == "alerts[0]: Bad alert."


def test_located_keeps_the_subclass_and_nests() -> None:
    located = BatchTooLargeError("Too many.", field="labels").located("alerts[2]")
    assert type(located) is BatchTooLargeError
    assert located.code is ErrorCode.BATCH_TOO_LARGE
    twice = located.located("batch")
    assert twice.field == "batch.alerts[2].labels"
    assert twice.message == "batch: alerts[2]: Too many."
