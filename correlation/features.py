"""The signals that say whether an alert belongs to an open incident, as numbers.

One row per (alert, candidate incident). Every value lies in [0, 1] (``solo``
in [-0.5, 0.5]) so that one set of weights means the same on every system.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter, mul

from correlation.cooccurrence import Cooccurrence, key_item, service_item, template_item
from correlation.templates import TemplateIndex
from correlation.topology import Topology
from correlation.working_set import IncidentState, Observation

FEATURES: tuple[str, ...] = (
    "gap_30s",
    "gap_5m",
    "age",
    "same_service",
    "topology",
    "service_cooccurrence",
    "same_kind_5m",
    "same_kind_1h",
    "single_kind",
    "template_similarity",
    "template_cooccurrence",
    "labels",
    "size",
    "newest",
    "solo",
    "burst",
    "superseded",
    "topology_caller",
    "flapping",
)
(
    _GAP_30S,
    _GAP_5M,
    _AGE,
    _SAME_SERVICE,
    _SAME_KIND_5M,
    _SAME_KIND_1H,
    _SINGLE_KIND,
    _SIZE,
    _NEWEST,
    _SOLO,
    _BURST,
    _SUPERSEDED,
    _FLAPPING,
) = [
    FEATURES.index(name)
    for name in (
        "gap_30s",
        "gap_5m",
        "age",
        "same_service",
        "same_kind_5m",
        "same_kind_1h",
        "single_kind",
        "size",
        "newest",
        "solo",
        "burst",
        "superseded",
        "flapping",
    )
]
_TOPOLOGY, _CALLER, _SERVICE_COOC, _SIMILARITY, _TEMPLATE_COOC, _LABELS = [
    FEATURES.index(name)
    for name in (
        "topology",
        "topology_caller",
        "service_cooccurrence",
        "template_similarity",
        "template_cooccurrence",
        "labels",
    )
]
# Signals that cost a lookup per incident service or template; each lies in [0, 1], so
# ``base`` plus the positive weights of these bounds a candidate's score.
RICH: tuple[int, ...] = (_TOPOLOGY, _CALLER, _SERVICE_COOC, _SIMILARITY, _TEMPLATE_COOC, _LABELS)

# Labels that say where an alert happened; shared values tie alerts to one place.
LOCALITY_LABELS: tuple[str, ...] = (
    "host",
    "hostname",
    "instance",
    "node",
    "nodename",
    "pod",
    "pod_name",
    "kubernetes_pod_name",
    "container",
    "entity",
    "caller",
    "callee",
    "device",
)

_AGE_SCALE = math.log1p(240.0)  # ages in minutes; four hours reads as 1
_SIZE_SCALE = math.log1p(1000.0)
_SERVICE_FADE = 300.0
_MEMO_LIMIT = 200_000
_RECENT_TEMPLATES = 8
_BURST_FADE = 450.0
_SIZE_CACHE = 4096
# How fast a service's alerts lose their say as it calls more of the system: a service
# calling half of it keeps 3/4, a frontend calling nearly all of it about 1/6.
_HUB_POWER = 2.0
# Seconds between a flapping alert's firings, at least on average.
_FLAP_SPACING = 120.0
# Bounds are compared with this much room for rounding, so pruning never changes a choice.
SLACK = 1e-9
_BOUND = itemgetter(0)
_SIZES = tuple(min(1.0, math.log1p(n) / _SIZE_SCALE) for n in range(_SIZE_CACHE))


def _earlier(incident: IncidentState, other: IncidentState | None) -> bool:
    """Whether ``incident`` began before ``other`` (ties by id), or there is no other."""
    return other is None or (incident.first, incident.id) < (other.first, other.id)


def _sparse(incident: IncidentState) -> bool:
    """Whether an incident's alerts came minutes apart (or it has one): how a flapping
    alert fires, where a fault fires in dense runs and a later run is a new fault."""
    size = incident.size
    return size < 2 or incident.last - incident.first >= _FLAP_SPACING * (size - 1)


@dataclass(slots=True)
class AlertContext(Observation):
    """An alert as the features need it, computed once per alert; read-only by convention
    (not frozen: a frozen dataclass costs several times as much to build, per alert).
    It is also what the working set remembers of the alert, so none is built for that."""

    node: str | None
    template_item: str
    service_item: str
    solo: float
    # How much the alert's own service says about its incident: low on services that
    # call most of the system and so show every fault's symptoms (``Topology.spread``).
    specific: float


class FeatureBuilder:
    def __init__(
        self, templates: TemplateIndex, topology: Topology | None, cooccurrence: Cooccurrence
    ) -> None:
        self._templates = templates
        self._topology = topology
        self._cooccurrence = cooccurrence
        # Training sets this to the items of the alert's own incident (leave one out).
        self.exclude: frozenset[str] | None = None
        self._pair_memo: dict[tuple[str, str], tuple[float, float, float]] = {}
        # What a context needs of an alert's kind (service, template), which repeats.
        self._kind_memo: dict[
            tuple[str, int], tuple[str | None, tuple[str, int], str, str, float, float]
        ]
        self._kind_memo = {}
        # Event time of the latest burst onset (see ``bursts.py``), kept by the engine.
        self.last_onset = -math.inf
        # The burst fade of the alert being scored, the same for every candidate.
        self._fade_at = self._fade_onset = math.nan
        self._fade = 0.0
        self.weigh((0.0,) * len(FEATURES), 0.0)

    def context(
        self,
        alert_id: str,
        at: float,
        service: str,
        summary_template: str,
        template: int,
        labels: frozenset[str],
    ) -> AlertContext:
        key = (service, template)
        known = self._kind_memo.get(key) if self.exclude is None else None
        if known is None:
            node = self._topology.node_of(service) if self._topology is not None else None
            solo = self._cooccurrence.solo_rate(key_item(service, summary_template), self.exclude)
            specific = 1.0
            if node is not None and self._topology is not None:
                specific = 1.0 - self._topology.spread(node) ** _HUB_POWER
            known = (
                node,
                key,
                template_item(summary_template),
                service_item(service),
                solo - 0.5,
                specific,
            )
            if self.exclude is None:
                if len(self._kind_memo) > _MEMO_LIMIT:
                    self._kind_memo.clear()
                self._kind_memo[key] = known
        node, kind, template_name, service_name, solo, specific = known
        return AlertContext(alert_id, at, service, template, labels, kind, node, template_name,
                            service_name, solo, specific)  # fmt: skip

    def row(self, alert: AlertContext, incident: IncidentState, newest: bool) -> list[float]:
        values = self.base(alert, incident, newest)
        self.enrich(alert, incident, values)
        return values

    def base(self, alert: AlertContext, incident: IncidentState, newest: bool) -> list[float]:
        """The row with the costlier signals (``RICH``) left at 0: enough to bound the score."""
        at = alert.at
        last, first = incident.last, incident.first
        if at >= last:
            gap = at - last
        elif at < first:
            gap = first - at
        else:
            gap = 0.0
        age = at - first if at > first else 0.0
        kinds = incident.kinds
        kind = kinds.get(alert.kind)
        if kind is not None:
            kind_gap = abs(at - kind[0])
            same_kind_5m = math.exp(-kind_gap / 300.0)
            same_kind_1h = math.exp(-kind_gap / 3600.0)
            single_kind = 1.0 if len(kinds) == 1 else 0.0
        else:
            same_kind_5m = same_kind_1h = single_kind = 0.0
        flapping = 0.0
        if single_kind and _sparse(incident):
            # One kind of alert again and again, minutes apart, is a flapping alert: one
            # incident however long it goes on, so its age does not count against it.
            flapping = 1.0
            age = 0.0
        own = incident.services.get(alert.service)
        same_service = (
            alert.specific * math.exp(-abs(at - own[0]) / _SERVICE_FADE) if own is not None else 0.0
        )
        # Burst signals: whether the incident is the latest burst's, or began before it
        # (fading with time). An alert soon after an onset most likely belongs to the
        # fault that just began: incidents opened since then gain, ones from before lose.
        if at != self._fade_at or self.last_onset != self._fade_onset:
            self._burst_fade(at)
        burst = superseded = 0.0
        if first >= self.last_onset:
            burst = self._fade
        else:
            superseded = self._fade
        size = incident.size
        return [
            math.exp(-gap / 30.0),
            math.exp(-gap / 300.0),
            min(1.0, math.log1p(age / 60.0) / _AGE_SCALE),
            same_service,
            0.0,
            0.0,
            same_kind_5m,
            same_kind_1h,
            single_kind,
            0.0,
            0.0,
            0.0,
            _SIZES[size] if size < _SIZE_CACHE else min(1.0, math.log1p(size) / _SIZE_SCALE),
            1.0 if newest else 0.0,
            alert.solo,
            burst,
            superseded,
            0.0,
            flapping,
        ]

    def weigh(self, weights: tuple[float, ...], bias: float) -> None:
        """The weights ``choose`` scores with (the engine's model)."""
        if len(weights) != len(FEATURES):
            raise ValueError("one weight per feature is needed")
        self._weights = weights
        self._bias = bias
        # The most each group of signals can add, for the first bound of ``choose``.
        self._most_in_time = sum(max(0.0, weights[i]) for i in (_AGE, _SIZE))
        self._most_same_kind = sum(
            max(0.0, weights[i]) for i in (_SAME_KIND_5M, _SAME_KIND_1H, _SINGLE_KIND)
        )
        self._most_flapping = max(0.0, weights[_FLAPPING])
        self._most_same_service = max(0.0, weights[_SAME_SERVICE])

    def choose(
        self,
        alert: AlertContext,
        candidates: Iterable[IncidentState],
        idle: float,
        young: float,
        headroom: float,
        floor: float,
    ) -> tuple[IncidentState | None, float, list[float], float]:
        """The best candidate for the alert, its log-odds and row, and the highest bound of
        the candidates not scored in full: ``(best, z, row, top_bound)``; ``best`` is None
        when no candidate was worth a full row. Only candidates last active since ``idle``
        and begun since ``young`` count; they may come in any order.

        Scoring every candidate in full would cost most of a decision, so each is scored
        only while an upper bound of its score can still reach ``floor`` and beat the best
        so far: first a bound from lookups and the gap since the incident's last alert
        (every other time-fading signal at its most; ``headroom`` is the most the ``RICH``
        signals add), candidates taken in its order; then a bound from the cheap signals
        (``base``) plus ``headroom``; then the full row. A candidate dropped on a bound
        could neither win nor tie, so the order does not change the choice, and ties go
        to the one that began first (then the smaller id), as in a plain scan of the
        candidates oldest first. The newest candidate (the latest to begin) is known only
        once all are seen, so its first bound waits until then.
        """
        (w_gap30, w_gap5m, w_age, w_service, _, _, w_kind5m, w_kind1h, w_single, _, _, _,
         w_size, w_newest, w_solo, w_burst, w_superseded, _,
         w_flapping) = w = self._weights  # fmt: skip
        at = alert.at
        if at != self._fade_at or self.last_onset != self._fade_onset:
            self._burst_fade(at)
        onset, fade = self.last_onset, self._fade
        fresh, stale = w_burst * fade, w_superseded * fade
        solo = self._bias + w_solo * alert.solo
        common = solo + headroom + self._most_in_time
        same_kind, same_service = self._most_same_kind, self._most_same_service
        flapping = self._most_flapping
        most_newest = max(0.0, w_newest)
        most_gap = max(0.0, w_gap30) + max(0.0, w_gap5m)
        most = common + most_gap + max(fresh, stale) + same_kind + flapping + same_service
        if most + most_newest < floor:
            return None, -math.inf, [], -math.inf
        exp = math.exp
        kind, service = alert.kind, alert.service
        bounds: list[tuple[float, IncidentState]] = []
        newest: IncidentState | None = None
        newest_first, newest_id, newest_bound = -math.inf, "", 0.0
        for incident in candidates:
            last_at, first = incident.last, incident.first
            if last_at < idle or first < young:
                continue
            gap = at - last_at if at >= last_at else (first - at if at < first else 0.0)
            bound = (
                common
                + w_gap30 * exp(-gap / 30.0)
                + w_gap5m * exp(-gap / 300.0)
                + (fresh if first >= onset else stale)
            )
            kinds = incident.kinds
            if kind in kinds:
                bound += same_kind
                if len(kinds) == 1:
                    bound += flapping
            if service in incident.services:
                bound += same_service
            if first > newest_first or (first == newest_first and incident.id > newest_id):
                if newest is not None and newest_bound >= floor:
                    bounds.append((newest_bound, newest))
                newest, newest_first, newest_id, newest_bound = incident, first, incident.id, bound
            elif bound >= floor:
                bounds.append((bound, incident))
        if newest is not None:
            newest_bound += most_newest
            if newest_bound >= floor:
                bounds.append((newest_bound, newest))
        if len(bounds) > 1:
            bounds.sort(key=_BOUND, reverse=True)
        service_weight = w_service * alert.specific
        best: IncidentState | None = None
        best_z = top_bound = -math.inf
        best_row: list[float] = []
        for quick, incident in bounds:
            if quick < best_z - SLACK:
                break
            # ``bias + weights · base(...)`` (up to rounding) without building the row,
            # only the signals with a weight.
            last_at, first = incident.last, incident.first
            gap = at - last_at if at >= last_at else (first - at if at < first else 0.0)
            z = solo
            if w_gap30:
                z += w_gap30 * exp(-gap / 30.0)
            if w_gap5m:
                z += w_gap5m * exp(-gap / 300.0)
            kinds = incident.kinds
            same = kinds.get(kind)
            flaps = False
            if same is not None:
                kind_gap = abs(at - same[0])
                z += w_kind5m * exp(-kind_gap / 300.0) + w_kind1h * exp(-kind_gap / 3600.0)
                if len(kinds) == 1:
                    z += w_single
                    if _sparse(incident):
                        z += w_flapping
                        flaps = True
            if w_age and at > first and not flaps:
                z += w_age * min(1.0, math.log1p((at - first) / 60.0) / _AGE_SCALE)
            own = incident.services.get(service)
            if own is not None:
                z += service_weight * exp(-abs(at - own[0]) / _SERVICE_FADE)
            z += fresh if first >= onset else stale
            if w_size:
                size = incident.size
                z += w_size * (
                    _SIZES[size] if size < _SIZE_CACHE else min(1.0, math.log1p(size) / _SIZE_SCALE)
                )
            is_newest = incident is newest
            if is_newest:
                z += w_newest
            bound = z + headroom
            if bound < floor or bound < best_z - SLACK:
                if bound > top_bound:
                    top_bound = bound
                continue
            row = self.row(alert, incident, is_newest)
            z = self._bias + sum(map(mul, w, row))
            if z > best_z or (z == best_z and _earlier(incident, best)):
                best, best_z, best_row = incident, z, row
        return best, best_z, best_row, top_bound

    def _burst_fade(self, at: float) -> None:
        onset = self.last_onset
        since = at - onset
        self._fade_at, self._fade_onset = at, onset
        self._fade = math.exp(-since / _BURST_FADE) if 0.0 <= since < math.inf else 0.0

    def enrich(self, alert: AlertContext, incident: IncidentState, values: list[float]) -> None:
        """Fill in the ``RICH`` signals of a row from ``base``."""
        # Without a topology node or learned service pairs, those signals are all 0.
        if self._cooccurrence.pairs or (alert.node is not None and self._topology is not None):
            values[_TOPOLOGY], values[_CALLER], values[_SERVICE_COOC] = self._service_signals(
                alert, incident
            )
        values[_SIMILARITY], values[_TEMPLATE_COOC] = self._template_signals(alert, incident)
        labels = alert.labels
        if labels:
            held = incident.labels
            # Keys first: ``frozenset & keys`` gives a set, not the frozenset typeshed
            # promises, which compiled code checks.
            values[_LABELS] = len(held.keys() & labels) / len(labels)

    def _service_signals(
        self, alert: AlertContext, incident: IncidentState
    ) -> tuple[float, float, float]:
        """Topology (either way, and as a caller of the incident's services) and
        co-occurrence, each fading with the service's silence, like the same service.

        Fading keeps a long incident from claiming every later alert of a service it
        once touched: what counts is what the incident is doing now. A failing callee
        shows up as symptoms on its callers, so a caller is the likelier symptom.
        """
        topology = caller = cooc = 0.0
        at = alert.at
        services = incident.services
        for service, related, calls, together in self._related_in(alert, incident):
            known = services.get(service)
            if known is None:
                continue
            recency = math.exp(-abs(at - known[0]) / _SERVICE_FADE)
            if related * recency > topology:
                topology = related * recency
            if calls * recency > caller:
                caller = calls * recency
            if together * recency > cooc:
                cooc = together * recency
        return topology, caller, cooc

    def _related_in(
        self, alert: AlertContext, incident: IncidentState
    ) -> tuple[tuple[str, float, float, float], ...]:
        """The incident's other services with any closeness to the alert's, memoised per
        incident until it gains a service (most pairs have none, so most rows skip the loop)."""
        memo = incident.service_memo if self.exclude is None else None
        if memo is not None:
            known = memo.get(alert.service)
            if known is not None:
                return known
        found = []
        for service in incident.services:
            if service == alert.service:
                continue
            related, calls, together = self._closeness(alert, service)
            if related > 0.0 or together > 0.0:
                found.append((service, related, calls, together))
        result = tuple(found)
        if memo is not None:
            memo[alert.service] = result
        return result

    def _closeness(self, alert: AlertContext, service: str) -> tuple[float, float, float]:
        key = (alert.service, service)
        known = self._pair_memo.get(key) if self.exclude is None else None
        if known is not None:
            return known
        related = calls = 0.0
        if self._topology is not None and alert.node is not None:
            other = self._topology.node_of(service)
            if other is not None and other != alert.node:
                related = self._topology.closeness(alert.node, other)
                calls = self._topology.caller_closeness(alert.node, other)
        together = self._cooccurrence.score(alert.service_item, service_item(service), self.exclude)
        if self.exclude is None:
            if len(self._pair_memo) > _MEMO_LIMIT:
                self._pair_memo.clear()
            self._pair_memo[key] = (related, calls, together)
        return related, calls, together

    def _template_signals(
        self, alert: AlertContext, incident: IncidentState
    ) -> tuple[float, float]:
        memo = incident.template_memo if self.exclude is None else None
        if memo is not None:
            known = memo.get(alert.template)
            if known is not None:
                return known
        cooc = 0.0
        # The latest templates say what the incident is doing now; older ones cost time.
        latest = tuple(islice(reversed(incident.templates), _RECENT_TEMPLATES))
        similarity = self._templates.most_similar(alert.template, latest)
        if self._cooccurrence.incidents > 0:
            for template in latest:
                text = self._templates.text(template)
                if text is not None:
                    cooc = max(
                        cooc,
                        self._cooccurrence.score(
                            alert.template_item, template_item(text), self.exclude
                        ),
                    )
        if memo is not None:
            memo[alert.template] = (similarity, cooc)
        return similarity, cooc
