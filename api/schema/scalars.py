"""Custom scalars."""

from __future__ import annotations

from typing import Any, NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

Labels = NewType("Labels", dict[str, str])


def _parse_labels(value: Any) -> dict[str, Any]:
    # Only the shape is checked here; the domain validates keys and values with field names.
    if not isinstance(value, dict):
        raise ValueError("Labels must be a JSON object whose values are strings.")
    return value


SCALARS: dict[object, ScalarDefinition] = {
    Labels: strawberry.scalar(
        name="Labels",
        description='A JSON object of string keys to string values, e.g. {"pod": "cart-1"}.',
        serialize=lambda value: value,
        parse_value=_parse_labels,
    ),
}
