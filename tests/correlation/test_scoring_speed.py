"""Fast scoring decides exactly what scoring every candidate in full decides, and the
directed topology signal tells callers (symptoms) from callees."""

from __future__ import annotations

import math
from dataclasses import replace
from operator import mul

from correlation.engine import CorrelationEngine, observation
from correlation.features import FEATURES
from correlation.interface import AlertFacts
from correlation.model import CorrelationModel
from correlation.topology import Topology
from tests.correlation.streams import TOPOLOGY, alert, learned_model, overlapping_storm


def exhaustive_groups(
    model: CorrelationModel, topology: Topology, alerts: list[AlertFacts]
) -> list[str]:
    """The plain scan the bounds must agree with: every candidate's full row is scored
    and the first best one (oldest first) wins if it reaches the threshold; one incident
    per alert, in the order given. (Built from the engine's parts rather than a subclass:
    the engine may be compiled, and compiled classes take no Python subclasses.)"""
    engine = CorrelationEngine(model, topology)
    contexts = engine.contexts(alerts)
    weights = model.weight_vector()
    cut = math.log(model.threshold / (1 - model.threshold))
    chosen: dict[str, str] = {}
    for context in sorted(contexts, key=lambda c: (c.at, c.alert_id)):
        candidates = engine.candidates(context)
        best, best_z = None, -math.inf
        for incident in candidates:
            row = engine.features.row(context, incident, incident is candidates[-1])
            z = model.bias + sum(map(mul, weights, row))
            if z > best_z:
                best, best_z = incident, z
        seen = observation(context)
        if best is not None and best_z >= cut:
            engine.working_set.add(best, seen)
            chosen[context.alert_id] = best.id
        else:
            opened = f"new-{len(chosen)}"
            engine.working_set.open(opened, seen)
            chosen[context.alert_id] = opened
    return [chosen[a.id] for a in alerts]


def same_partition(left: list[str], right: list[str]) -> bool:
    """Equal groupings whatever the incidents are called."""
    pairs = set(zip(left, right, strict=True))
    return len(pairs) == len(set(left)) == len(set(right))


def test_pruned_scoring_groups_exactly_like_scoring_every_candidate() -> None:
    alerts = overlapping_storm()
    topology = Topology.from_dict(TOPOLOGY)
    counts = []
    for model in (
        CorrelationModel.default(),
        CorrelationModel.default().with_threshold(0.2),
        CorrelationModel.default().with_threshold(0.8),
    ):
        fast = [v.incident_id for v in CorrelationEngine(model, topology).decide(alerts)]
        full = exhaustive_groups(model, topology, alerts)
        assert same_partition(fast, full)
        counts.append(len(set(fast)))
    # Not one incident, nor one per alert: the engine chose between candidates.
    assert any(5 < count < len(alerts) / 2 for count in counts), counts


def test_pruned_scoring_agrees_with_a_learned_model_with_negative_weights() -> None:
    topology = Topology.from_dict(TOPOLOGY)
    model = learned_model(topology)
    weights = dict(model.weights)
    weights.update(same_service=-1.0, labels=-0.5)  # bounds must hold for either sign
    model = replace(model, weights=weights)
    alerts = overlapping_storm()
    fast = [v.incident_id for v in CorrelationEngine(model, topology).decide(alerts)]
    full = exhaustive_groups(model, topology, alerts)
    assert same_partition(fast, full)


def test_an_alert_that_opens_an_incident_reports_a_score_below_the_threshold() -> None:
    verdicts = CorrelationEngine(topology=Topology.from_dict(TOPOLOGY)).decide(overlapping_storm())
    opened = [v for v in verdicts if v.opened]
    assert opened and all(0.0 <= v.score < 0.5 for v in opened)
    assert any(v.score > 0.0 for v in opened[1:])  # scored candidates, not only "none related"


def test_caller_closeness_follows_calls_only() -> None:
    topology = Topology.from_dict(TOPOLOGY)
    # web calls api calls db: web and api show a failing db's symptoms; db does not call them.
    assert topology.caller_closeness("api", "db") > topology.caller_closeness("web", "db") > 0
    assert topology.caller_closeness("db", "api") == 0.0
    assert topology.caller_closeness("db", "web") == 0.0


def test_an_alert_on_a_caller_of_the_incident_service_carries_the_caller_signal() -> None:
    engine = CorrelationEngine(topology=Topology.from_dict(TOPOLOGY))
    engine.decide([alert("root", "db", 0, "DiskPressure")])
    incident = next(iter(engine.working_set))
    caller, callee_of = engine.contexts(
        [alert("up", "api", 10, "ErrorRate"), alert("down", "cache", 10, "ErrorRate")]
    )
    index = FEATURES.index("topology_caller")
    assert engine.features.row(caller, incident, True)[index] > 0.5
    assert engine.features.row(callee_of, incident, True)[index] == 0.0
