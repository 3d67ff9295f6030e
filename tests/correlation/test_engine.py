"""The streaming engine: event time only, bounded, explainable, steerable by people."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from correlation.engine import CorrelationEngine
from correlation.interface import AlertFacts
from correlation.metrics import score
from correlation.model import CorrelationModel, Horizons, ModelError
from correlation.topology import Topology
from correlation.training import train
from tests.correlation.streams import TOPOLOGY, alert, facts, incident_rows


def grouping(engine: CorrelationEngine, alerts: list[AlertFacts], batch: int) -> list[str]:
    incidents: list[str] = []
    for start in range(0, len(alerts), batch):
        incidents.extend(v.incident_id for v in engine.decide(alerts[start : start + batch]))
    return incidents


def test_replaying_twice_or_in_other_batches_gives_the_same_grouping() -> None:
    alerts = facts(incident_rows(seed=1, incidents=12, spacing=90))
    topology = Topology.from_dict(TOPOLOGY)
    first = grouping(CorrelationEngine(topology=topology), alerts, batch=1000)
    again = grouping(CorrelationEngine(topology=topology), alerts, batch=1000)
    one_by_one = grouping(CorrelationEngine(topology=topology), alerts, batch=1)
    assert first == again == one_by_one


def test_decisions_depend_on_event_time_not_on_arrival_order_within_a_batch() -> None:
    alerts = facts(incident_rows(seed=2, incidents=5, spacing=400))
    in_order = CorrelationEngine().decide(alerts)
    shuffled = list(reversed(alerts))
    reversed_decisions = {v.alert_id: v.incident_id for v in CorrelationEngine().decide(shuffled)}
    assert [reversed_decisions[v.alert_id] for v in in_order] == [v.incident_id for v in in_order]


def test_overlapping_incidents_on_unrelated_services_stay_two() -> None:
    topology = Topology.from_dict(
        {"nodes": ["a", "b", "x", "y"], "edges": [["a", "b"], ["x", "y"]]}
    )
    alerts = []
    for step in range(8):
        alerts.append(alert(f"ab{step}", "ab"[step % 2], step * 15, "ErrorRate", pod=step % 2))
        alerts.append(alert(f"xy{step}", "xy"[step % 2], step * 15 + 7, "DiskPressure", pod=3))
    verdicts = CorrelationEngine(topology=topology).decide(alerts)
    incident_of = {v.alert_id: v.incident_id for v in verdicts}
    ab = {incident_of[f"ab{i}"] for i in range(8)}
    xy = {incident_of[f"xy{i}"] for i in range(8)}
    # The untrained engine is conservative: a neighbour 15 s away may still stand apart,
    # but each service's alerts stay together and the two storms never mix.
    assert len(ab) <= 2 and len(xy) <= 2
    assert not ab & xy


def cooccurring_history() -> list[tuple[AlertFacts, str]]:
    """Every 10 minutes, 'alpha' and 'omega' fail together while 'beta' and 'gamma' fail
    alone at the same moments: only history tells which services travel together."""
    history = []
    for number in range(30):
        base = number * 600.0
        for step in range(3):
            moment = base + step * 20
            history.append((alert(f"h{number}a{step}", "alpha", moment, "ErrorRate"), f"i{number}"))
            history.append(
                (alert(f"h{number}o{step}", "omega", moment + 5, "QueueBacklog"), f"i{number}")
            )
            history.append(
                (alert(f"h{number}b{step}", "beta", moment + 2, "PodRestart"), f"b{number}")
            )
            history.append(
                (alert(f"h{number}g{step}", "gamma", moment + 7, "DiskPressure"), f"g{number}")
            )
    return history


def test_cooccurrence_learned_from_history_joins_services_without_topology() -> None:
    model = train(cooccurring_history())
    assert model.metadata["trained"] is True
    assert model.metadata["chosen"] in {"classifier", "priors"}
    start = 100_000.0
    stream = [
        alert("s-a0", "alpha", start, "ErrorRate", pod=1),
        alert("s-b0", "beta", start + 2, "PodRestart", pod=2),
        alert("s-o0", "omega", start + 5, "QueueBacklog", pod=3),
        alert("s-g0", "gamma", start + 7, "DiskPressure", pod=4),
    ]
    learned = {v.alert_id: v for v in CorrelationEngine(model).decide(stream)}
    assert learned["s-o0"].incident_id == learned["s-a0"].incident_id
    assert not learned["s-o0"].opened
    assert learned["s-o0"].linked_alert_id == "s-a0"
    # Services or their alert templates: both are co-occurrence learned from history.
    assert any(s.name.endswith("cooccurrence") for s in learned["s-o0"].signals)
    assert learned["s-b0"].incident_id != learned["s-a0"].incident_id
    assert learned["s-g0"].incident_id != learned["s-a0"].incident_id
    untrained = {v.alert_id: v for v in CorrelationEngine().decide(stream)}
    assert untrained["s-o0"].incident_id != untrained["s-a0"].incident_id


def test_model_survives_a_json_round_trip_and_decides_the_same() -> None:
    model = train(cooccurring_history(), Topology.from_dict(TOPOLOGY), trained_at="2026-11-26")
    document = json.loads(json.dumps(model.to_dict()))
    assert document["schema_version"] == 1
    assert document["metadata"]["alerts"] == 360
    assert document["metadata"]["trained_at"] == "2026-11-26"
    loaded = CorrelationModel.from_dict(document)
    alerts = facts(incident_rows(seed=3, incidents=6, spacing=120))
    assert [v.incident_id for v in CorrelationEngine(loaded).decide(alerts)] == [
        v.incident_id for v in CorrelationEngine(model).decide(alerts)
    ]


def test_a_stored_model_from_before_the_burst_signals_still_loads() -> None:
    document = CorrelationModel.default().to_dict()
    keep = [i for i, n in enumerate(document["features"]) if n not in {"burst", "superseded"}]
    older = {
        **document,
        "features": [document["features"][i] for i in keep],
        "weights": [document["weights"][i] for i in keep],
    }
    loaded = CorrelationModel.from_dict(older)
    assert loaded.weights.get("burst", 0.0) == 0.0
    assert "superseded" not in loaded.weights
    alerts = facts(incident_rows(seed=3, incidents=4, spacing=200))
    assert len(CorrelationEngine(loaded).decide(alerts)) == len(alerts)


def test_a_model_of_another_schema_version_is_refused() -> None:
    document = CorrelationModel.default().to_dict()
    with pytest.raises(ModelError, match="schema version"):
        CorrelationModel.from_dict({**document, "schema_version": 99})
    with pytest.raises(ModelError, match="malformed"):
        CorrelationModel.from_dict({"schema_version": 1})


def test_working_set_is_bounded_by_size_and_by_event_time_age() -> None:
    model = replace(
        CorrelationModel.default(),
        horizons=Horizons(max_idle=600.0, max_age=3600.0, recent=60.0, max_open=50),
    )
    engine = CorrelationEngine(model)
    # 2,000 unrelated alerts ten seconds apart: each opens an incident.
    for number in range(2000):
        engine.decide([alert(f"n{number}", f"svc{number}", number * 10.0, f"Rule{number}")])
        assert len(engine.working_set) <= 50
    engine.decide([alert("late", "other", 2000 * 10.0 + 10_000, "Late")])
    assert len(engine.working_set) == 1


def test_restore_bind_merge_and_split_steer_later_decisions() -> None:
    engine = CorrelationEngine()
    engine.restore([(alert("s1", "api", 0), "INC-1"), (alert("s2", "api", 10), "INC-1")])
    [joined] = engine.decide([alert("n1", "api", 20)])
    assert joined.incident_id == "INC-1" and not joined.opened
    assert joined.reason.startswith("linked to alert s2")

    [opened] = engine.decide([alert("n2", "db", 25, "DiskPressure", pod=5)])
    assert opened.opened
    engine.bind(opened.incident_id, "INC-2")
    assert engine.working_set.get("INC-2") is not None

    engine.merge("INC-1", ["INC-2"])
    merged = engine.working_set.get("INC-1")
    assert merged is not None and merged.size == 4
    assert engine.working_set.get("INC-2") is None

    engine.split("INC-1", {"n2"}, "INC-3")
    [after] = engine.decide([alert("n3", "db", 30, "DiskPressure", pod=5)])
    assert after.incident_id == "INC-3"


def test_an_alert_restored_twice_counts_once() -> None:
    # Replicas: an alert may come both from the stored alerts and from the decision log.
    engine = CorrelationEngine()
    restored = [(alert("s1", "api", 0), "INC-1"), (alert("s2", "api", 10), "INC-1")]
    engine.restore(restored)
    engine.restore(restored[1:])
    incident = engine.working_set.get("INC-1")
    assert incident is not None and incident.size == 2 and list(incident.members) == ["s1", "s2"]


def test_grouping_on_a_generated_storm_beats_chance() -> None:
    rows = incident_rows(seed=4, incidents=20, spacing=300)
    alerts = facts(rows)
    verdicts = CorrelationEngine(topology=Topology.from_dict(TOPOLOGY)).decide(alerts)
    result = score([v.incident_id for v in verdicts], [r["truth"] for r in rows])
    assert result.pairwise_f1 > 0.7 and result.pairwise_precision > 0.75


def test_naive_timestamps_are_refused() -> None:
    naive = replace(
        alert("a", "api", 0), occurred_at=alert("a", "api", 0).occurred_at.replace(tzinfo=None)
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        CorrelationEngine().decide([naive])
