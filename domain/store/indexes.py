"""Every index Vigil needs, created idempotently at start-up.

The embedded store reads an index only for an equality on a single field (see the
README's section on it), so it gets only those and the unique ones (which it enforces,
compound or not): maintaining the others would slow every write for nothing. They are
created on MongoDB, which uses them.

Index names are left to the server: the embedded store reports them
differently from MongoDB, so nothing may depend on them. No compound index
names ``_id``: the embedded store then rejects every insert ("JSON path error
near '_id'"); ``_id`` has its own index anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel

from domain.store.database import Collection, Database


class RangeIndex(IndexModel):
    """An index serving only ranges and sorts, which the embedded store never reads from an
    index: created on MongoDB only."""


INDEXES: dict[str, list[IndexModel]] = {
    "services": [IndexModel([("name", ASCENDING)], unique=True)],
    "integration_keys": [IndexModel([("secret_hash", ASCENDING)], unique=True)],
    "users": [IndexModel([("name", ASCENDING)], unique=True)],
    "team_members": [IndexModel([("user_id", ASCENDING)]), IndexModel([("team", ASCENDING)])],
    "api_tokens": [
        IndexModel([("secret_hash", ASCENDING)], unique=True),
        IndexModel([("user_id", ASCENDING)]),
    ],
    "alerts": [
        # One firing alert per open key, whoever stores it: resolved alerts carry a key of
        # their own (`closed|<id>`), since the embedded store ignores partial filters.
        IndexModel([("open_key", ASCENDING)], unique=True),
        IndexModel([("incident_id", ASCENDING)]),
        # The embedded store's path to the firing alerts (the alert-timeout sweep, a list
        # of firing alerts): it serves an equality on a single-field index, nothing else.
        IndexModel([("status", ASCENDING)]),
        IndexModel([("service_id", ASCENDING), ("status", ASCENDING), ("last_seen_ms", ASCENDING)]),
        RangeIndex([("received_at", ASCENDING)]),  # analytics periods
    ],
    "incidents": [
        # The embedded store uses only single-field indexes, and only for an equality:
        # `open` serves ingest's read of the open incidents (`open_since`), `status` the
        # reads of resolved ones.
        IndexModel([("open", ASCENDING)]),
        IndexModel([("status", ASCENDING)]),
        RangeIndex([("created_at", DESCENDING)]),
        IndexModel([("service_id", ASCENDING), ("open", ASCENDING), ("last_event_ms", ASCENDING)]),
        IndexModel([("open", ASCENDING), ("last_event_ms", ASCENDING)]),
        IndexModel([("status", ASCENDING), ("resolved_ms", ASCENDING)]),  # responder context
    ],
    "heartbeats": [
        IndexModel([("secret_hash", ASCENDING)], unique=True),
        IndexModel([("status", ASCENDING), ("due_ms", ASCENDING)]),
    ],
    "silences": [RangeIndex([("ends_at", ASCENDING)])],
    "timeline": [IndexModel([("incident_id", ASCENDING)])],
    # Each process reads the merges and splits made since it last looked.
    "correlation_feedback": [RangeIndex([("at_ms", ASCENDING)])],
    # Names are unique whatever their case ("name_key" is the folded name).
    "incident_roles": [IndexModel([("name_key", ASCENDING)], unique=True)],
    "incident_types": [IndexModel([("name_key", ASCENDING)], unique=True)],
    "incident_fields": [IndexModel([("name_key", ASCENDING)], unique=True)],
    "schedules": [IndexModel([("layers.participants", ASCENDING)])],
    "calendar_feeds": [IndexModel([("secret_hash", ASCENDING)], unique=True)],
    "contact_methods": [IndexModel([("user_id", ASCENDING)])],
    "notification_rules": [
        IndexModel([("user_id", ASCENDING)]),
        IndexModel([("contact_method_id", ASCENDING)]),
    ],
    "notification_outbox": [
        # One notification per (page key, contact method): a repeated page stores nothing.
        IndexModel([("dedup_key", ASCENDING)], unique=True),
        IndexModel([("status", ASCENDING), ("due_ms", ASCENDING)]),
        IndexModel([("status", ASCENDING)]),  # the embedded store's path to the due ones
        IndexModel([("incident_id", ASCENDING)]),
    ],
    "escalation_policies": [IndexModel([("name", ASCENDING)], unique=True)],
    "escalation_runs": [
        # One run per (incident, generation): starting twice keeps one.
        IndexModel([("run_key", ASCENDING)], unique=True),
        IndexModel([("incident_id", ASCENDING)]),
        IndexModel([("state", ASCENDING), ("due_ms", ASCENDING)]),
        IndexModel([("state", ASCENDING)]),  # the embedded store's path to the due ones
    ],
    "escalation_fired_steps": [IndexModel([("run_id", ASCENDING)])],
    "change_events": [IndexModel([("service_id", ASCENDING), ("occurred_ms", ASCENDING)])],
    "escalation_pages": [RangeIndex([("requested_ms", ASCENDING)])],  # analytics periods
    # One postmortem per incident.
    "postmortems": [IndexModel([("incident_id", ASCENDING)], unique=True)],
    "action_items": [
        IndexModel([("postmortem_id", ASCENDING)]),
        IndexModel([("owner_id", ASCENDING), ("status", ASCENDING)]),
        IndexModel([("incident_id", ASCENDING)]),
        IndexModel([("linked_incident_ids", ASCENDING)]),
        IndexModel([("status", ASCENDING), ("due_on", ASCENDING)]),
    ],
    # Stakeholder updates (domain/stakeholder): one subscription per scope and destination.
    "status_updates": [IndexModel([("incident_id", ASCENDING)])],
    "stakeholder_subscriptions": [
        IndexModel([("key", ASCENDING)], unique=True),
        IndexModel([("incident_id", ASCENDING)]),
        IndexModel([("service_id", ASCENDING)]),
    ],
    "status_update_templates": [IndexModel([("name", ASCENDING)], unique=True)],
    # Public status pages (domain/statuspage).
    "status_pages": [IndexModel([("slug", ASCENDING)], unique=True)],
    "status_page_groups": [IndexModel([("page_id", ASCENDING)])],
    "status_page_components": [IndexModel([("page_id", ASCENDING)])],
    "status_page_changes": [IndexModel([("component_id", ASCENDING), ("at_ms", ASCENDING)])],
    "status_page_incidents": [
        IndexModel([("page_id", ASCENDING)]),
        IndexModel([("internal_incident_id", ASCENDING)]),
    ],
    "status_page_updates": [IndexModel([("public_incident_id", ASCENDING)])],
    "status_page_maintenance": [IndexModel([("page_id", ASCENDING), ("ends_ms", ASCENDING)])],
    # One subscription per address and page: subscribing again finds it.
    "status_page_subscribers": [
        IndexModel([("page_id", ASCENDING), ("address", ASCENDING)], unique=True)
    ],
    # The audit log (domain/audit), filtered by what changed, by whom, or by time.
    "audit_log": [
        IndexModel([("resource_type", ASCENDING), ("resource_id", ASCENDING)]),
        IndexModel([("actor_id", ASCENDING)]),
        RangeIndex([("at_ms", ASCENDING)]),
    ],
}


# Indexes an earlier version created that no query reads any more, by collection: dropped at
# start-up wherever they are (MongoDB keeps an index until it is dropped).
RETIRED: dict[str, list[list[tuple[str, int]]]] = {
    # Ingest's open incidents, read by status before the `open` flag (domain/incident/model.py).
    "incidents": [
        [("service_id", 1), ("status", 1), ("last_event_ms", 1)],
        [("status", 1), ("last_event_ms", 1)],
    ],
}


def read_by_embedded(model: IndexModel) -> bool:
    """Whether the embedded store reads or enforces this index."""
    if model.document.get("unique"):
        return True
    return len(model.document["key"]) == 1 and not isinstance(model, RangeIndex)


def indexes_of(collection: str, *, embedded: bool) -> list[IndexModel]:
    """The indexes a collection gets on the embedded store or on MongoDB."""
    return [m for m in INDEXES.get(collection, []) if not embedded or read_by_embedded(m)]


async def ensure_indexes(db: Database, *, embedded: bool) -> None:
    """Create the indexes and drop retired ones; on the embedded store, also drop those it
    does not read, left by a version that created every index everywhere."""
    for collection, models in INDEXES.items():
        await db[collection].create_indexes(indexes_of(collection, embedded=embedded))
        unwanted = list(RETIRED.get(collection, []))
        if embedded:
            unwanted += [_key(m.document["key"].items()) for m in models if not read_by_embedded(m)]
        await _drop(db[collection], unwanted)


async def _drop(collection: Collection, keys: list[list[tuple[str, int]]]) -> None:
    """Drop the collection's indexes with these keys, where there are any."""
    if not keys:
        return
    for name, spec in (await collection.index_information()).items():
        if _key(spec["key"]) in keys:
            await collection.drop_index(name)


def _key(parts: Iterable[tuple[str, Any]]) -> list[tuple[str, int]]:
    return [(str(field), int(direction)) for field, direction in parts]
