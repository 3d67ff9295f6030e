"""The only code that reads and writes stored correlation models (`correlation_models`).

Each retraining stores a new version beside the old ones, so what decided an
alert (its `modelVersion`) can still be looked up.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from correlation.model import CorrelationModel, ModelError
from domain.store.database import Database
from domain.store.timestamps import from_ms, to_ms

_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class StoredModel:
    version: int
    trained_at: datetime
    trained_by: str
    summary: dict[str, Any]
    model: CorrelationModel


class CorrelationModels:
    def __init__(self, db: Database) -> None:
        self._models = db["correlation_models"]
        self._schedule = db["correlation_schedule"]

    async def save(
        self, model: CorrelationModel, *, trained_at: datetime, trained_by: str
    ) -> StoredModel:
        """Store `model` as the next version."""
        for _ in range(_ATTEMPTS):
            latest = await self._models.find_one({}, {"version": 1}, sort=[("version", -1)])
            version = int(latest["version"]) + 1 if latest else 1
            stored = replace(model, metadata={**model.metadata, "version": version})
            summary = {k: v for k, v in model.metadata.items() if k != "version"}
            try:
                await self._models.insert_one(
                    {
                        "_id": f"v{version}",
                        "version": version,
                        "trained_at_ms": to_ms(trained_at),
                        "trained_by": trained_by,
                        "summary": summary,
                        "model": stored.to_dict(),
                    }
                )
            except DuplicateKeyError:
                continue  # another process stored this version first
            return StoredModel(version, trained_at, trained_by, summary, stored)
        raise RuntimeError("could not allocate a correlation model version")

    async def latest(self) -> StoredModel | None:
        """The newest model this code can load (older schemas are skipped)."""
        async for doc in self._models.find({}).sort("version", -1).limit(5):
            try:
                model = CorrelationModel.from_dict(doc["model"])
            except ModelError:
                continue
            return StoredModel(
                int(doc["version"]),
                from_ms(int(doc["trained_at_ms"])),
                str(doc.get("trained_by") or ""),
                dict(doc.get("summary") or {}),
                model,
            )
        return None

    async def claim_retraining(self, now: datetime, every_ms: int) -> bool:
        """Whether this process should retrain now: true once per period across processes.

        The first call only starts the schedule: a new installation has nothing reviewed
        to learn from yet.
        """
        claimed = await self._schedule.find_one_and_update(
            {"_id": "retrain", "due_ms": {"$lte": to_ms(now)}},
            {"$set": {"due_ms": to_ms(now) + every_ms}},
        )
        if claimed is not None:
            return True
        with contextlib.suppress(DuplicateKeyError):
            await self._schedule.insert_one({"_id": "retrain", "due_ms": to_ms(now) + every_ms})
        return False
