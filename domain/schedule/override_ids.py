"""Stable ids for overrides, derived from what they say.

Overrides are embedded in their schedule and carry no id of their own; an id
made from their content names the same override on every read, and two
overrides with one id would say the same thing, so a schedule keeps only one.
"""

from __future__ import annotations

import hashlib

from domain.schedule.model import Override
from domain.store.timestamps import to_ms


def override_id(override: Override) -> str:
    key = "|".join(
        (
            override.kind.value,
            str(to_ms(override.starts_at)),
            str(to_ms(override.ends_at)),
            override.user_id,
            override.replaces or "",
        )
    )
    return hashlib.sha256(key.encode()).hexdigest()[:20]
