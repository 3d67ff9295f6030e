"""Query conditions shaped for both stores."""

from __future__ import annotations

from collections.abc import Sequence

from domain.store.database import Document


def one_of(values: Sequence[str]) -> str | Document:
    """A condition matching any of `values` (at least one): an equality for one value, as
    the embedded store serves an equality on a single-field index from the index but reads
    the whole collection for any `$in`; `$in` for several."""
    return values[0] if len(values) == 1 else {"$in": list(values)}
