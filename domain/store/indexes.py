"""Every index Vigil needs, created idempotently at start-up.

Index names are left to the server: the embedded store reports them
differently from MongoDB, so nothing may depend on them. No compound index
names ``_id``: the embedded store then rejects every insert ("JSON path error
near '_id'"); ``_id`` has its own index anyway.
"""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING, IndexModel

from domain.store.database import Database

INDEXES: dict[str, list[IndexModel]] = {
    "services": [IndexModel([("name", ASCENDING)], unique=True)],
    "integration_keys": [IndexModel([("secret_hash", ASCENDING)], unique=True)],
    "users": [IndexModel([("name", ASCENDING)], unique=True)],
    "api_tokens": [
        IndexModel([("secret_hash", ASCENDING)], unique=True),
        IndexModel([("user_id", ASCENDING)]),
    ],
    "alerts": [
        # Unique while firing: the same key is "open_key" of at most one alert.
        IndexModel([("open_key", ASCENDING)], unique=True),
        IndexModel([("incident_id", ASCENDING)]),
        IndexModel([("service_id", ASCENDING), ("status", ASCENDING), ("last_seen_ms", ASCENDING)]),
    ],
    "incidents": [
        IndexModel([("created_at", DESCENDING)]),
        IndexModel(
            [("service_id", ASCENDING), ("status", ASCENDING), ("last_event_ms", ASCENDING)]
        ),
        IndexModel([("status", ASCENDING), ("last_event_ms", ASCENDING)]),
    ],
    "heartbeats": [
        IndexModel([("secret_hash", ASCENDING)], unique=True),
        IndexModel([("status", ASCENDING), ("due_ms", ASCENDING)]),
    ],
    "silences": [IndexModel([("ends_at", ASCENDING)])],
    "timeline": [IndexModel([("incident_id", ASCENDING)])],
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
        IndexModel([("incident_id", ASCENDING)]),
    ],
    "escalation_policies": [IndexModel([("name", ASCENDING)], unique=True)],
    "escalation_runs": [
        # One run per (incident, generation): starting twice keeps one.
        IndexModel([("run_key", ASCENDING)], unique=True),
        IndexModel([("incident_id", ASCENDING)]),
        IndexModel([("state", ASCENDING), ("due_ms", ASCENDING)]),
    ],
    "escalation_fired_steps": [IndexModel([("run_id", ASCENDING)])],
}


async def ensure_indexes(db: Database) -> None:
    for collection, models in INDEXES.items():
        await db[collection].create_indexes(models)
