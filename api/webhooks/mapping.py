"""Translating monitors' vocabularies into Vigil's: severities, service names, times, links.

Monitors cannot change what they send, and most do not retry a 4xx, so where a value is
merely unusual (a long annotation, a severity spelled "P1", a graph URL that is not http)
translation adapts it instead of refusing the alert. Only what makes an alert meaningless
(no summary, a time that cannot be read) is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import datetime

from domain.alert.model import MAX_LINKS, AlertLink, Severity
from domain.errors import ValidationError

MAX_SUMMARY = 1024
MAX_DESCRIPTION = 16384
MAX_LINK_TEXT = 256
_ELLIPSIS = "…"

SEVERITY_WORDS: Mapping[str, Severity] = {
    **dict.fromkeys(
        ("critical", "crit", "fatal", "emergency", "emerg", "alert", "page", "disaster", "p1"),
        Severity.CRITICAL,
    ),
    **dict.fromkeys(("error", "err", "high", "major", "p2"), Severity.ERROR),
    **dict.fromkeys(("warning", "warn", "medium", "average", "minor", "p3"), Severity.WARNING),
    **dict.fromkeys(
        ("info", "informational", "information", "notice", "low", "none", "debug", "p4", "p5"),
        Severity.INFO,
    ),
}
DEFAULT_SEVERITY = Severity.ERROR
"""For an alert that names no severity, as Alertmanager's own PagerDuty receiver does."""


def severity_from(value: str | None, default: Severity = DEFAULT_SEVERITY) -> Severity:
    """A severity label's value in Vigil's four levels; unknown words get `default`."""
    if value is None:
        return default
    return SEVERITY_WORDS.get(value.strip().lower(), default)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def service_slug(value: str | None) -> str | None:
    """A label value as a service name: `Node_Exporter` becomes `node-exporter`."""
    if value is None:
        return None
    slug = _NOT_SLUG.sub("-", value.lower()).strip("-")[:63].rstrip("-")
    return slug or None


# Go marshals time.Time's zero value like this: Alertmanager's "not ended yet".
_GO_ZERO_TIME = datetime.fromisoformat("0001-01-01T00:00:00+00:00")


def event_time(value: str | None, field: str) -> datetime | None:
    """An RFC 3339 time (nanoseconds allowed); None when absent or Go's zero time."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            f"'{field}' is not an RFC 3339 time: {value[:64]!r}.",
            suggestion="Send times like 2026-11-26T15:04:05Z or 2026-11-26T17:04:05+02:00.",
            field=field,
        ) from None
    if parsed.tzinfo is not None and parsed == _GO_ZERO_TIME:
        return None
    return parsed


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, marked as cut."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + _ELLIPSIS


def links(*candidates: tuple[str | None, str]) -> tuple[AlertLink, ...]:
    """The (href, text) pairs that are usable links, in order, without repeats, at most
    as many as an alert may hold.

    Monitors leave URL fields empty ("" when Grafana has no dashboard) or fill them with
    what is not an http(s) URL; those are dropped rather than refusing the alert.
    """
    found: dict[str, AlertLink] = {}
    for href, text in candidates:
        if not href or href in found:
            continue
        try:
            found[href] = AlertLink(href, clip(text, MAX_LINK_TEXT))
        except ValidationError:
            continue
    return tuple(found.values())[:MAX_LINKS]


def labels_key(labels: Mapping[str, str]) -> str:
    """A dedup key from an alert's labels, for senders that omit `fingerprint`: like
    Alertmanager's fingerprint, the label set is the alert's identity."""
    canonical = json.dumps(sorted(labels.items()), separators=(",", ":"))
    return "labels:" + hashlib.sha256(canonical.encode()).hexdigest()[:32]
