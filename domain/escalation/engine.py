"""The durable escalation engine: starts runs, fires due steps under a lease, stops runs.

Several processes may run :meth:`EscalationEngine.fire_due` against one store: a
run is fired only by the worker that leased it, what a step decided is written
once (:class:`FiredStep`), and every later write is conditional, so a step is
paged once even when two workers meet on it after a lease ran out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Sequence
from datetime import timedelta

from pymongo.errors import BulkWriteError

from domain.clock import Clock
from domain.errors import ConflictError
from domain.escalation.model import Plan, Position
from domain.escalation.paging import Pager, PageRequest
from domain.escalation.repository import PolicyRepository, RunRepository
from domain.escalation.run import EscalationRun, FiredStep, RunState
from domain.escalation.service_policies import ServicePolicies
from domain.escalation.targets import TargetResolver
from domain.events import EventPublisher, IncidentEvent, IncidentEventKind
from domain.ids import new_id
from domain.incident.model import (
    Incident,
    IncidentFilter,
    IncidentStatus,
    TimelineEntry,
    TimelineKind,
)
from domain.incident.repository import IncidentRepository
from domain.service.repository import ServiceRepository
from domain.store.pagination import MAX_PAGE_SIZE
from domain.store.pagination import PageRequest as StorePage
from domain.store.timestamps import to_ms
from domain.user.repository import UserRepository

log = logging.getLogger(__name__)

ACTOR = "system:escalation"
DEFAULT_LEASE = timedelta(seconds=15)
"""Longer than a step takes to fire; a dead worker's run waits at most this long."""
RECOVERY_WINDOW = timedelta(hours=1)
"""The sweep starts runs only for incidents this recent: a crash between an incident's
write and its announcement is recent, while older incidents on a service that got a
policy later were never meant to page."""


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{new_id()[-6:]}"


