"""Custom scalars."""

from __future__ import annotations

import json
from typing import Any, NewType

import strawberry
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.types.scalar import ScalarDefinition

Labels = NewType("Labels", dict[str, str])
JSONObject = NewType("JSONObject", dict[str, Any])


def _object(value: Any) -> dict[str, Any]:
    # Only the shape is checked here; the domain validates contents, naming the field.
    if not isinstance(value, dict):
        # A GraphQL error, not a ValueError: graphql-core keeps any other exception as the
        # cause, which api/schema/errors.py masks as INTERNAL (a fuzzing finding).
        raise StrawberryInputCoercionError(f"Expected a JSON object, got {json.dumps(value)[:80]}.")
    return value


SCALARS: dict[object, ScalarDefinition] = {
    Labels: strawberry.scalar(
        name="Labels",
        description='A JSON object of string keys to string values, e.g. {"pod": "cart-1"}.',
        serialize=lambda value: value,
        parse_value=_object,
    ),
    JSONObject: strawberry.scalar(
        name="JSONObject",
        description="Any JSON object.",
        serialize=lambda value: value,
        parse_value=_object,
    ),
}
