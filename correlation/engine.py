"""The streaming engine: for each alert, join the best open incident or open a new one.

Event time only: the engine's clock is the latest ``occurred_at`` it has seen,
so replaying a stored stream decides exactly what living through it decided.
Within a batch, alerts are taken in event-time order (ties by id).

The engine owns its working set of open incidents. The live path keeps it in
step with the store: ``restore`` at start-up from recent stored alerts and
their incidents, ``bind`` once a new incident has its stored id, and
``merge``/``split`` when people regroup alerts.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice
from operator import le

from correlation.bursts import SURGE_WINDOW, BurstDetector, SurgeMemory
from correlation.features import FEATURES, LOCALITY_LABELS, SLACK, AlertContext, FeatureBuilder
from correlation.interface import AlertFacts
from correlation.model import CorrelationModel
from correlation.templates import TemplateIndex, mask, mask_key
from correlation.topology import Topology
from correlation.working_set import IncidentState, Observation, WorkingSet

_EXPLAINED_SIGNALS = 3
_MASK_CACHE = 100_000
_LOCALITY = frozenset(LOCALITY_LABELS)
# Topology or co-occurrence this weak does not make an incident worth scoring.
_RELATED_MINIMUM = 0.3
# A surge continues a running incident when fewer than this share of its alerts are
# kinds seen lately and most are on services the incident already involves.
_SEEN_LATELY = 0.6
_SHARED_SERVICES = 0.8
# Running incidents a surge may continue: among the few most recently active, ones
# with an alert in the last minute that were already open three minutes before the
# surge (a fault's second wave comes 3 to 5 minutes in; a surge sooner than that on the
# services of a running incident is a new fault's, as the real fault sets show).
_RUNNING = 4
_ACTIVE = 60.0
_RUNNING_FOR = 180.0


@dataclass(frozen=True, slots=True)
class Signal:
    """One feature's share of a decision: its value and what it added to the log-odds."""

    name: str
    value: float
    contribution: float


@dataclass(slots=True)
class Verdict:
    """What the engine decided for one alert, and why; read-only by convention (not
    frozen: one is built per alert, and a frozen dataclass costs several times as much).

    ``incident_id`` is always set: for ``opened`` incidents it is the engine's
    provisional id until ``CorrelationEngine.bind`` gives it the stored one.
    """

    alert_id: str
    incident_id: str
    opened: bool
    score: float
    linked_alert_id: str | None
    # Feature values and weights of the winning candidate; signals are derived on demand
    # because most callers never look and building them costs more than deciding.
    values: tuple[float, ...] = ()
    weights: tuple[float, ...] = ()

    @property
    def signals(self) -> tuple[Signal, ...]:
        """The features that pushed hardest toward joining, strongest first."""
        shares = sorted(
            (
                Signal(name, round(x, 4), round(w * x, 4))
                for name, w, x in zip(FEATURES, self.weights, self.values, strict=True)
                if w * x > 0
            ),
            key=lambda s: -s.contribution,
        )
        return tuple(shares[:_EXPLAINED_SIGNALS])

    @property
    def reason(self) -> str:
        if self.opened:
            return (
                f"no open incident scored {self.score:.2f} or more"
                if self.score
                else ("no related open incident")
            )
        counted = ", ".join(f"{s.name}={s.value:.2f}" for s in self.signals)
        return f"linked to alert {self.linked_alert_id} (score {self.score:.2f}: {counted})"


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0


