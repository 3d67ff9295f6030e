"""Field checks shared by the domain's types."""

from __future__ import annotations

import re

from domain.errors import ValidationError

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def require_slug(value: str, *, field: str) -> str:
    if not _SLUG.fullmatch(value):
        raise ValidationError(
            f"'{field}' must be a slug (lower-case letters, digits and inner dashes, "
            f"1 to 63 characters), got {value!r}.",
            suggestion="Use a name such as 'checkout-api'.",
            field=field,
        )
    return value


def require_text(value: str, *, field: str, max_length: int, allow_empty: bool = False) -> str:
    value = value.strip()
    if not value and not allow_empty:
        raise ValidationError(f"'{field}' must not be empty.", field=field)
    if len(value) > max_length:
        raise ValidationError(
            f"'{field}' is {len(value)} characters long; the limit is {max_length}.",
            suggestion=f"Shorten '{field}'; put long text in 'description'.",
            field=field,
        )
    return value
