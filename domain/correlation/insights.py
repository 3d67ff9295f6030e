"""What the correlator did over a period, and what other settings would have done.

The report reads stored alerts and people's feedback. The backtest replays the
stored alerts in event-time order through the same correlator code the ingest path
runs (a fresh one per setting, nothing written) and scores each grouping against
the grouping as it stands now, people's merges and splits included.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from correlation.metrics import noise_reduction, score
from correlation.replay import replay_groups
from domain.alert.model import Alert
from domain.alert.repository import AlertRepository
from domain.auth import Action, Principal
from domain.correlation.estimate import PairEstimate, from_feedback
from domain.correlation.facts import facts_of
from domain.correlation.models import CorrelationModels
from domain.correlation.settings import CorrelationSettings
from domain.correlation.settings_store import SettingsStore
from domain.correlation.switch import correlator_for
from domain.errors import ValidationError
from domain.feedback.model import FeedbackKind
from domain.feedback.repository import FeedbackRepository
from domain.service.repository import ServiceRepository
from domain.team.ownership import ServiceOwners
from domain.validation import require_aware

MAX_REPORT_ALERTS = 200_000
MAX_BACKTEST_ALERTS = 20_000
MAX_SPAN = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class PersonFeedback:
    actor: str
    merges: int
    splits: int


@dataclass(frozen=True, slots=True)
class CorrelationReport:
    start: datetime
    end: datetime
    alerts: int
    incidents: int
    noise_reduction: float
    merges: int
    splits: int
    by_person: list[PersonFeedback]
    estimate: PairEstimate


@dataclass(frozen=True, slots=True)
class Outcome:
    """One grouping of the backtest's alerts, scored against the reviewed grouping."""

    settings: CorrelationSettings | None
    """None for the grouping as stored (what happened live)."""
    incidents: int
    noise_reduction: float
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class Backtest:
    start: datetime
    end: datetime
    alerts: int
    truncated: bool
    recorded: Outcome
    current: Outcome
    proposed: Outcome
    groups: dict[str, str]
    """Alert id -> its group under the proposed settings."""


def _span(start: datetime, end: datetime) -> None:
    # Naive times cannot be compared with the aware ones the store holds.
    require_aware(start, field="from")
    require_aware(end, field="to")
    if end <= start:
        raise ValidationError(
            "'to' must be after 'from'.", suggestion="Swap the two times.", field="to"
        )
    if end - start > MAX_SPAN:
        raise ValidationError(f"A period may span at most {MAX_SPAN.days} days.", field="to")


class CorrelationInsights:
    def __init__(
        self,
        *,
        alerts: AlertRepository,
        feedback: FeedbackRepository,
        models: CorrelationModels,
        services: ServiceRepository,
        settings: SettingsStore,
        owners: ServiceOwners,
    ) -> None:
        self._owners = owners
        self._alerts = alerts
        self._feedback = feedback
        self._models = models
        self._services = services
        self._settings = settings

    async def alerts(self, principal: Principal, alert_ids: list[str]) -> dict[str, Alert]:
        """Alerts by id (those an explanation links to); unreadable ones are absent."""
        principal.require(Action.READ)
        found = await self._alerts.by_ids(alert_ids)
        readable = await self._owners.readable(principal)
        if readable is None:
            return found
        return {i: alert for i, alert in found.items() if alert.service_id in readable}

    async def report(
        self, principal: Principal, start: datetime, end: datetime
    ) -> CorrelationReport:
        principal.require(Action.READ)
        _span(start, end)
        alerts = await self._alerts.attached_between(start, end, MAX_REPORT_ALERTS)
        feedback = await self._feedback.about({a.incident_id for a in alerts if a.incident_id})
        kinds: dict[str, Counter[FeedbackKind]] = {}
        for item in feedback:
            kinds.setdefault(item.actor, Counter())[item.kind] += 1
        groups = [a.incident_id for a in alerts]
        return CorrelationReport(
            start=start,
            end=end,
            alerts=len(alerts),
            incidents=len(set(groups)),
            noise_reduction=noise_reduction(groups),
            merges=sum(1 for f in feedback if f.kind is FeedbackKind.MERGE),
            splits=sum(1 for f in feedback if f.kind is FeedbackKind.SPLIT),
            by_person=[
                PersonFeedback(actor, count[FeedbackKind.MERGE], count[FeedbackKind.SPLIT])
                for actor, count in sorted(kinds.items())
            ],
            estimate=from_feedback(
                groups,
                sum(f.together_pairs for f in feedback),
                sum(f.apart_pairs for f in feedback),
            ),
        )

    async def backtest(
        self,
        principal: Principal,
        proposed: CorrelationSettings,
        start: datetime,
        end: datetime,
    ) -> Backtest:
        principal.require(Action.READ)
        _span(start, end)
        alerts = await self._alerts.attached_between(start, end, MAX_BACKTEST_ALERTS + 1)
        truncated = len(alerts) > MAX_BACKTEST_ALERTS
        alerts = alerts[:MAX_BACKTEST_ALERTS]
        truth = [a.incident_id or "" for a in alerts]
        feedback = await self._feedback.about(set(truth))
        recorded_estimate = from_feedback(
            truth, sum(f.together_pairs for f in feedback), sum(f.apart_pairs for f in feedback)
        )
        current = await self._settings.effective()
        current_groups = await self._replay(current, alerts)
        proposed_groups = await self._replay(proposed, alerts)
        return Backtest(
            start=start,
            end=end,
            alerts=len(alerts),
            truncated=truncated,
            recorded=Outcome(
                None,
                len(set(truth)),
                noise_reduction(truth),
                recorded_estimate.precision,
                recorded_estimate.recall,
                _f1(recorded_estimate.precision, recorded_estimate.recall),
            ),
            current=_outcome(current, current_groups, truth),
            proposed=_outcome(proposed, proposed_groups, truth),
            groups={a.id: g for a, g in zip(alerts, proposed_groups, strict=True)},
        )

    async def _replay(self, settings: CorrelationSettings, alerts: Sequence[Alert]) -> list[str]:
        correlator = await correlator_for(settings, self._models, self._services)
        facts = [facts_of(a) for a in alerts]
        return await asyncio.to_thread(replay_groups, correlator, facts)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _outcome(settings: CorrelationSettings, groups: list[str], truth: list[str]) -> Outcome:
    scores = score(groups, truth)
    return Outcome(
        settings,
        len(set(groups)),
        noise_reduction(groups),
        scores.pairwise_precision,
        scores.pairwise_recall,
        scores.pairwise_f1,
    )
