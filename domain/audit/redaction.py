"""Secrets never reach the audit log: stored configuration documents are made plain
(JSON-safe) and stripped of anything that authenticates.

Two nets, because either alone misses something: field names that say "secret"
(hashes of keys and tokens, webhook signing secrets), and values that carry one of
Vigil's secret prefixes wherever they sit (a secret pasted into a description).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any

from domain.secrets import kind_of

REDACTED = "[redacted]"

_SENSITIVE_WORDS = frozenset(
    {"secret", "secrets", "hash", "token", "tokens", "password", "credentials", "signing"}
)
_REFERENCE_SUFFIXES = ("id", "ids", "name", "count")
"""`token_id`, `token_name`: they point at a secret, they are not one."""


def is_sensitive_field(name: str) -> bool:
    words = name.lower().replace("-", "_").split("_")
    if words[-1] in _REFERENCE_SUFFIXES and len(words) > 1:
        return False
    return any(word in _SENSITIVE_WORDS for word in words)


def redacted(document: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON-safe copy of a stored document without its secrets.

    A sensitive field keeps its key, with a marker for a value, so the log still shows
    that a secret was set (or changed) without showing it; an absent secret stays None.
    """
    return {
        str(key): (REDACTED if value is not None else None)
        if is_sensitive_field(str(key))
        else _plain(value)
        for key, value in document.items()
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return redacted(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str):
        return REDACTED if kind_of(value) is not None else value
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)
