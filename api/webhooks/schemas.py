"""Checking payloads against JSON Schemas, with errors that name the offending field.

jsonschema's own messages quote the offending value, which may be a whole alert; these name
the field (`alerts[3].labels.port`) and say what it must be.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from itertools import islice
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from jsonschema.exceptions import relevance

from domain.errors import BatchTooLargeError, ValidationError
from domain.ingest.model import MAX_BATCH

_REPORTED_PROBLEMS = 10


class InvalidPayload(Exception):
    """A payload that breaks its schema, with every problem found (up to ten), worst first."""

    def __init__(self, problems: Sequence[ValidationError]) -> None:
        super().__init__(problems[0].message)
        self.problems = list(problems)


def validator(schema: Mapping[str, Any]) -> Draft202012Validator:
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def check(schema: Draft202012Validator, payload: Any) -> None:
    """Raise InvalidPayload naming the fields that break `schema`."""
    if isinstance(payload, dict) and isinstance(payload.get("alerts"), list):
        # Before the schema: validating 20,000 tiny alerts only to refuse them wastes a core.
        count = len(payload["alerts"])
        if count > MAX_BATCH:
            raise BatchTooLargeError(
                f"A call may carry at most {MAX_BATCH} alerts; this one has {count}.",
                field="alerts",
            )
    found = islice(schema.iter_errors(payload), _REPORTED_PROBLEMS)
    errors = sorted(found, key=relevance, reverse=True)
    if errors:
        raise InvalidPayload([_problem(error) for error in errors])


_LIMITS = {
    "minLength": "must not be empty",
    "maxLength": "must be at most {} characters long",
    "maxItems": "must have at most {} items",
    "maxProperties": "must have at most {} entries",
    "pattern": "must match the pattern {}",
}


def _problem(error: SchemaError) -> ValidationError:
    path = list(error.absolute_path)
    # The stubs allow "unset" for these; a reported error always has them.
    instance: Any = error.instance
    expected: Any = error.validator_value
    schema: Any = error.schema
    match error.validator:
        case "required":
            path.append(next(name for name in expected if name not in instance))
            detail = "is required"
        case "additionalProperties":
            known = schema.get("properties", {})
            path.append(sorted(name for name in instance if name not in known)[0])
            detail = "is not a known field"
        case "type":
            names = expected if isinstance(expected, list) else [expected]
            detail = f"must be {' or '.join(_article(name) for name in names)}"
        case "enum" | "const":
            allowed = expected if isinstance(expected, list) else [expected]
            detail = f"must be one of {', '.join(json.dumps(a) for a in allowed)}"
        case str(name) if name in _LIMITS:
            detail = _LIMITS[name].format(expected)
        case _:
            detail = error.message[:300]
    field = field_path(path)
    return ValidationError(
        f"'{field or 'body'}' {detail}.",
        suggestion='Fix the named field: the README\'s "Connect your monitors" shows each format.',
        field=field or None,
    )


def _article(type_name: str) -> str:
    return {"array": "an array", "object": "an object", "integer": "an integer"}.get(
        type_name, f"a {type_name}"
    )


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def field_path(path: Iterable[str | int]) -> str:
    """`alerts[0].labels.severity`, quoting keys that are not identifiers."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part)}]"
    return text