class CorrelationEngine:
    def __init__(
        self,
        model: CorrelationModel | None = None,
        topology: Topology | None = None,
        *,
        id_prefix: str = "new-",
    ) -> None:
        self.model = model or CorrelationModel.default()
        self.topology = topology
        horizons = self.model.horizons
        self.working_set = WorkingSet(horizons.max_idle, horizons.max_age, horizons.max_open)
        self.templates = TemplateIndex()
        self.features = FeatureBuilder(self.templates, topology, self.model.cooccurrence)
        self._weights = tuple(self.model.weight_vector())
        gain = {name: max(0.0, w) for name, w in zip(FEATURES, self._weights, strict=True)}
        cooccurrence = self.model.cooccurrence
        # Without learned co-occurrence those two signals are always 0.
        self._rich_headroom = (
            gain["template_similarity"]
            + (gain["service_cooccurrence"] if cooccurrence.pairs else 0.0)
            + (gain["template_cooccurrence"] if cooccurrence.incidents > 0 else 0.0)
        )
        self._topology_headroom = gain["topology"] + gain["topology_caller"]
        self._labels_headroom = gain["labels"]
        self._bias = self.model.bias
        self.features.weigh(self._weights, self._bias)
        threshold = min(max(self.model.threshold, 1e-6), 1 - 1e-6)
        self._cut = math.log(threshold / (1 - threshold))
        self._prefix = id_prefix
        self._opened = 0
        self._related: dict[str, tuple[str, ...]] = {}
        self.bursts = BurstDetector()
        self.surges = SurgeMemory()
        self._masked: dict[str, str] = {}
        self._localities: dict[tuple[tuple[str, str], ...], frozenset[str]] = {}
        self._recent, self._service_horizon = horizons.recent, horizons.service_horizon

    @property
    def lookback(self) -> timedelta:
        """How far back in event time an incident can still be joined."""
        return timedelta(seconds=self.model.horizons.max_idle)

    def decide(self, alerts: Sequence[AlertFacts]) -> list[Verdict]:
        """Decide for a batch, in the order given, and take the alerts into the working set."""
        contexts = self.contexts(alerts)
        keys = [(context.at, context.alert_id) for context in contexts]
        if all(map(le, keys, islice(keys, 1, None))):
            # Already in event-time order, as replayed streams and most batches are.
            return [self._decide_one(context) for context in contexts]
        verdicts: dict[str, Verdict] = {}
        for index in sorted(range(len(alerts)), key=keys.__getitem__):
            verdicts[alerts[index].id] = self._decide_one(contexts[index])
        return [verdicts[a.id] for a in alerts]

    def restore(self, assigned: Iterable[tuple[AlertFacts, str]]) -> None:
        """Rebuild the working set from stored alerts and the incidents they belong to
        (alerts it holds already are skipped: the same one may come from two sources)."""
        pairs = list(assigned)
        contexts = self.contexts([alert for alert, _ in pairs])
        order = sorted(range(len(pairs)), key=lambda i: (contexts[i].at, pairs[i][0].id))
        for index in order:
            context, incident_id = contexts[index], pairs[index][1]
            held = self.working_set.get(incident_id)
            if held is not None and context.alert_id in held.members:
                continue
            self._observe(context)
            self.working_set.advance(context.at)
            incident = self.working_set.get(incident_id)
            if incident is None:
                self.working_set.open(incident_id, context)
            else:
                self.working_set.add(incident, context)

    def bind(self, provisional_id: str, incident_id: str) -> None:
        """Give an incident the engine opened the id it was stored under."""
        incident = self.working_set.remove(provisional_id)
        if incident is not None:
            self.working_set.rebuild(incident_id, incident.members.values())

    def merge(self, into: str, others: Iterable[str]) -> None:
        """People merged incidents: their alerts now form ``into``."""
        members: list[Observation] = []
        for incident_id in (into, *others):
            incident = self.working_set.remove(incident_id)
            if incident is not None:
                members.extend(incident.members.values())
        if members:
            self.working_set.rebuild(into, members)

    def split(self, incident_id: str, alert_ids: Collection[str], new_incident_id: str) -> None:
        """People moved ``alert_ids`` out of an incident into a new one."""
        incident = self.working_set.get(incident_id)
        if incident is None:
            return
        moved = [m for m in incident.members.values() if m.alert_id in alert_ids]
        kept = [m for m in incident.members.values() if m.alert_id not in alert_ids]
        if not moved:
            return
        if kept:
            self.working_set.rebuild(incident_id, kept)
        else:
            self.working_set.remove(incident_id)
        self.working_set.rebuild(new_incident_id, moved)

    def contexts(self, alerts: Sequence[AlertFacts]) -> list[AlertContext]:
        """What the features need of each alert (templates vectorised in one go)."""
        # ``_mask`` and ``_locality`` written out where they know the answer: per alert.
        masked, intern = self._masked, self.templates.intern
        texts = []
        ids = []
        for alert in alerts:
            text = masked.get(mask_key(alert.summary))
            if text is None:
                text = self._mask(alert.summary)
            texts.append(text)
            ids.append(intern(text))
        self.templates.vectorise(ids)
        contexts = []
        context = self.features.context
        localities = self._localities
        for alert, text, template in zip(alerts, texts, ids, strict=True):
            moment = alert.occurred_at
            if moment.tzinfo is None:
                raise ValueError(f"alert {alert.id}: occurred_at must be timezone-aware")
            labels = localities.get(tuple(alert.labels.items()))
            if labels is None:
                labels = self._locality(alert.labels)
            contexts.append(
                context(alert.id, moment.timestamp(), alert.service, text, template, labels)
            )
        return contexts

    def _locality(self, labels: Mapping[str, str]) -> frozenset[str]:
        """The alert's locality labels as ``name=value`` tokens; label sets repeat (the same
        pods and hosts), so each is built once."""
        key = tuple(labels.items())
        known = self._localities.get(key)
        if known is None:
            known = frozenset([f"{k}={v}" for k, v in key if k in _LOCALITY])
            if len(self._localities) >= _MASK_CACHE:
                self._localities.clear()
            self._localities[key] = known
        return known

    def _mask(self, summary: str) -> str:
        key = mask_key(summary)
        known = self._masked.get(key)
        if known is None:
            known = mask(key)
            if len(self._masked) >= _MASK_CACHE:
                self._masked.clear()
            self._masked[key] = known
        return known

    def _related_services(self, context: AlertContext) -> tuple[str, ...]:
        known = self._related.get(context.service)
        if known is not None:
            return known
        related = {context.service}
        if self.topology is not None and context.node is not None:
            related.update(
                n
                for n in self.topology.neighbours(context.node)
                if self.topology.closeness(context.node, n) >= _RELATED_MINIMUM
            )
        cooccurrence = self.model.cooccurrence
        related.update(
            item[2:]
            for item in cooccurrence.neighbours(context.service_item, _RELATED_MINIMUM)
            if item.startswith("s:")
        )
        result = tuple(sorted(related))
        if len(self._related) < 100_000:
            self._related[context.service] = result
        return result

    def candidates(self, context: AlertContext) -> list[IncidentState]:
        """Advance event time to the alert and list the incidents it could join, oldest first."""
        self._observe(context)
        self.working_set.advance(context.at)
        return self.working_set.candidates(
            context.at,
            self._related_services(context),
            context.kind,
            self.model.horizons.recent,
            self.model.horizons.service_horizon,
        )

    def _observe(self, context: AlertContext) -> None:
        at = context.at
        self.surges.observe(at, context.kind)
        if self.bursts.observe(at) and self._continues(at):
            self.bursts.withdraw()
        self.features.last_onset = self.bursts.last_onset

    def _continues(self, at: float) -> bool:
        """Whether the surge that has just made an onset is a running incident spreading.

        A new fault repeats the kinds of alert of the faults before it (on the real fault
        sets, 80-100% of a new fault's first alerts), while a fault that spreads raises
        kinds not seen lately (new metrics, logs) on services it already involves. Such a
        surge must not supersede the incident it continues.
        """
        surges = self.surges
        surge = surges.surge(at)
        if not surge or surges.seen_lately(at, surge) >= _SEEN_LATELY:
            return False
        began = at - SURGE_WINDOW
        needed = _SHARED_SERVICES * len(surge)
        for incident in self.working_set.latest(_RUNNING):
            if at - incident.last > _ACTIVE:
                break
            if incident.first > began - _RUNNING_FOR:
                continue
            services = incident.services
            if sum(kind[0] in services for kind in surge) >= needed:
                return True
        return False

    def _decide_one(self, context: AlertContext) -> Verdict:
        # ``candidates`` and ``_observe`` written out: this runs once per alert.
        at = context.at
        self.surges.observe(at, context.kind)
        bursts = self.bursts
        if bursts.observe(at) and self._continues(at):
            bursts.withdraw()
        features = self.features
        features.last_onset = bursts.last_onset
        working_set = self.working_set
        if at > working_set.watermark:
            working_set.advance(at)
        related = self._related.get(context.service)
        if related is None:
            related = self._related_services(context)
        # The most the ``RICH`` signals can add to this alert's score with any incident.
        headroom = self._rich_headroom
        if context.node is not None and self.topology is not None:
            headroom += self._topology_headroom
        if context.labels:
            headroom += self._labels_headroom
        best, best_z, best_row, top_bound = features.choose(
            context,
            working_set.gather(at, related, context.kind, self._recent, self._service_horizon),
            at - working_set.max_idle,
            at - working_set.max_age,
            headroom,
            self._cut - SLACK,
        )
        if best is not None and best_z >= self._cut:
            linked = _linked_alert(best, context)
            working_set.add(best, context)
            return Verdict(
                context.alert_id,
                best.id,
                False,
                round(_logistic(best_z), 4),
                linked,
                tuple(best_row),
                self._weights,
            )
        incident_id = f"{self._prefix}{self._opened}"
        self._opened += 1
        working_set.open(incident_id, context)
        # No candidate reached the threshold: the best one's score, or, where none was worth
        # scoring in full, the most any could have scored (below the threshold either way).
        score = _logistic(best_z if best is not None else top_bound)
        return Verdict(context.alert_id, incident_id, True, round(score, 4), None)


def observation(context: AlertContext) -> Observation:
    return Observation(
        context.alert_id,
        context.at,
        context.service,
        context.template,
        context.labels,
        context.kind,
    )


def _linked_alert(incident: IncidentState, context: AlertContext) -> str:
    """The incident's alert this one is most plainly tied to: same kind, else same service."""
    kind = incident.kinds.get(context.kind)
    if kind is not None:
        return kind[1]
    service = incident.services.get(context.service)
    if service is not None:
        return service[1]
    return incident.last_alert
