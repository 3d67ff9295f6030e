"""The only code that reads and writes alerts."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime, timedelta

from pymongo import UpdateMany, UpdateOne

from domain.alert.firing_keys import FiringKeys
from domain.alert.model import Alert, AlertFilter, closed_key, open_key
from domain.store.conditions import one_of
from domain.store.database import Database
from domain.store.duplicates import insert_unless_taken
from domain.store.multi_write import Write, update_many
from domain.store.pagination import (
    Page,
    PageRequest,
    newest_first,
    pages_per_owner,
)
from domain.store.scope import within_services
from domain.store.timestamps import to_ms


class AlertRepository:
    def __init__(self, db: Database, firing_keys: FiringKeys | None = None) -> None:
        """`firing_keys`: given only to the process that alone writes alerts (see
        domain/alert/firing_keys.py); without it, open keys are looked up in the store."""
        self._alerts = db["alerts"]
        self._firing_keys = firing_keys

    async def insert_new(self, alerts: list[Alert]) -> set[str]:
        """Insert firing alerts, one per open key; return the open keys already taken by
        another firing alert (those alerts are not stored)."""
        if self._firing_keys is not None:
            for alert in alerts:
                await self._firing_keys.record(alert.open_key, alert.id)
        duplicates = await insert_unless_taken(self._alerts, [a.to_document() for a in alerts])
        taken = {alerts[index].open_key for index in duplicates}
        if taken and self._firing_keys is not None:
            # Another writer stored these keys' alerts (a process this one did not know of):
            # learn which, so the lookup that follows finds them.
            for index in duplicates:
                self._firing_keys.forget(alerts[index].open_key, alerts[index].id)
            for key, alert in (await self._firing_in_store(taken)).items():
                await self._firing_keys.record(key, alert.id)
        return taken

    async def keys_not_firing(self, keys: Iterable[str]) -> set[str] | None:
        """Of `keys`, those under which this process knows no firing alert: the alerts
        likely to be new. None when it keeps no map of firing keys (several replicas) and
        cannot tell without asking the store."""
        if self._firing_keys is None:
            return None
        wanted = set(keys)
        return wanted - set(await self._firing_keys.ids_of(wanted))

    async def firing_by_open_keys(self, keys: Iterable[str]) -> dict[str, Alert]:
        """The firing alert of each key that has one."""
        wanted = set(keys)
        if self._firing_keys is None:
            return await self._firing_in_store(wanted)
        known = await self._firing_keys.ids_of(wanted)
        stored = await self.by_ids(known.values()) if known else {}
        found: dict[str, Alert] = {}
        for key, alert_id in known.items():
            alert = stored.get(alert_id)
            if alert is not None and alert.open_key == key:
                found[key] = alert
            elif alert is not None:  # resolved by a writer that keeps no map
                self._firing_keys.forget(key, alert_id)
        return found

    async def _firing_in_store(self, keys: set[str]) -> dict[str, Alert]:
        """Asked by `open_key`: only firing alerts carry one (resolved ones a closed key)."""
        if not keys:
            return {}
        cursor = self._alerts.find({"open_key": one_of(sorted(keys))})
        return {doc["open_key"]: Alert.from_document(doc) async for doc in cursor}

    async def drop_open_key_claims(self) -> bool:
        """For a database written while firing keys were claimed in `open_keys` (before the
        unique index on `open_key`): drop those claims. Returns whether there were any."""
        database = self._alerts.database
        if "open_keys" not in await database.list_collection_names():
            return False
        await database.drop_collection("open_keys")
        return True

    async def mend_resolution_times(self) -> int:
        """Give alerts resolved before 2026-11-27 the resolution time they were stored
        without: resolving wrote it as `resolved_at`, a field nothing reads. Returns how
        many were mended. It reads every resolved alert: start-up runs it once per database
        (domain/store/migrations.py)."""
        cursor = self._alerts.find(
            {"status": "resolved", "resolved_ms": None, "resolved_at": {"$ne": None}},
            {"resolved_at": 1},
        )
        mends = [
            UpdateOne(
                {"_id": doc["_id"]},
                {
                    "$set": {
                        "resolved_ms": to_ms(doc["resolved_at"]),
                        "last_seen_ms": to_ms(doc["resolved_at"]),
                    }
                },
            )
            async for doc in cursor
        ]
        if mends:
            await self._alerts.bulk_write(mends, ordered=False)
        return len(mends)

    def repeat_writes(self, repeats: dict[str, int], seen_at: datetime) -> list[Write]:
        """Writes counting repeated sends: alert id -> times seen again in this batch."""
        by_times: dict[int, list[str]] = {}
        for alert_id, times in repeats.items():
            by_times.setdefault(times, []).append(alert_id)
        # One update per distinct repeat count, not per alert: usually a single one.
        return [
            update_many(
                self._alerts,
                {"_id": {"$in": alert_ids}},
                {"$inc": {"count": times}, "$max": {"last_seen_ms": to_ms(seen_at)}},
            )
            for times, alert_ids in by_times.items()
        ]

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

    async def resolve(self, alerts: list[Alert], at: datetime) -> None:
        """Resolve firing alerts, which frees their open keys."""
        if alerts:
            await self._alerts.bulk_write(
                [
                    UpdateOne(
                        {"_id": alert.id, "status": "firing"},
                        {
                            "$set": {
                                "status": "resolved",
                                "resolved_ms": to_ms(at),
                                "last_seen_ms": to_ms(at),
                                "open_key": closed_key(alert.id),
                            }
                        },
                    )
                    for alert in alerts
                ],
                ordered=False,
            )
            if self._firing_keys is not None:
                for alert in alerts:
                    self._firing_keys.forget(open_key(alert.service_id, alert.dedup_key), alert.id)

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

    async def page(
        self, where: AlertFilter, page: PageRequest, services: Collection[str] | None = None
    ) -> Page[Alert]:
        """Newest received first, of `services` only when given (the caller's readable ones)."""
        query = within_services(where.to_query(), services)
        return await newest_first(self._alerts, query, page, Alert.from_document)

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

    async def received_between(
        self, start: datetime, end: datetime, services: Collection[str] | None = None
    ) -> list[Alert]:
        """Alerts first received in [start, end), for reports: without their description,
        details, links and correlation, which reports never read and which weigh most.
        Of `services` only when given."""
        # The embedded store compares dates to the whole second: ask a second wider,
        # then cut exactly here.
        second = timedelta(seconds=1)
        received = {"received_at": {"$gte": start - second, "$lt": end + second}}
        cursor = self._alerts.find(
            within_services(received, services),
            {"description": 0, "details_json": 0, "links": 0, "correlation": 0},
        )
        found = [Alert.from_document(doc) async for doc in cursor]
        return [alert for alert in found if start <= alert.received_at < end]

    async def texts_of_incidents(
        self, incident_ids: Iterable[str], limit: int
    ) -> dict[str, list[tuple[str, dict[str, str]]]]:
        """Incident id -> its alerts' (summary, labels): only what similarity reads, since
        whole alerts of thousands of incidents weigh far more."""
        cursor = self._alerts.find(
            {"incident_id": {"$in": list(set(incident_ids))}},
            {"incident_id": 1, "summary": 1, "labels": 1},
        ).limit(limit)
        found: dict[str, list[tuple[str, dict[str, str]]]] = {}
        async for doc in cursor:
            found.setdefault(doc["incident_id"], []).append(
                (doc["summary"], dict(doc.get("labels") or {}))
            )
        return found

    async def by_ids(self, alert_ids: Iterable[str]) -> dict[str, Alert]:
        cursor = self._alerts.find({"_id": {"$in": list(set(alert_ids))}})
        return {doc["_id"]: Alert.from_document(doc) async for doc in cursor}
