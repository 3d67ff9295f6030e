"""Retraining the correlation model from reviewed incidents, on demand and on a schedule.

Reviewed history is the alerts of resolved incidents and of every incident people
merged or split, each labelled with the incident it belongs to now: alerts people
merged become pairs that belong together, alerts they split apart pairs that do not.
Training runs in a worker thread (it is CPU work); the live learned correlator then
switches to the new model (`CorrelationSwitch.rebuild`).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from correlation import AlertFacts
from correlation.training import train
from domain.alert.repository import AlertRepository
from domain.auth import Action, Principal
from domain.clock import Clock
from domain.correlation.facts import facts_of
from domain.correlation.models import CorrelationModels, StoredModel
from domain.correlation.switch import CorrelationSwitch, topology_of
from domain.feedback.repository import FeedbackRepository
from domain.incident.repository import IncidentRepository
from domain.service.repository import ServiceRepository

MAX_REVIEWED_INCIDENTS = 5000
MAX_FEEDBACK = 5000
SCHEDULER = "system:correlation-retrain"


class ModelLearning:
    def __init__(
        self,
        *,
        models: CorrelationModels,
        alerts: AlertRepository,
        incidents: IncidentRepository,
        feedback: FeedbackRepository,
        services: ServiceRepository,
        switch: CorrelationSwitch,
        clock: Clock,
        retrain_every: timedelta,
    ) -> None:
        self._models = models
        self._alerts = alerts
        self._incidents = incidents
        self._feedback = feedback
        self._services = services
        self._switch = switch
        self._clock = clock
        self._every = retrain_every
        self._training = asyncio.Lock()

    async def current(self, principal: Principal) -> StoredModel | None:
        principal.require(Action.READ)
        return await self._models.latest()

    async def retrain(self, principal: Principal) -> StoredModel:
        principal.require(Action.CONFIGURE)
        return await self._retrain(principal.actor)

    async def retrain_if_due(self) -> int:
        """The scheduled job: retrain when the period has passed (once across processes)."""
        if not await self._models.claim_retraining(
            self._clock.now(), int(self._every.total_seconds() * 1000)
        ):
            return 0
        await self._retrain(SCHEDULER)
        return 1

    async def _retrain(self, actor: str) -> StoredModel:
        async with self._training:
            history = await self._reviewed_history()
            topology = await topology_of(self._services)
            now = self._clock.now()
            model = await asyncio.to_thread(train, history, topology, trained_at=now.isoformat())
            stored = await self._models.save(model, trained_at=now, trained_by=actor)
            await self._switch.rebuild()
            return stored

    async def _reviewed_history(self) -> list[tuple[AlertFacts, str]]:
        reviewed = set(await self._incidents.resolved_ids(MAX_REVIEWED_INCIDENTS))
        for feedback in await self._feedback.latest(MAX_FEEDBACK):
            reviewed.update(feedback.incident_ids)
        alerts = await self._alerts.of_incidents(reviewed) if reviewed else []
        return [(facts_of(a), a.incident_id) for a in alerts if a.incident_id]
