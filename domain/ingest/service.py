"""Ingesting alerts: normalise, deduplicate, correlate, persist, announce.

The order of writes makes a crash at any point recoverable without losing or
doubling an alert: alerts are stored first (unique while firing, so a retry
finds them instead of storing them twice), then attached to incidents. An
alert stored but never attached is picked up again by a retry of its batch or
by :meth:`AlertIngestor.attach_unlinked` at start-up.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from functools import partial

from correlation import Correlator, OpenIncident
from domain.alert.explanation import CorrelationExplanation
from domain.alert.model import (
    MAX_FUTURE_SKEW,
    Alert,
    AlertDraft,
    AlertStatus,
    fingerprint,
    open_key,
)
from domain.alert.repository import AlertRepository
from domain.auth import Action, Principal
from domain.clock import Clock
from domain.correlation.facts import facts_of
from domain.errors import BatchTooLargeError, ValidationError
from domain.events import EventPublisher, IncidentEvent, IncidentEventKind
from domain.ids import new_id
from domain.incident.model import Incident, IncidentStatus
from domain.incident.numbers import IncidentNumbers
from domain.incident.regrouping import recounted
from domain.incident.repository import IncidentRepository, open_among
from domain.incident.service import IncidentDesk
from domain.ingest.claim import DecisionClaim, ProcessClaim
from domain.ingest.decisions import DecisionLog
from domain.ingest.in_flight import InFlightKeys
from domain.ingest.journal import IngestJournal
from domain.ingest.model import MAX_BATCH, IngestOutcome, IngestOutcomeKind
from domain.ingest.pending import PendingIncidents
from domain.ingest.plan import (
    AttachmentPlan,
    count_new_incidents,
    opened_incident,
    plan_attachment,
)
from domain.noise.controls import NoiseControls, reshape
from domain.service.model import Service
from domain.service.service import ServiceCatalog
from domain.store.multi_write import Write, send, send_unordered
from domain.tasks import settle

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
        journal: IngestJournal,
        publisher: EventPublisher,
        clock: Clock,
        decisions: DecisionLog,
        claim: DecisionClaim | None = None,
    ) -> None:
        self._claim = claim or ProcessClaim()
        self._decisions = decisions
        self._noise = noise
        self._journal = journal
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
        self._numbers = IncidentNumbers(incidents)
        self._in_flight = InFlightKeys()
        self._pending = PendingIncidents()

    async def ingest(
        self, principal: Principal, drafts: Sequence[AlertDraft], *, with_incidents: bool = True
    ) -> list[IngestOutcome]:
        """Store, deduplicate and correlate a batch; one outcome per draft.

        Without `with_incidents`, an outcome names its incident only when the batch has it
        at hand (it opened or grew it, or resolved alerts of it): the incidents of repeats
        are not read. Every stored alert still names its incident by id.
        """
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
        outcome_alerts, kinds, plan, last_writes = await self._store_firing(
            alerts, firing, principal.actor, now
        )
        resolved_incidents = await self._resolve(alerts, resolving, outcome_alerts, kinds, now)

        incidents = plan.incidents_after()
        unknown = (
            {
                a.incident_id
                for a in outcome_alerts
                if a is not None and a.incident_id and a.incident_id not in incidents
            }
            if with_incidents
            else set()
        )
        # The batch's last writes and its read of the incidents it names but did not
        # write touch nothing of each other's: one round trip for all of them.
        named: dict[str, Incident]
        _, named = await settle(
            send_unordered(last_writes), self._incidents.by_ids(unknown | resolved_incidents)
        )
        incidents.update(named)
        await self._publish(plan, incidents)
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
        """Attach alerts left without an incident (their suppression was lifted by an
        ingest that died half-way); return how many."""
        now = self._clock.now()
        orphans = await self._alerts.unlinked_firing(now - UNLINKED_GRACE, limit)
        plan, _ = await self._attach(partial(_sorted, [], orphans), [], actor, now)
        await self._incidents.add_timeline(plan.timeline(actor))
        if not plan.empty:
            await self._publish(plan, plan.incidents_after())
        return len(orphans)

    async def recover_interrupted(self) -> int:
        """Finish the incident writes of batches that died half-way: open the incidents
        their alerts name and recount each from its alerts. Returns the batches mended."""
        entries = await self._journal.older_than(self._clock.now() - UNLINKED_GRACE)
        for entry in entries:
            for incident_id in entry.touched:
                members = await self._alerts.of_incident(incident_id)
                if not members:
                    if incident_id in entry.opened:
                        await self._incidents.delete(incident_id)
                    continue
                base: Incident | None
                if incident_id in entry.opened:
                    base = opened_incident(
                        incident_id, entry.opened[incident_id], members, entry.at
                    )
                    await self._incidents.insert_missing(base)
                else:
                    base = (await self._incidents.by_ids([incident_id])).get(incident_id)
                if base is not None:
                    await self._incidents.recount(recounted(base, members))
            await self._journal.end(entry.id)
        await self._journal.flush()
        return len(entries)

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

    async def _store_firing(
        self, alerts: list[Alert], firing: list[int], actor: str, now: datetime
    ) -> tuple[list[Alert | None], list[IngestOutcomeKind], AttachmentPlan, list[Write]]:
        """Store new firing alerts in their incidents; one outcome slot per input alert.
        Returns, for the caller to send, the writes that count repeats and record the
        timeline: nothing after them depends on them."""
        outcome: list[Alert | None] = [None] * len(alerts)
        kinds = [IngestOutcomeKind.IGNORED] * len(alerts)
        first_of_key: dict[str, int] = {}
        sent_times: Counter[str] = Counter()
        for index in firing:
            first_of_key.setdefault(alerts[index].open_key, index)
            sent_times[alerts[index].open_key] += 1
        # A key sent more than once in this batch: should its alert be new, it is stored
        # with every send counted, rather than stored and then rewritten to count them.
        for key, index in first_of_key.items():
            alerts[index].count = sent_times[key]
        owned, borrowed = self._in_flight.claim(first_of_key)
        existing: dict[str, Alert] = {}
        try:

            async def sort_out() -> tuple[list[Alert], list[Alert]]:
                existing.update(await self._alerts.firing_by_open_keys(owned))
                fresh = [alerts[first_of_key[key]] for key in owned if key not in existing]
                return fresh, await self._to_relink(existing, alerts, first_of_key, now)

            not_firing = await self._alerts.keys_not_firing(owned) or set()
            plan, taken = await self._attach(
                sort_out, [alerts[first_of_key[key]] for key in not_firing], actor, now
            )
            if taken:
                existing.update(await self._alerts.firing_by_open_keys(taken))
            self._in_flight.announce(
                {
                    key: existing.get(key) or alerts[first_of_key[key]]
                    for key in owned
                    if key in existing or key not in taken
                }
            )
        finally:
            self._in_flight.release(owned)
        if borrowed:
            existing.update(await self._borrow(borrowed))
        repeats: dict[str, int] = {}
        for index in firing:
            key = alerts[index].open_key
            stored_here = key in owned and key not in taken and key not in existing
            target = existing.get(key) or (alerts[first_of_key[key]] if stored_here else None)
            if target is None:
                # Taken at insert, resolved before we could read it: the next send opens it anew.
                continue
            is_new = target is alerts[index]
            outcome[index] = target
            kinds[index] = IngestOutcomeKind.CREATED if is_new else IngestOutcomeKind.DEDUPLICATED
            if not stored_here:
                target.count += 1
                target.last_seen_at = now
                repeats[target.id] = repeats.get(target.id, 0) + 1
        last_writes = self._incidents.timeline_writes(
            plan.timeline(actor)
        ) + self._alerts.repeat_writes(repeats, now)
        return outcome, kinds, plan, last_writes

    async def _borrow(self, borrowed: dict[str, asyncio.Future[Alert | None]]) -> dict[str, Alert]:
        """The alerts other batches of this process stored for keys this batch also sent."""
        found: dict[str, Alert] = {}
        for key, future in borrowed.items():
            alert = await future
            if alert is not None:
                found[key] = alert
        missing = set(borrowed) - set(found)
        if missing:  # the owner failed: whatever is stored now is the answer
            found.update(await self._alerts.firing_by_open_keys(missing))
        return found

    async def _to_relink(
        self,
        existing: dict[str, Alert],
        alerts: list[Alert],
        first_of_key: dict[str, int],
        now: datetime,
    ) -> list[Alert]:
        """Stored alerts a repeat should (re)attach: suppressed ones that fire again once
        nothing suppresses them (the silence expired, the window closed), and any left
        without an incident by an ingest that died half-way."""
        lifted: list[Alert] = []
        relink: list[Alert] = []
        for key, stored in existing.items():
            sent = alerts[first_of_key[key]]
            if stored.suppression is not None and sent.suppression is None:
                stored.suppression = None
                lifted.append(stored)
                relink.append(stored)
            elif (
                stored.incident_id is None
                and stored.suppression is None
                and stored.received_at < now - UNLINKED_GRACE
            ):
                relink.append(stored)
        await self._alerts.lift_suppression([a.id for a in lifted])
        return relink

    async def _attach(
        self,
        sorting: Callable[[], Awaitable[tuple[list[Alert], list[Alert]]]],
        expected: list[Alert],
        actor: str,
        now: datetime,
    ) -> tuple[AttachmentPlan, set[str]]:
        """Attach alerts to incidents. `sorting` finds which are `fresh` (stored here) and
        which to `relink` (stored without an incident, linked here); `expected` are the
        alerts likely to turn out fresh, whose open incidents are read at the same time.
        When some attachable alert was not expected, its open incidents are read after.

        The open incidents are read before the lock, the incidents are decided under it
        and written after it; what other batches decided meanwhile comes from
        `PendingIncidents`. The alerts follow.
        The journal entry spans both writes, so a crash in between is mended from the
        alerts that were in fact stored. Returns the
        plan as written and the open keys of fresh alerts a concurrent sender stored first;
        the caller writes the plan's timeline (new incidents carry their opening entry).
        """
        # With several replicas the claim spans the reads and the incident writes (see
        # domain/ingest/claim.py); a single process claims nothing here.
        async with self._claim.held() as claim:
            # With several replicas a correlator that remembers learns what the others
            # decided before it decides (see domain/ingest/decisions.py).
            latest_entry = claim.latest_entry if self._correlator.remembers else None
            with self._pending.reading() as read:
                likely = [a for a in expected if a.suppression is None]
                # Which alerts are new and the open incidents they may join, in one round
                # trip: the read covers every alert that may be new, and is narrowed after.
                (fresh, relink), for_likely = await settle(
                    sorting(), self._open_incidents(likely, now)
                )
                attachable = [a for a in fresh if a.suppression is None] + relink
                services = self._candidate_services(attachable)
                covered = {a.id for a in likely}
                if not attachable:
                    stored = []
                elif all(a.id in covered for a in attachable):
                    stored = open_among(for_likely, self._since(attachable, now), services)
                else:  # alerts to relink, or new where this process knew of a firing one
                    stored = await self._open_incidents(attachable, now)
                if latest_entry is not None:
                    self._correlator.restore(await self._decisions.catch_up(latest_entry))
                async with self._correlation_lock:
                    candidates = self._pending.merged_with(read, stored, services)
                    plan = await self._plan(attachable, candidates, now)
                    hold = self._pending.hold(plan)
            with self._pending.writing(hold):
                growth = plan.growth()
                # Incidents other batches opened are grown once their inserts are done (an
                # update before would match nothing); the rest is written at once, so a batch
                # growing this one's new incidents never waits for the batches before it.
                awaiting = {i: growth.pop(i) for i in hold.depends_on if i in growth}
                writes = self._incidents.writes(hold.opened, growth, plan.openings(actor))
                entry = None
                if not plan.empty:
                    # The journal's note goes first: it covers the incident writes after it.
                    entry, note = self._journal.note(
                        hold.opened + hold.dependency_documents, set(plan.members), now
                    )
                    writes.insert(0, note)
                    if latest_entry is not None:
                        claim.recorded = latest_entry + 1
                        writes += self._decisions.record(claim.recorded, plan.members)
                await send(writes)
                self._pending.inserted(hold)
                if awaiting:
                    for incident_id in awaiting:
                        await hold.depends_on[incident_id]
                    await send(self._incidents.writes([], awaiting, {}))
        taken = await self._alerts.insert_new(fresh)
        if taken:
            await self._withdraw(plan, {a.id for a in fresh if a.open_key in taken})
        relinked = {a.id for a in relink}
        await self._alerts.link(
            {
                incident_id: [a.id for a in members if a.id in relinked]
                for incident_id, members in plan.members.items()
                if any(a.id in relinked for a in members)
            }
        )
        if entry is not None:
            await self._journal.end(entry)
        return plan, taken

    async def _withdraw(self, plan: AttachmentPlan, alert_ids: set[str]) -> None:
        """Undo the counting of alerts a concurrent sender stored first (a rare race).

        An incident this batch opened may meanwhile have been joined by that other
        sender, so it goes only if no alert is left counted in it.
        """
        before = {i: len(members) for i, members in plan.members.items()}
        plan.drop(alert_ids)
        for incident_id, count in before.items():
            withdrawn = count - len(plan.members.get(incident_id, ()))
            if withdrawn:
                await self._incidents.withdraw(incident_id, withdrawn)

    async def _open_incidents(self, alerts: list[Alert], now: datetime) -> list[Incident]:
        """The open incidents ``alerts`` may join, in creation order."""
        if not alerts:
            return []
        return await self._incidents.open_since(
            self._since(alerts, now), self._candidate_services(alerts)
        )

    def _since(self, alerts: list[Alert], now: datetime) -> datetime:
        """How far back (event time) an open incident can still be joined by ``alerts``."""
        return min((a.occurred_at for a in alerts), default=now) - self._correlator.lookback

    def _candidate_services(self, alerts: list[Alert]) -> set[str] | None:
        """The services whose open incidents ``alerts`` may join; None: all."""
        return None if self._correlator.across_services else {a.service_id for a in alerts}

    async def _plan(
        self, alerts: list[Alert], open_incidents: list[Incident], now: datetime
    ) -> AttachmentPlan:
        """Correlate alerts against the open incidents they may join."""
        if not alerts:
            return AttachmentPlan(now=now)
        name_of = {a.service_id: a.service for a in alerts}
        decisions = self._correlator.assign(
            [facts_of(a) for a in alerts],
            [
                OpenIncident(
                    i.id, name_of.get(i.service_id, i.service_id), i.first_event_at, i.last_event_at
                )
                for i in open_incidents
            ],
        )
        for alert, decision in zip(alerts, decisions, strict=True):
            alert.correlation = CorrelationExplanation.of(decision)
        numbers = await self._numbers.take(count_new_incidents(decisions))
        plan = plan_attachment(alerts, decisions, open_incidents, numbers, now)
        for group, incident_id in plan.groups.items():
            self._correlator.bind(group, incident_id)
        return plan

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
        await self._alerts.resolve(targets, now)
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

    async def _publish(self, plan: AttachmentPlan, incidents: dict[str, Incident]) -> None:
        opened = plan.new_ids
        events = [
            IncidentEvent(
                kind=IncidentEventKind.CREATED
                if incident_id in opened
                else IncidentEventKind.ALERT_ADDED,
                incident_id=incident_id,
                service_id=incidents[incident_id].service_id,
                committed_at=self._clock.now(),
                incident=incidents[incident_id].to_document(),
            )
            for incident_id in sorted(opened | plan.grown_ids)
            if incident_id in incidents
        ]
        if events:
            await self._publisher.publish(events)


async def _sorted(fresh: list[Alert], relink: list[Alert]) -> tuple[list[Alert], list[Alert]]:
    return fresh, relink


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
