"""Ingesting alerts: normalise, deduplicate, correlate, persist, announce.

The order of writes makes a crash at any point recoverable without losing or
doubling an alert: alerts are stored first (unique while firing, so a retry
finds them instead of storing them twice), then attached to incidents. An
alert stored but never attached is picked up again by a retry of its batch or
by :meth:`AlertIngestor.attach_unlinked` at start-up.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from correlation import AlertFacts, Correlator, Decision, OpenIncident
from domain.alert.model import (
    MAX_FUTURE_SKEW,
    Alert,
    AlertDraft,
    AlertStatus,
    Severity,
    fingerprint,
    open_key,
)
from domain.alert.repository import AlertRepository
from domain.auth import Action, Principal
from domain.clock import Clock
from domain.errors import BatchTooLargeError, ValidationError
from domain.events import EventPublisher, IncidentEvent, IncidentEventKind
from domain.ids import new_id
from domain.incident.model import Incident, IncidentStatus, TimelineEntry, TimelineKind
from domain.incident.repository import IncidentRepository
from domain.incident.service import IncidentDesk
from domain.ingest.model import MAX_BATCH, IngestOutcome, IngestOutcomeKind
from domain.noise.controls import NoiseControls, reshape
from domain.service.model import Service
from domain.service.service import ServiceCatalog
from domain.store.database import Document
from domain.store.timestamps import to_ms

# An unattached alert younger than this may still be in the hands of the ingest that stored it.
UNLINKED_GRACE = timedelta(seconds=30)


class AlertIngestor:
    def __init__(
        self,
        *,
        alerts: AlertRepository,
        incidents: IncidentRepository,
        desk: IncidentDesk,
        services: ServiceCatalog,
        correlator: Correlator,
        noise: NoiseControls,
        publisher: EventPublisher,
        clock: Clock,
    ) -> None:
        self._noise = noise
        self._alerts = alerts
        self._incidents = incidents
        self._desk = desk
        self._services = services
        self._correlator = correlator
        self._publisher = publisher
        self._clock = clock
        # Reading open incidents and opening new ones must not interleave within a process,
        # or two batches of one service could each open an incident.
        self._correlation_lock = asyncio.Lock()

    async def ingest(
        self, principal: Principal, drafts: Sequence[AlertDraft]
    ) -> list[IngestOutcome]:
        principal.require(Action.INGEST)
        if len(drafts) > MAX_BATCH:
            raise BatchTooLargeError(
                f"A call may carry at most {MAX_BATCH} alerts; this one has {len(drafts)}."
            )
        if not drafts:
            return []
        now = self._clock.now()
        for index, draft in enumerate(drafts):
            if draft.occurred_at is not None and draft.occurred_at > now + MAX_FUTURE_SKEW:
                raise ValidationError(
                    f"'occurredAt' is {draft.occurred_at.isoformat()}, more than "
                    f"{MAX_FUTURE_SKEW} ahead of the server's clock.",
                    suggestion="Check the monitor's clock and time zone.",
                    field="occurredAt",
                ).located(f"alerts[{index}]")
        noise = await self._noise.config()
        bound = (
            await self._services.routing_target(principal.service_id)
            if principal.service_id is not None
            else None
        )
        rules = [noise.first_rule(d, bound.name if bound else d.service) for d in drafts]
        drafts = [reshape(draft, rule) for draft, rule in zip(drafts, rules, strict=True)]
        services = await self._route(
            bound,
            [
                (rule.actions.route_to if rule else None) or (None if bound else d.service)
                for d, rule in zip(drafts, rules, strict=True)
            ],
        )
        alerts = [
            _normalise(draft, service, now) for draft, service in zip(drafts, services, strict=True)
        ]
        for alert, rule in zip(alerts, rules, strict=True):
            alert.suppression = noise.suppression(alert, rule, now)

        firing = [i for i, a in enumerate(alerts) if a.status is AlertStatus.FIRING]
        resolving = [i for i, a in enumerate(alerts) if a.status is AlertStatus.RESOLVED]
        outcome_alerts, kinds = await self._store_firing(alerts, firing, now)
        lifted = await self._lift_suppressions(alerts, outcome_alerts, kinds)
        unattached = {
            a.id: a
            for a, kind in zip(outcome_alerts, kinds, strict=True)
            if a is not None
            and a.incident_id is None
            and a.suppression is None
            and (
                kind is IngestOutcomeKind.CREATED
                or a.id in lifted
                or a.received_at < now - UNLINKED_GRACE
            )
        }
        attached = await self._attach(list(unattached.values()), principal.actor, now)
        resolved_incidents = await self._resolve(alerts, resolving, outcome_alerts, kinds, now)

        touched = {a.incident_id for a in outcome_alerts if a is not None and a.incident_id}
        incidents = await self._incidents.by_ids(touched) if touched else {}
        await self._publish(attached, incidents, now)
        await self._auto_resolve(resolved_incidents, incidents, principal.actor)
        return [
            IngestOutcome(kind, alert, incidents.get(alert.incident_id or "") if alert else None)
            for alert, kind in zip(outcome_alerts, kinds, strict=True)
        ]

    async def acknowledge(self, principal: Principal, dedup_keys: list[str]) -> list[str]:
        """Acknowledge the incidents of the firing alerts with these keys (PagerDuty's
        `acknowledge` event); return the incident ids acknowledged.

        Only for integration keys bound to a service: a dedup key means nothing without one.
        """
        principal.require(Action.INGEST)
        if principal.service_id is None:
            raise ValidationError(
                "Acknowledging by dedup key needs an integration key bound to a service.",
                suggestion="Create the integration key with a serviceId.",
            )
        found = await self._alerts.firing_by_open_keys(
            {open_key(principal.service_id, key) for key in dedup_keys}
        )
        incident_ids = sorted({a.incident_id for a in found.values() if a.incident_id})
        incidents = await self._incidents.by_ids(incident_ids)
        acknowledged = []
        for incident_id in incident_ids:
            if incidents[incident_id].status is IncidentStatus.TRIGGERED:
                await self._desk.change_status(
                    incident_id, IncidentStatus.ACKNOWLEDGED, principal.actor
                )
                acknowledged.append(incident_id)
        return acknowledged

    async def attach_unlinked(self, *, actor: str = "system:recovery", limit: int = 1000) -> int:
        """Attach alerts left unattached by an ingest that died half-way; return how many."""
        now = self._clock.now()
        orphans = await self._alerts.unlinked_firing(now - UNLINKED_GRACE, limit)
        attached = await self._attach(orphans, actor, now)
        if attached.new or attached.grown:
            ids = {*attached.new, *attached.grown}
            await self._publish(attached, await self._incidents.by_ids(ids), now)
        return len(orphans)

    async def _route(self, bound: Service | None, named: list[str | None]) -> list[Service]:
        """Each alert's service: a rule's route, else the key's service, else its own field.

        `named` holds the rule's route or the alert's own `service` field, per alert. All
        checks come before unknown names are registered, so a bad batch writes nothing.
        """
        if bound is None:
            for index, name in enumerate(named):
                if name is None:
                    raise ValidationError(
                        "'service' is required: this caller is not bound to a service.",
                        suggestion="Name the service in each alert, or send with an integration "
                        "key created for one service.",
                        field="service",
                    ).located(f"alerts[{index}]")
        own = {name for name in named if name is not None and (bound is None or name != bound.name)}
        by_name = await self._services.resolve_names(own)
        return [by_name[name] if name in own else _known(bound) for name in named]

    async def _lift_suppressions(
        self, alerts: list[Alert], outcome: list[Alert | None], kinds: list[IngestOutcomeKind]
    ) -> set[str]:
        """A suppressed alert that fires again once nothing suppresses it any more (the
        silence expired, the window closed) is lifted, so it now opens or joins an incident."""
        lifted: dict[str, Alert] = {}
        for sent, stored, kind in zip(alerts, outcome, kinds, strict=True):
            if (
                kind is IngestOutcomeKind.DEDUPLICATED
                and stored is not None
                and stored.suppression is not None
                and sent.suppression is None
            ):
                stored.suppression = None
                lifted[stored.id] = stored
        await self._alerts.lift_suppression(list(lifted))
        return set(lifted)

    async def _store_firing(
        self, alerts: list[Alert], firing: list[int], now: datetime
    ) -> tuple[list[Alert | None], list[IngestOutcomeKind]]:
        """Insert new firing alerts and count repeats; one outcome slot per input alert."""
        outcome: list[Alert | None] = [None] * len(alerts)
        kinds = [IngestOutcomeKind.IGNORED] * len(alerts)
        first_of_key: dict[str, int] = {}
        for index in firing:
            first_of_key.setdefault(alerts[index].open_key, index)
        fresh = [alerts[i] for i in first_of_key.values()]
        taken = await self._alerts.insert_new(fresh)
        existing = await self._alerts.firing_by_open_keys(taken) if taken else {}
        canonical: dict[str, Alert] = {}
        for key, index in first_of_key.items():
            if key in existing:
                canonical[key] = existing[key]
            elif key not in taken:
                canonical[key] = alerts[index]
        repeats: dict[str, tuple[int, datetime]] = {}
        for index in firing:
            key = alerts[index].open_key
            target = canonical.get(key)
            if target is None:
                # Taken at insert, resolved before we could read it: the next send opens it anew.
                continue
            is_new = target is alerts[index]
            outcome[index] = target
            kinds[index] = IngestOutcomeKind.CREATED if is_new else IngestOutcomeKind.DEDUPLICATED
            if not is_new:
                target.count += 1
                target.last_seen_at = now
                repeats[target.id] = (repeats.get(target.id, (0, now))[0] + 1, now)
        await self._alerts.record_repeats(repeats)
        return outcome, kinds

    async def _attach(self, alerts: list[Alert], actor: str, now: datetime) -> _Attachment:
        """Correlate alerts, open or grow incidents, and attach the alerts to them."""
        attachment = _Attachment()
        if not alerts:
            return attachment
        async with self._correlation_lock:
            name_of = {a.service_id: a.service for a in alerts}
            earliest = min(a.occurred_at for a in alerts)
            open_incidents = await self._incidents.open_for_services(
                name_of, earliest - self._correlator.lookback
            )
            decisions = self._correlator.assign(
                [_facts(a) for a in alerts],
                [
                    OpenIncident(i.id, name_of[i.service_id], i.first_event_at, i.last_event_at)
                    for i in open_incidents
                ],
            )
            by_id = {a.id: a for a in alerts}
            groups = _group(decisions)
            new_incidents = await self._open(groups.new, by_id, now)
            known = {i.id: i for i in open_incidents}
            await self._incidents.insert_many(new_incidents)
            await self._incidents.apply_updates(
                {
                    incident_id: _growth(known[incident_id], [by_id[d.alert_id] for d in members])
                    for incident_id, members in groups.existing.items()
                }
            )
        members_of: dict[str, list[str]] = {
            incident_id: [d.alert_id for d in members]
            for incident_id, members in groups.existing.items()
        }
        for incident, members in zip(new_incidents, groups.new.values(), strict=True):
            members_of[incident.id] = [d.alert_id for d in members]
        await self._alerts.link(members_of)
        for incident_id, alert_ids in members_of.items():
            for alert_id in alert_ids:
                by_id[alert_id].incident_id = incident_id
        attachment.new = {i.id for i in new_incidents}
        attachment.grown = set(groups.existing)
        await self._incidents.add_timeline(
            _timeline(new_incidents, groups, by_id, members_of, actor, now)
        )
        return attachment

    async def _open(
        self, new_groups: dict[int, list[Decision]], by_id: dict[str, Alert], now: datetime
    ) -> list[Incident]:
        if not new_groups:
            return []
        first_number = await self._incidents.allocate_numbers(len(new_groups))
        incidents = []
        for offset, members in enumerate(new_groups.values()):
            group = sorted((by_id[d.alert_id] for d in members), key=lambda a: a.occurred_at)
            opener = group[0]
            incidents.append(
                Incident(
                    id=new_id(),
                    number=first_number + offset,
                    title=opener.summary,
                    status=IncidentStatus.TRIGGERED,
                    severity=max((a.severity for a in group), key=lambda s: s.rank),
                    service_id=opener.service_id,
                    created_at=now,
                    first_event_at=opener.occurred_at,
                    last_event_at=group[-1].occurred_at,
                    alert_count=len(group),
                    open_alert_count=len(group),
                )
            )
        return incidents

    async def _resolve(
        self,
        alerts: list[Alert],
        resolving: list[int],
        outcome: list[Alert | None],
        kinds: list[IngestOutcomeKind],
        now: datetime,
    ) -> set[str]:
        """Resolve alerts named by resolve events; return the incidents that lost open alerts."""
        if not resolving:
            return set()
        found = await self._alerts.firing_by_open_keys(
            {open_key(alerts[i].service_id, alerts[i].dedup_key) for i in resolving}
        )
        resolved: dict[str, Alert] = {}
        for index in resolving:
            target = found.get(open_key(alerts[index].service_id, alerts[index].dedup_key))
            if target is None:
                continue
            resolved[target.id] = target
            outcome[index], kinds[index] = target, IngestOutcomeKind.RESOLVED
        return await self._close(list(resolved.values()), now)

    async def _close(self, targets: list[Alert], now: datetime) -> set[str]:
        """Resolve firing alerts; return the incidents that lost open alerts."""
        for target in targets:
            target.status, target.resolved_at, target.last_seen_at = AlertStatus.RESOLVED, now, now
        await self._alerts.resolve([t.id for t in targets], now)
        closed: dict[str, int] = defaultdict(int)
        for target in targets:
            if target.incident_id:
                closed[target.incident_id] += 1
        await self._incidents.apply_updates(
            {incident_id: {"$inc": {"open_alert_count": -n}} for incident_id, n in closed.items()}
        )
        return set(closed)

    async def resolve_stale(self, *, actor: str = "system:alert-timeout", limit: int = 1000) -> int:
        """Resolve firing alerts of services with an alert timeout that were not seen again
        within it (a monitor that never sends "resolved"); return how many."""
        now = self._clock.now()
        stale: list[Alert] = []
        for service in await self._services.with_alert_timeout():
            assert service.alert_timeout_s is not None
            stale += await self._alerts.firing_unseen_since(
                service.id, now - timedelta(seconds=service.alert_timeout_s), limit
            )
        if stale:
            candidates = await self._close(stale, now)
            incidents = await self._incidents.by_ids(candidates)
            await self._auto_resolve(candidates, incidents, actor)
        return len(stale)

    async def _auto_resolve(
        self, candidates: set[str], incidents: dict[str, Incident], actor: str
    ) -> None:
        """An incident whose alerts have all resolved resolves too, as with PagerDuty,
        unless its service turned that off."""
        done = [
            i
            for i in candidates
            if (incident := incidents.get(i))
            and incident.status.is_open
            and incident.open_alert_count <= 0
        ]
        if not done:
            return
        services = await self._services.settings_of({incidents[i].service_id for i in done})
        for incident_id in done:
            service = services.get(incidents[incident_id].service_id)
            if service is None or service.auto_resolve:
                incidents[incident_id] = await self._desk.change_status(
                    incident_id, IncidentStatus.RESOLVED, actor
                )

    async def _publish(
        self, attachment: _Attachment, incidents: dict[str, Incident], now: datetime
    ) -> None:
        events = [
            IncidentEvent(
                kind=IncidentEventKind.CREATED
                if incident_id in attachment.new
                else IncidentEventKind.ALERT_ADDED,
                incident_id=incident_id,
                service_id=incidents[incident_id].service_id,
                committed_at=now,
                incident=incidents[incident_id].to_document(),
            )
            for incident_id in sorted(attachment.new | attachment.grown)
            if incident_id in incidents
        ]
        if events:
            await self._publisher.publish(events)


@dataclass
class _Attachment:
    new: set[str] = field(default_factory=set)
    grown: set[str] = field(default_factory=set)


@dataclass
class _Groups:
    new: dict[int, list[Decision]] = field(default_factory=dict)
    existing: dict[str, list[Decision]] = field(default_factory=dict)


def _group(decisions: list[Decision]) -> _Groups:
    groups = _Groups()
    for decision in decisions:
        if decision.incident_id is not None:
            groups.existing.setdefault(decision.incident_id, []).append(decision)
        else:
            assert decision.new_incident is not None
            groups.new.setdefault(decision.new_incident, []).append(decision)
    return groups


def _known(service: Service | None) -> Service:
    assert service is not None, "routing checked that every alert has a service"
    return service


def _normalise(draft: AlertDraft, service: Service, now: datetime) -> Alert:
    labels = dict(draft.labels)
    return Alert(
        id=new_id(),
        service_id=service.id,
        service=service.name,
        source=draft.source,
        summary=draft.summary,
        description=draft.description,
        severity=draft.severity,
        labels=labels,
        dedup_key=draft.dedup_key or fingerprint(draft.source, service.name, labels, draft.summary),
        occurred_at=draft.occurred_at or now,
        received_at=now,
        status=draft.status,
        count=1,
        first_seen_at=now,
        last_seen_at=now,
        resolved_at=None,
        incident_id=None,
        links=list(draft.links),
        details=dict(draft.details),
    )


def _facts(alert: Alert) -> AlertFacts:
    return AlertFacts(
        id=alert.id,
        service=alert.service,
        occurred_at=alert.occurred_at,
        severity=alert.severity.value,
        source=alert.source,
        summary=alert.summary,
        labels=alert.labels,
    )


def _growth(incident: Incident, joined: list[Alert]) -> Document:
    update: Document = {
        "$inc": {"alert_count": len(joined), "open_alert_count": len(joined)},
        "$max": {"last_event_ms": to_ms(max(a.occurred_at for a in joined))},
        "$min": {"first_event_ms": to_ms(min(a.occurred_at for a in joined))},
    }
    worst: Severity = max((a.severity for a in joined), key=lambda s: s.rank)
    if worst.rank > incident.severity.rank:
        update["$set"] = {"severity": worst.value}
    return update


def _timeline(
    new_incidents: list[Incident],
    groups: _Groups,
    by_id: dict[str, Alert],
    members_of: dict[str, list[str]],
    actor: str,
    now: datetime,
) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(
            id=new_id(),
            incident_id=incident.id,
            at=now,
            kind=TimelineKind.OPENED,
            actor=actor,
            message=f"Opened by alert: {incident.title}",
            details={"alert_ids": members_of[incident.id], "reason": members[0].reason},
        )
        for incident, members in zip(new_incidents, groups.new.values(), strict=True)
    ]
    for incident_id, members in groups.existing.items():
        count = len(members)
        first = by_id[members[0].alert_id]
        entries.append(
            TimelineEntry(
                id=new_id(),
                incident_id=incident_id,
                at=now,
                kind=TimelineKind.ALERTS_ADDED,
                actor=actor,
                message=f"{count} alert{'s' if count > 1 else ''} added: {first.summary}",
                details={"alert_ids": members_of[incident_id], "reason": members[0].reason},
            )
        )
    return entries
