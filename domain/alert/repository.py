"""The only code that reads and writes alerts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from pymongo import UpdateMany, UpdateOne
from pymongo.errors import BulkWriteError

from domain.alert.model import Alert, AlertFilter, closed_key
from domain.store.database import Database
from domain.store.pagination import (
    Page,
    PageRequest,
    newest_first,
    pages_per_owner,
)
from domain.store.timestamps import to_ms

_DUPLICATE_KEY = 11000


class AlertRepository:
    def __init__(self, db: Database) -> None:
        self._alerts = db["alerts"]

    async def insert_new(self, alerts: list[Alert]) -> set[str]:
        """Insert firing alerts; return the open keys already taken by another firing alert."""
        if not alerts:
            return set()
        try:
            await self._alerts.insert_many([a.to_document() for a in alerts], ordered=False)
        except BulkWriteError as exc:
            errors = exc.details.get("writeErrors", [])
            if any(error.get("code") != _DUPLICATE_KEY for error in errors):
                raise
            return {alerts[error["index"]].open_key for error in errors}
        return set()

    async def firing_by_open_keys(self, keys: Iterable[str]) -> dict[str, Alert]:
        cursor = self._alerts.find({"open_key": {"$in": list(keys)}})
        return {doc["open_key"]: Alert.from_document(doc) async for doc in cursor}

    async def record_repeats(self, repeats: dict[str, int], seen_at: datetime) -> None:
        """Count repeated sends: alert id -> times seen again in this batch."""
        by_times: dict[int, list[str]] = {}
        for alert_id, times in repeats.items():
            by_times.setdefault(times, []).append(alert_id)
        if by_times:
            # One update per distinct repeat count, not per alert: usually a single one.
            await self._alerts.bulk_write(
                [
                    UpdateMany(
                        {"_id": {"$in": alert_ids}},
                        {"$inc": {"count": times}, "$max": {"last_seen_ms": to_ms(seen_at)}},
                    )
                    for times, alert_ids in by_times.items()
                ],
                ordered=False,
            )

    async def link(self, incident_of: dict[str, list[str]]) -> None:
        """Attach alerts to incidents: incident id -> alert ids."""
        if incident_of:
            await self._alerts.bulk_write(
                [
                    UpdateMany({"_id": {"$in": alert_ids}}, {"$set": {"incident_id": incident_id}})
                    for incident_id, alert_ids in incident_of.items()
                ],
                ordered=False,
            )

    async def resolve(self, alert_ids: list[str], at: datetime) -> None:
        if alert_ids:
            await self._alerts.bulk_write(
                [
                    UpdateOne(
                        {"_id": alert_id, "status": "firing"},
                        {
                            "$set": {
                                "status": "resolved",
                                "resolved_at": at,
                                "last_seen_at": at,
                                "open_key": closed_key(alert_id),
                            }
                        },
                    )
                    for alert_id in alert_ids
                ],
                ordered=False,
            )

    async def lift_suppression(self, alert_ids: list[str]) -> None:
        if alert_ids:
            await self._alerts.update_many(
                {"_id": {"$in": alert_ids}}, {"$set": {"suppression": None}}
            )

    async def firing_unseen_since(
        self, service_id: str, before: datetime, limit: int
    ) -> list[Alert]:
        cursor = self._alerts.find(
            {"service_id": service_id, "status": "firing", "last_seen_ms": {"$lt": to_ms(before)}}
        ).limit(limit)
        return [Alert.from_document(doc) async for doc in cursor]

    async def recent_attached(self, span: timedelta, limit: int) -> list[Alert]:
        """Alerts with an incident whose event time is within `span` of the latest one."""
        latest = await self._alerts.find_one({}, sort=[("_id", -1)])
        if latest is None:
            return []
        since = latest["occurred_at"] - span
        cursor = self._alerts.find(
            {"occurred_at": {"$gte": since}, "incident_id": {"$ne": None}}
        ).limit(limit)
        return [Alert.from_document(doc) async for doc in cursor]

    async def of_incident(self, incident_id: str) -> list[Alert]:
        cursor = self._alerts.find({"incident_id": incident_id})
        return [Alert.from_document(doc) async for doc in cursor]

    async def unlinked_firing(self, received_before: datetime, limit: int) -> list[Alert]:
        """Firing alerts that never got an incident: an ingest died half-way."""
        cursor = self._alerts.find(
            {
                "incident_id": None,
                "suppression": None,
                "status": "firing",
                "received_at": {"$lt": received_before},
            }
        ).limit(limit)
        return [Alert.from_document(doc) async for doc in cursor]

    async def page(self, where: AlertFilter, page: PageRequest) -> Page[Alert]:
        """Newest received first."""
        return await newest_first(self._alerts, where.to_query(), page, Alert.from_document)

    async def pages_by_incident(
        self, incident_ids: list[str], page: PageRequest
    ) -> dict[str, Page[Alert]]:
        return await pages_per_owner(
            self._alerts,
            owner_field="incident_id",
            owner_ids=incident_ids,
            page=page,
            parse=Alert.from_document,
        )

    async def of_incidents(self, incident_ids: Iterable[str]) -> list[Alert]:
        cursor = self._alerts.find({"incident_id": {"$in": list(set(incident_ids))}})
        return [Alert.from_document(doc) async for doc in cursor]

    async def attached_between(self, start: datetime, end: datetime, limit: int) -> list[Alert]:
        """Alerts with an incident whose event time is in [start, end), oldest first."""
        cursor = (
            self._alerts.find(
                {"occurred_at": {"$gte": start, "$lt": end}, "incident_id": {"$ne": None}}
            )
            .sort("occurred_at", 1)
            .limit(limit)
        )
        return [Alert.from_document(doc) async for doc in cursor]

    async def by_ids(self, alert_ids: Iterable[str]) -> dict[str, Alert]:
        cursor = self._alerts.find({"_id": {"$in": list(set(alert_ids))}})
        return {doc["_id"]: Alert.from_document(doc) async for doc in cursor}
