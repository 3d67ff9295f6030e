"""The signals that say whether an alert belongs to an open incident, as numbers.

One row per (alert, candidate incident). Every value lies in [0, 1] (``solo``
in [-0.5, 0.5]) so that one set of weights means the same on every system.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice

from correlation.cooccurrence import Cooccurrence, key_item, service_item, template_item
from correlation.templates import TemplateIndex
from correlation.topology import Topology
from correlation.working_set import IncidentState

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
) = (
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
    )
)
_TOPOLOGY, _CALLER, _SERVICE_COOC, _SIMILARITY, _TEMPLATE_COOC, _LABELS = (
    FEATURES.index(name)
    for name in (
        "topology",
        "topology_caller",
        "service_cooccurrence",
        "template_similarity",
        "template_cooccurrence",
        "labels",
    )
)
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
_SIZES = tuple(min(1.0, math.log1p(n) / _SIZE_SCALE) for n in range(_SIZE_CACHE))


@dataclass(slots=True)
class AlertContext:
    """An alert as the features need it, computed once per alert; read-only by convention
    (not frozen: a frozen dataclass costs several times as much to build, per alert)."""

    alert_id: str
    at: float
    service: str
    node: str | None
    template: int
    kind: tuple[str, int]
    template_item: str
    service_item: str
    labels: frozenset[str]
    solo: float


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
        self._kind_memo: dict[tuple[str, int], tuple[str | None, tuple[str, int], str, str, float]]
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
            known = (node, key, template_item(summary_template), service_item(service), solo - 0.5)
            if self.exclude is None:
                if len(self._kind_memo) > _MEMO_LIMIT:
                    self._kind_memo.clear()
                self._kind_memo[key] = known
        node, kind, template_name, service_name, solo = known
        return AlertContext(alert_id, at, service, node, template, kind, template_name,
                            service_name, labels, solo)  # fmt: skip

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
        own = incident.services.get(alert.service)
        same_service = math.exp(-abs(at - own[0]) / _SERVICE_FADE) if own is not None else 0.0
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
        ]

    def weigh(self, weights: tuple[float, ...], bias: float) -> None:
        """The weights ``cheap_score`` uses (the engine's model)."""
        if len(weights) != len(FEATURES):
            raise ValueError("one weight per feature is needed")
        self._weights = weights
        self._bias = bias
        # The most each group of signals can add, for ``quick_bounds``.
        self._most_in_time = sum(max(0.0, weights[i]) for i in (_GAP_30S, _GAP_5M, _AGE, _SIZE))
        self._most_same_kind = sum(
            max(0.0, weights[i]) for i in (_SAME_KIND_5M, _SAME_KIND_1H, _SINGLE_KIND)
        )
        self._most_same_service = max(0.0, weights[_SAME_SERVICE])

    def quick_bounds(
        self,
        alert: AlertContext,
        candidates: Sequence[IncidentState],
        headroom: float,
        floor: float,
    ) -> list[tuple[float, int, IncidentState]]:
        """(bound, position, incident) for the candidates whose bound reaches ``floor``.

        From lookups alone, no arithmetic on times: every time-fading signal is taken at
        its most (``headroom`` is the most the ``RICH`` signals add; the newest is last).
        """
        w = self._weights
        at = alert.at
        if at != self._fade_at or self.last_onset != self._fade_onset:
            self._burst_fade(at)
        onset, fade = self.last_onset, self._fade
        fresh, stale = w[_BURST] * fade, w[_SUPERSEDED] * fade
        common = self._bias + w[_SOLO] * alert.solo + headroom + self._most_in_time
        same_kind, same_service = self._most_same_kind, self._most_same_service
        newest = max(0.0, w[_NEWEST])
        if common + max(fresh, stale) + same_kind + same_service + newest < floor:
            return []
        kind, service = alert.kind, alert.service
        last = len(candidates) - 1
        bounds = []
        for position, incident in enumerate(candidates):
            bound = common + (fresh if incident.first >= onset else stale)
            if kind in incident.kinds:
                bound += same_kind
            if service in incident.services:
                bound += same_service
            if position == last:
                bound += newest
            if bound >= floor:
                bounds.append((bound, position, incident))
        return bounds

    def cheap_score(self, alert: AlertContext, incident: IncidentState, newest: bool) -> float:
        """``bias + weights · base(...)`` without building the row (up to rounding).

        Most candidates in a storm are dropped on this bound, so it is kept to the
        arithmetic that matters: signals with no weight are not computed.
        """
        (w_gap30, w_gap5m, w_age, w_service, _, _, w_kind5m, w_kind1h, w_single, _, _, _,
         w_size, w_newest, w_solo, w_burst, w_superseded, _) = self._weights  # fmt: skip
        at = alert.at
        last, first = incident.last, incident.first
        if at >= last:
            gap = at - last
        elif at < first:
            gap = first - at
        else:
            gap = 0.0
        z = self._bias + w_solo * alert.solo
        if w_gap30:
            z += w_gap30 * math.exp(-gap / 30.0)
        if w_gap5m:
            z += w_gap5m * math.exp(-gap / 300.0)
        if w_age and at > first:
            z += w_age * min(1.0, math.log1p((at - first) / 60.0) / _AGE_SCALE)
        kinds = incident.kinds
        kind = kinds.get(alert.kind)
        if kind is not None:
            kind_gap = abs(at - kind[0])
            z += w_kind5m * math.exp(-kind_gap / 300.0) + w_kind1h * math.exp(-kind_gap / 3600.0)
            if len(kinds) == 1:
                z += w_single
        own = incident.services.get(alert.service)
        if own is not None:
            z += w_service * math.exp(-abs(at - own[0]) / _SERVICE_FADE)
        if at != self._fade_at or self.last_onset != self._fade_onset:
            self._burst_fade(at)
        z += (w_burst if first >= self.last_onset else w_superseded) * self._fade
        size = incident.size
        if w_size:
            z += w_size * (
                _SIZES[size] if size < _SIZE_CACHE else min(1.0, math.log1p(size) / _SIZE_SCALE)
            )
        if newest:
            z += w_newest
        return z

    def _burst_fade(self, at: float) -> None:
        onset = self.last_onset
        since = at - onset
        self._fade_at, self._fade_onset = at, onset
        self._fade = math.exp(-since / _BURST_FADE) if 0.0 <= since < math.inf else 0.0

    def enrich(self, alert: AlertContext, incident: IncidentState, values: list[float]) -> None:
        """Fill in the ``RICH`` signals of a row from ``base``."""
        values[_TOPOLOGY], values[_CALLER], values[_SERVICE_COOC] = self._service_signals(
            alert, incident
        )
        values[_SIMILARITY], values[_TEMPLATE_COOC] = self._template_signals(alert, incident)
        labels = alert.labels
        if labels:
            held = incident.labels
            values[_LABELS] = len(labels & held.keys()) / len(labels)

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
