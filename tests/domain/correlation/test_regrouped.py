"""The live correlator restores alerts where people regrouped them
(domain/correlation/regrouped.py, domain/correlation/live.py), with a real learned engine."""

from __future__ import annotations

from correlation.engine import CorrelationEngine
from correlation.learned import LearnedCorrelator
from domain.correlation.live import LiveCorrelator
from domain.correlation.regrouped import RegroupingMemory
from domain.correlation.settings import CorrelationSettings, EngineKind
from tests.correlation.streams import alert as facts


def live() -> tuple[LiveCorrelator, CorrelationEngine]:
    engine = CorrelationEngine()
    return LiveCorrelator(
        LearnedCorrelator(engine), CorrelationSettings(EngineKind.LEARNED, 300)
    ), engine


def members(engine: CorrelationEngine, incident_id: str) -> set[str]:
    incident = engine.working_set.get(incident_id)
    return set() if incident is None else set(incident.members)


def test_alerts_decided_before_a_merge_are_restored_into_the_kept_incident() -> None:
    correlator, engine = live()
    correlator.restore([(facts("a1", "checkout", 0), "X"), (facts("b1", "payments", 5), "Y")])
    correlator.merge("X", iter(["Y"]))
    # Read from another replica's decision log after the merge: decided into Y.
    correlator.restore([(facts("b2", "payments", 6), "Y")])
    assert members(engine, "X") == {"a1", "b1", "b2"}
    assert engine.working_set.get("Y") is None


def test_alerts_split_out_are_restored_into_the_new_incident() -> None:
    correlator, engine = live()
    correlator.restore([(facts("a1", "checkout", 0), "X")])
    correlator.split("X", {"a2"}, "Z")
    correlator.restore([(facts("a2", "checkout", 1), "X"), (facts("a3", "checkout", 2), "X")])
    assert members(engine, "X") == {"a1", "a3"}
    assert members(engine, "Z") == {"a2"}


def test_telling_a_merge_twice_changes_nothing() -> None:
    correlator, engine = live()
    correlator.restore([(facts("a1", "checkout", 0), "X"), (facts("b1", "payments", 5), "Y")])
    correlator.merge("X", ["Y"])
    correlator.merge("X", ["Y"])
    assert members(engine, "X") == {"a1", "b1"}


def test_regroupings_follow_one_another() -> None:
    memory = RegroupingMemory()
    memory.split(["a1"], "Z")
    memory.merged("X", ["Z", "X"])
    memory.merged("W", ["X"])
    assert memory.incident_of("a1", "Y") == "W", "split into Z, Z merged into X, X into W"
    assert memory.incident_of("a2", "Y") == "Y", "an alert nobody moved stays"
    memory.merged("Y", ["W"])
    memory.merged("W", ["Y"])  # a loop people could only make in the store by hand
    assert memory.incident_of("a3", "Y") in {"Y", "W"}
