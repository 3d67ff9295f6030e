"""Narrowing a store query to what a caller may read: things of readable services
(incidents, alerts, heartbeats...) or things with a `team` field of their own
(schedules, escalation policies).

Lists are filtered in the query itself, never after paging, so a page holds as many
readable items as asked for.
"""

from __future__ import annotations

from collections.abc import Collection

from domain.auth import Principal
from domain.store.database import Document


def within_services(
    query: Document, readable: Collection[str] | None, *, field: str = "service_id"
) -> Document:
    """`query` limited to documents whose `field` is one of `readable` (None: no limit),
    intersected with whatever the query already asked of that field."""
    if readable is None:
        return query
    allowed = set(readable)
    asked = query.get(field)
    if isinstance(asked, dict) and set(asked) == {"$in"}:
        allowed &= set(asked["$in"])
    elif isinstance(asked, str):
        allowed &= {asked}
    elif asked is not None:
        raise ValueError(f"cannot narrow the condition {asked!r} on '{field}'")
    return {**query, field: {"$in": sorted(allowed)}}


def within_teams(query: Document, principal: Principal) -> Document:
    """`query` limited to documents owned by no team or by a team `principal` may read;
    things owned by no team are governed by the global role, and every role may read."""
    teams = principal.visible_teams
    if teams is None:
        return query
    # `None` in `$in` also matches documents written before teams existed (no field).
    return {**query, "team": {"$in": [None, *sorted(teams)]}}
