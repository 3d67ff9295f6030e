"""The learned engine behind the domain's interface (correlation/learned.py): stored
incidents it may join, and alerts that arrive after their incident left its working set."""

from __future__ import annotations

from datetime import timedelta

from correlation.engine import CorrelationEngine
from correlation.interface import OpenIncident
from correlation.learned import LearnedCorrelator
from tests.correlation.streams import T0
from tests.correlation.streams import alert as facts

HOURS = 3600


def stored(incident_id: str, service: str, first_s: float, last_s: float) -> OpenIncident:
    return OpenIncident(
        incident_id, service, T0 + timedelta(seconds=first_s), T0 + timedelta(seconds=last_s)
    )


def caught_up() -> LearnedCorrelator:
    """A correlator whose engine has seen event time 3 hours past T0."""
    correlator = LearnedCorrelator(CorrelationEngine())
    [decision] = correlator.assign([facts("now", "web", 3 * HOURS)], [])
    correlator.bind(decision.new_incident or 0, "current")
    return correlator


def test_a_late_alert_joins_the_stored_open_incident_of_its_service() -> None:
    correlator = caught_up()
    early = stored("early-db", "db", 0, 120)
    decisions = correlator.assign([facts("late-1", "db", 150), facts("late-2", "db", 160)], [early])
    assert [d.incident_id for d in decisions] == ["early-db", "early-db"]
    assert all(d.new_incident is None for d in decisions)
    assert decisions[0].reason.startswith("late (before the engine's horizon)")
    assert decisions[0].engine == "learned"
    # The engine now holds the stored incident: a later late alert joins it there too.
    held = correlator.engine.working_set.get("early-db")
    assert held is not None and "late-1" in held.members


def test_a_late_alert_with_no_stored_incident_near_it_opens_one() -> None:
    correlator = caught_up()
    far = stored("far-db", "db", 0, 60)
    other = stored("other-service", "api", 140, 160)
    [decision] = correlator.assign([facts("late", "db", 1200)], [far, other])
    assert decision.incident_id is None and decision.new_incident is not None


def test_alerts_within_the_horizon_are_the_engines_to_decide() -> None:
    correlator = caught_up()
    recent = stored("recent-db", "db", 3 * HOURS - 100, 3 * HOURS - 90)
    [decision] = correlator.assign([facts("fresh", "db", 3 * HOURS - 80)], [recent])
    assert not decision.reason.startswith("late"), "the rule never speaks for a recent alert"
