"""The only code that reads and writes escalation policies, runs and fired steps."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from pymongo.errors import DuplicateKeyError

from domain.errors import ConflictError
from domain.escalation.model import EscalationPolicy, Position
from domain.escalation.run import EscalationRun, FiredStep, RunState
from domain.store.database import Database, Document
from domain.store.documents import DocumentRepository
from domain.store.due import take_due
from domain.store.duplicates import insert_unless_taken


class PolicyRepository(DocumentRepository[EscalationPolicy]):
    def __init__(self, db: Database) -> None:
        super().__init__(db, "escalation_policies", EscalationPolicy.from_document, noun="policy")

    async def insert(self, item: EscalationPolicy) -> None:
        try:
            await super().insert(item)
        except DuplicateKeyError as exc:
            raise ConflictError(f"An escalation policy named '{item.name}' exists.") from exc

    async def replace(self, item: EscalationPolicy) -> None:
        try:
            await super().replace(item)
        except DuplicateKeyError as exc:
            raise ConflictError(f"An escalation policy named '{item.name}' exists.") from exc

    async def by_ids(self, ids: Iterable[str]) -> dict[str, EscalationPolicy]:
        return {p.id: p for p in await self.where({"_id": {"$in": list(set(ids))}})}


class RunRepository:
    def __init__(self, db: Database) -> None:
        self._runs = db["escalation_runs"]
        self._fired = db["escalation_fired_steps"]

    async def insert_new(self, runs: list[EscalationRun]) -> list[EscalationRun]:
        """Insert runs whose (incident, generation) is not taken; return those inserted."""
        if not runs:
            return []
        taken = await insert_unless_taken(self._runs, [r.to_document() for r in runs])
        return [run for index, run in enumerate(runs) if index not in taken]

    async def latest(self, incident_ids: Iterable[str]) -> dict[str, EscalationRun]:
        """Each incident's newest run (highest generation)."""
        latest: dict[str, EscalationRun] = {}
        async for doc in self._runs.find({"incident_id": {"$in": list(set(incident_ids))}}):
            run = EscalationRun.from_document(doc)
            if run.incident_id not in latest or run.generation > latest[run.incident_id].generation:
                latest[run.incident_id] = run
        return latest

    async def incidents_with_runs(self, incident_ids: Iterable[str]) -> set[str]:
        cursor = self._runs.find({"incident_id": {"$in": list(incident_ids)}}, {"incident_id": 1})
        return {doc["incident_id"] async for doc in cursor}

    async def claim_due(self, owner: str, now_ms: int, lease_ms: int) -> EscalationRun | None:
        """Lease one active run that is due and unleased (or whose lease ran out)."""
        doc = await take_due(
            self._runs,
            {
                "state": RunState.ACTIVE.value,
                "due_ms": {"$lte": now_ms},
                "lease_until_ms": {"$lt": now_ms},
            },
            {"$set": {"lease_owner": owner, "lease_until_ms": now_ms + lease_ms}},
            order_by="due_ms",
        )
        return EscalationRun.from_document(doc) if doc else None

    async def advance(
        self, run: EscalationRun, owner: str, to: Position | None, due_ms: int
    ) -> bool:
        """Move a leased run past the step it fired and release it; False if it changed meanwhile
        (stopped, escalated by hand, or leased by another worker after ours expired)."""
        changes: Document = {"lease_owner": None, "lease_until_ms": 0}
        if to is None:
            changes |= {"state": RunState.EXHAUSTED.value, "stopped_reason": "policy exhausted"}
        else:
            changes |= {"cycle": to.cycle, "step": to.step, "due_ms": due_ms}
        result = await self._runs.update_one(
            {
                "_id": run.id,
                "state": RunState.ACTIVE.value,
                "lease_owner": owner,
                "cycle": run.position.cycle,
                "step": run.position.step,
            },
            {"$set": changes},
        )
        return result.modified_count == 1

    async def stop(self, run_id: str, reason: str) -> bool:
        result = await self._runs.update_one(
            {"_id": run_id, "state": RunState.ACTIVE.value},
            {"$set": {"state": RunState.STOPPED.value, "stopped_reason": reason}},
        )
        return result.modified_count == 1

    async def stop_incidents(self, incident_ids: list[str], reason: str) -> int:
        if not incident_ids:
            return 0
        result = await self._runs.update_many(
            {"incident_id": {"$in": incident_ids}, "state": RunState.ACTIVE.value},
            {"$set": {"state": RunState.STOPPED.value, "stopped_reason": reason}},
        )
        return result.modified_count

    async def hurry(self, run: EscalationRun, now_ms: int) -> bool:
        """Make an active run's pending step due now, unless a worker is firing it."""
        result = await self._runs.update_one(
            {
                "_id": run.id,
                "state": RunState.ACTIVE.value,
                "cycle": run.position.cycle,
                "step": run.position.step,
                "lease_until_ms": {"$lt": now_ms},
            },
            {"$set": {"due_ms": now_ms}},
        )
        return result.matched_count == 1

    async def jump(self, run: EscalationRun, to: Position, due_ms: int) -> bool:
        """Move an active run to ``to`` from where it stands now (manual escalation while
        a worker fires the current step: its conditional advance then finds the run moved)."""
        result = await self._runs.update_one(
            {
                "_id": run.id,
                "state": RunState.ACTIVE.value,
                "cycle": run.position.cycle,
                "step": run.position.step,
            },
            # The worker firing the current step keeps going; the next step needs no wait
            # for its lease, and is a step of its own (its own fired-step record).
            {
                "$set": {
                    "cycle": to.cycle,
                    "step": to.step,
                    "due_ms": due_ms,
                    "lease_owner": None,
                    "lease_until_ms": 0,
                }
            },
        )
        return result.matched_count == 1

    async def record_fired(self, fired: FiredStep) -> FiredStep:
        """Write what a step decided, or return what an earlier attempt decided."""
        with contextlib.suppress(DuplicateKeyError):
            await self._fired.insert_one(fired.to_document())
            return fired
        doc = await self._fired.find_one({"_id": fired.key})
        assert doc is not None, "a fired step is never deleted"
        return FiredStep.from_document(doc)

    async def fired_steps(self, run_id: str) -> list[FiredStep]:
        cursor = self._fired.find({"run_id": run_id}).sort([("cycle", 1), ("step", 1)])
        return [FiredStep.from_document(doc) async for doc in cursor]
