"""Unexpected errors are masked and logged; domain errors reach the client intact."""

from __future__ import annotations

import logging

import pytest
import strawberry
from pymongo.errors import ServerSelectionTimeoutError

from api.schema.errors import ErrorPresentation
from domain.errors import ErrorCode, NotFoundError


@strawberry.type
class _Query:
    @strawberry.field
    def boom(self) -> str:
        raise RuntimeError("secret internals")

    @strawberry.field
    def missing(self) -> str:
        raise NotFoundError("No such thing.", suggestion="Look elsewhere.")

    @strawberry.field
    def store_down(self) -> str:
        raise ServerSelectionTimeoutError("no servers")


_schema = strawberry.Schema(query=_Query, extensions=[ErrorPresentation])


async def test_unexpected_error_is_masked_with_code_internal() -> None:
    result = await _schema.execute("{ boom }")
    assert result.errors is not None
    [error] = result.errors
    assert error.message == "Unexpected error."
    assert "secret" not in str(error.formatted)
    assert error.extensions == {
        "code": "INTERNAL",
        "suggestion": "Retry later; if it persists, report it with the request details.",
    }


async def test_domain_error_keeps_message_code_and_suggestion() -> None:
    result = await _schema.execute("{ missing }")
    assert result.errors is not None
    assert result.errors[0].message == "No such thing."
    assert result.errors[0].extensions == {"code": "NOT_FOUND", "suggestion": "Look elsewhere."}


async def test_lost_store_says_store_unavailable() -> None:
    result = await _schema.execute("{ storeDown }")
    assert result.errors is not None
    assert result.errors[0].extensions is not None
    assert result.errors[0].extensions["code"] == ErrorCode.STORE_UNAVAILABLE.value


async def test_schema_logs_unexpected_errors_only(caplog: pytest.LogCaptureFixture) -> None:
    from api.schema.schema import VigilSchema

    schema = VigilSchema(query=_Query, extensions=[ErrorPresentation])
    with caplog.at_level(logging.ERROR, logger="api.schema.errors"):
        await schema.execute("{ missing }")
        assert not caplog.records
        await schema.execute("{ boom }")
    assert any("secret internals" in (r.exc_text or "") or r.exc_info for r in caplog.records)


@pytest.mark.parametrize(
    ("document", "variables", "says"),
    [
        # Fuzzing findings: each was answered INTERNAL and logged as a server bug.
        ("query($n: Int) { incidents(first: $n) { edges { cursor } } }", {"n": "abc"}, "$n"),
        (
            "query($t: DateTime!) { correlationReport(from: $t, to: $t) { alerts } }",
            {"t": "nope"},
            "DateTime",
        ),
        (
            "mutation($l: Labels) "
            '{ ingestAlerts(alerts: [{summary: "x", labels: $l}]) { outcome } }',
            {"l": [1]},
            "JSON object",
        ),
        ('mutation { ingestAlerts(alerts: [{summary: "x", labels: 5}]) { outcome } }', {}, "got 5"),
    ],
)
async def test_invalid_input_values_are_the_clients_error(
    document: str, variables: dict[str, object], says: str, caplog: pytest.LogCaptureFixture
) -> None:
    from api.schema.schema import schema

    with caplog.at_level(logging.ERROR, logger="api.schema.errors"):
        result = await schema.execute(document, variable_values=variables)
    assert result.errors is not None
    [error] = result.errors
    assert says in error.message
    assert error.extensions is not None
    assert error.extensions["code"] == ErrorCode.GRAPHQL_VALIDATION.value
    assert not caplog.records


def test_every_error_code_is_in_the_schema() -> None:
    from api.schema.schema import schema

    enum = schema.get_type_by_name("ErrorCode")
    assert enum is not None
    sdl = schema.as_str()
    for code in ErrorCode:
        assert f"  {code.value}\n" in sdl