class EscalationEngine:
    def __init__(
        self,
        *,
        runs: RunRepository,
        policies: PolicyRepository,
        incidents: IncidentRepository,
        services: ServiceRepository,
        users: UserRepository,
        targets: TargetResolver,
        pager: Pager,
        publisher: EventPublisher,
        clock: Clock,
        lease: timedelta = DEFAULT_LEASE,
        concurrency: int = 4,
    ) -> None:
        self._runs = runs
        self._policies = policies
        self._incidents = incidents
        self._services = services
        self._service_policies = ServicePolicies(services)
        self._users = users
        self._targets = targets
        self._pager = pager
        self._publisher = publisher
        self._clock = clock
        self._lease_ms = int(lease.total_seconds() * 1000)
        self._concurrency = concurrency
        self.owner = worker_id()
        # Names of services and users never change once they exist: each is read once.
        self._service_names: dict[str, str] = {}
        self._user_names: dict[str, str] = {}

    async def start(self, incidents: Sequence[Incident]) -> list[EscalationRun]:
        """Start the first run of each triggered incident whose service has a policy.

        Idempotent: an incident that has its first run already keeps it.
        """
        triggered = [i for i in incidents if i.status is IncidentStatus.TRIGGERED]
        if not triggered:
            return []
        policy_of = await self._service_policies.of({i.service_id for i in triggered})
        if not policy_of:
            return []
        policies = await self._policies.by_ids(set(policy_of.values()))
        now = self._clock.now()
        runs = [
            EscalationRun(
                id=new_id(),
                incident_id=incident.id,
                generation=1,
                policy_id=policy.id,
                plan=policy.plan,
                state=RunState.ACTIVE,
                position=Position(1, 1),
                due_at=now,
                started_at=now,
            )
            for incident in triggered
            if (policy := policies.get(policy_of.get(incident.service_id, ""))) is not None
        ]
        return await self._runs.insert_new(runs)

    async def stop(self, incident_ids: list[str], reason: str) -> int:
        return await self._runs.stop_incidents(incident_ids, reason)

    async def recover_unstarted(self) -> int:
        """Start runs that a crash between an incident's write and its announcement lost,
        or that a process's remembered service policies (`service_policies.py`) missed."""
        services = await self._services.all()
        for service in services:
            self._service_policies.remember(service.id, service.escalation_policy_id)
        with_policy = tuple(s.id for s in services if s.escalation_policy_id is not None)
        if not with_policy:
            return 0
        where = IncidentFilter(
            statuses=(IncidentStatus.TRIGGERED,),
            service_ids=with_policy,
            since=self._clock.now() - RECOVERY_WINDOW,
        )
        started, after = 0, None
        while True:
            page = await self._incidents.page(where, StorePage(first=MAX_PAGE_SIZE, after=after))
            have = await self._runs.incidents_with_runs(i.id for i in page.items)
            started += len(await self.start([i for i in page.items if i.id not in have]))
            if not page.has_next_page:
                return started
            after = page.end_cursor

    async def fire_due(self) -> int:
        """Fire every step that is due; how many fired.

        One claim when nothing is due (the common case, every tick); a few concurrent
        claimers once something is.
        """
        first = await self._claim()
        if first is None:
            return 0
        fired = await asyncio.gather(
            self._drain(first), *(self._drain(None) for _ in range(self._concurrency - 1))
        )
        return sum(fired)

    async def _drain(self, run: EscalationRun | None) -> int:
        count = 0
        if run is None:
            run = await self._claim()
        while run is not None:
            try:
                if await self._fire(run):
                    count += 1
            except Exception:
                # The lease runs out and another round (here or elsewhere) tries again.
                log.exception("escalation run %s failed to fire; retried after its lease", run.id)
            run = await self._claim()
        return count

    async def _claim(self) -> EscalationRun | None:
        return await self._runs.claim_due(self.owner, to_ms(self._clock.now()), self._lease_ms)

    async def _fire(self, run: EscalationRun) -> bool:
        """Fire the run's pending step; False when the run stopped instead."""
        incident = (await self._incidents.by_ids([run.incident_id])).get(run.incident_id)
        if incident is None or incident.status is not IncidentStatus.TRIGGERED:
            status = incident.status.value if incident else "deleted"
            await self._runs.stop(run.id, f"incident {status}")
            return False
        now = self._clock.now()
        step = run.plan.step(run.position)
        decided = await self._runs.record_fired(
            FiredStep(
                run_id=run.id,
                position=run.position,
                user_ids=await self._targets.users(step, now),
                timeline_id=new_id(),
                fired_at=now,
                fired_by=self.owner,
            )
        )
        if decided.user_ids:
            await self._pager.page(await self._requests(incident, run, decided))
        await self._announce(incident, run, decided)
        after = run.plan.after(run.position)
        due = run.plan.next_due(
            run.position, run.due_at, decided.fired_at, paged_anyone=bool(decided.user_ids)
        )
        await self._runs.advance(run, self.owner, after, to_ms(due))
        return True

    async def _requests(
        self, incident: Incident, run: EscalationRun, decided: FiredStep
    ) -> list[PageRequest]:
        service_name = await self._service_name(incident.service_id)
        return [
            PageRequest(
                key=decided.page_key(user_id),
                incident_id=incident.id,
                incident_number=incident.number,
                incident_title=incident.title,
                severity=incident.severity.value,
                service_id=incident.service_id,
                service_name=service_name,
                alert_count=incident.alert_count,
                user_id=user_id,
                step=run.position.step,
                cycle=run.position.cycle,
                requested_at=decided.fired_at,
            )
            for user_id in decided.user_ids
        ]

    async def _announce(self, incident: Incident, run: EscalationRun, decided: FiredStep) -> None:
        where = f"Step {run.position.step} (cycle {run.position.cycle})"
        if decided.user_ids:
            names = await self.user_names(decided.user_ids)
            kind, message = TimelineKind.PAGED, f"{where}: paged {', '.join(names)}."
        else:
            kind, message = TimelineKind.ESCALATED, f"{where} skipped: nobody is on call."
        entry = TimelineEntry(
            id=decided.timeline_id,
            incident_id=incident.id,
            at=decided.fired_at,
            kind=kind,
            actor=ACTOR,
            message=message,
            details={
                "run_id": run.id,
                "generation": run.generation,
                "cycle": run.position.cycle,
                "step": run.position.step,
                "user_ids": list(decided.user_ids),
            },
        )
        # The entry's id was chosen with the decision: a retried step finds it written.
        with contextlib.suppress(BulkWriteError):
            await self._incidents.add_timeline([entry])
        await self.publish(
            IncidentEventKind.PAGED if decided.user_ids else IncidentEventKind.ESCALATED,
            incident,
        )

    async def user_names(self, user_ids: Sequence[str]) -> list[str]:
        for user_id in user_ids:
            if user_id not in self._user_names:
                user = await self._users.by_id(user_id)
                if user is None:
                    return list(user_ids)
                self._user_names[user_id] = user.name
        return [self._user_names[u] for u in user_ids]

    async def _service_name(self, service_id: str) -> str:
        if service_id not in self._service_names:
            found = (await self._services.by_ids([service_id])).get(service_id)
            if found is None:
                return service_id
            self._service_names[service_id] = found.name
        return self._service_names[service_id]

    async def publish(self, kind: IncidentEventKind, incident: Incident) -> None:
        await self._publisher.publish(
            [
                IncidentEvent(
                    kind=kind,
                    incident_id=incident.id,
                    service_id=incident.service_id,
                    committed_at=self._clock.now(),
                    incident=incident.to_document(),
                )
            ]
        )

    async def restart(self, incident: Incident, policy_id: str | None, plan: Plan) -> EscalationRun:
        """Replace the incident's current run by a new generation on ``plan``, due now."""
        latest = (await self._runs.latest([incident.id])).get(incident.id)
        if latest is not None:
            await self._runs.stop(latest.id, "reassigned")
        now = self._clock.now()
        run = EscalationRun(
            id=new_id(),
            incident_id=incident.id,
            generation=(latest.generation if latest else 0) + 1,
            policy_id=policy_id,
            plan=plan,
            state=RunState.ACTIVE,
            position=Position(1, 1),
            due_at=now,
            started_at=now,
        )
        if not await self._runs.insert_new([run]):
            raise ConflictError(
                f"Incident '{incident.id}' was reassigned by someone else at the same moment.",
                suggestion="Fetch the incident again and check its escalation.",
            )
        return run
