"""The time-window rule: same service, within a window of event time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from correlation import AlertFacts, Correlator, Decision, OpenIncident, TimeWindowCorrelator

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=5)


def alert(alert_id: str, service: str, seconds: float) -> AlertFacts:
    return AlertFacts(
        id=alert_id,
        service=service,
        occurred_at=T0 + timedelta(seconds=seconds),
        severity="error",
        source="test",
        summary=f"alert {alert_id}",
        labels={},
    )


def correlator() -> TimeWindowCorrelator:
    return TimeWindowCorrelator(WINDOW)


def test_time_window_correlator_satisfies_the_correlator_protocol() -> None:
    engine: Correlator = correlator()
    assert engine.lookback == WINDOW


def test_same_service_within_the_window_joins_one_new_incident() -> None:
    first, second = correlator().assign(
        [alert("a1", "checkout", 0), alert("a2", "checkout", 60)], []
    )
    assert first.incident_id is None and first.new_incident == 0
    assert second.incident_id is None and second.new_incident == first.new_incident


def test_alert_exactly_one_window_later_still_joins() -> None:
    first, second = correlator().assign(
        [alert("a1", "checkout", 0), alert("a2", "checkout", WINDOW.total_seconds())], []
    )
    assert second.new_incident == first.new_incident


def test_other_service_opens_a_new_incident() -> None:
    first, second = correlator().assign(
        [alert("a1", "checkout", 0), alert("a2", "payments", 10)], []
    )
    assert first.new_incident is not None and second.new_incident is not None
    assert first.new_incident != second.new_incident
    assert second.incident_id is None
    assert "payments" in second.reason


def test_gap_larger_than_the_window_opens_a_new_incident() -> None:
    first, second = correlator().assign(
        [alert("a1", "checkout", 0), alert("a2", "checkout", WINDOW.total_seconds() + 1)], []
    )
    assert first.new_incident == 0
    assert second.new_incident == 1
    assert second.incident_id is None


def test_window_is_measured_from_the_latest_alert_of_the_incident() -> None:
    # Each alert is 4 minutes after the previous one: the chain stays one incident
    # although the last is 12 minutes after the first.
    decisions = correlator().assign([alert(f"a{i}", "checkout", i * 240) for i in range(4)], [])
    assert {d.new_incident for d in decisions} == {0}


def test_alerts_out_of_event_time_order_in_one_batch_are_correlated_by_event_time() -> None:
    # In arrival order, a1 and a2 are 8 minutes apart; a3 arrives last but lies between.
    alerts = [
        alert("a1", "checkout", 0),
        alert("a2", "checkout", 480),
        alert("a3", "checkout", 240),
    ]
    decisions = correlator().assign(alerts, [])
    assert {d.new_incident for d in decisions} == {0}
    assert all(d.incident_id is None for d in decisions)


def test_earlier_alert_later_in_the_batch_opens_the_incident() -> None:
    decisions = correlator().assign(
        [alert("late", "checkout", 120), alert("early", "checkout", 0)], []
    )
    by_id = {d.alert_id: d for d in decisions}
    assert by_id["early"].new_incident == by_id["late"].new_incident == 0
    assert by_id["early"].score == 1.0
    assert "no open incident" in by_id["early"].reason
    assert "same service" in by_id["late"].reason


def test_joins_an_existing_open_incident_of_the_same_service() -> None:
    open_incident = OpenIncident(
        id="inc-1",
        service="checkout",
        first_event_at=T0 - timedelta(minutes=10),
        last_event_at=T0 - timedelta(minutes=1),
    )
    [decision] = correlator().assign([alert("a1", "checkout", 0)], [open_incident])
    assert decision.incident_id == "inc-1"
    assert decision.new_incident is None
    assert decision.score == pytest.approx(1 - 60 / WINDOW.total_seconds(), abs=1e-4)


def test_open_incident_of_another_service_is_not_joined() -> None:
    open_incident = OpenIncident("inc-1", "payments", T0, T0)
    [decision] = correlator().assign([alert("a1", "checkout", 0)], [open_incident])
    assert decision.incident_id is None
    assert decision.new_incident == 0


def test_open_incident_too_old_is_not_joined() -> None:
    too_old = T0 - WINDOW - timedelta(seconds=1)
    open_incident = OpenIncident("inc-1", "checkout", too_old, too_old)
    [decision] = correlator().assign([alert("a1", "checkout", 0)], [open_incident])
    assert decision.incident_id is None
    assert decision.new_incident == 0


def test_joins_the_nearest_of_several_open_incidents() -> None:
    far = OpenIncident("far", "checkout", T0 - timedelta(minutes=4), T0 - timedelta(minutes=4))
    near = OpenIncident("near", "checkout", T0 - timedelta(minutes=1), T0 - timedelta(minutes=1))
    [decision] = correlator().assign([alert("a1", "checkout", 0)], [far, near])
    assert decision.incident_id == "near"


def test_later_alerts_of_a_batch_join_an_incident_extended_by_earlier_ones() -> None:
    last = T0 - timedelta(minutes=4)
    open_incident = OpenIncident("inc-1", "checkout", last, last)
    # a2 is 7 minutes after the incident's last alert, but 3 after a1, which joined it.
    decisions = correlator().assign(
        [alert("a1", "checkout", 0), alert("a2", "checkout", 180)], [open_incident]
    )
    assert [d.incident_id for d in decisions] == ["inc-1", "inc-1"]


def test_decisions_come_back_in_input_order() -> None:
    alerts = [
        alert("z", "checkout", 300),
        alert("a", "payments", 0),
        alert("m", "checkout", 10),
        alert("b", "search", 200),
    ]
    decisions = correlator().assign(alerts, [])
    assert [d.alert_id for d in decisions] == ["z", "a", "m", "b"]


def test_every_decision_has_a_reason_and_a_score_between_zero_and_one() -> None:
    open_incident = OpenIncident("inc-1", "checkout", T0, T0)
    alerts = [
        alert("a1", "checkout", 30),
        alert("a2", "payments", 0),
        alert("a3", "payments", 150),
    ]
    decisions = correlator().assign(alerts, [open_incident])
    for decision in decisions:
        assert isinstance(decision, Decision)
        assert decision.reason.strip()
        assert 0.0 <= decision.score <= 1.0
        assert (decision.incident_id is None) != (decision.new_incident is None)
    joined, opened, joined_new = decisions
    assert joined.score == pytest.approx(0.9)
    assert "30 s" in joined.reason
    assert opened.score == 1.0
    assert "300 s" in opened.reason
    assert joined_new.score == pytest.approx(0.5)
    assert "150 s" in joined_new.reason


def test_same_input_gives_the_same_decisions() -> None:
    alerts = [alert(f"a{i}", f"svc-{i % 3}", (i * 97) % 900) for i in range(30)]
    open_incidents = [OpenIncident("inc-1", "svc-1", T0, T0 + timedelta(seconds=30))]
    first = correlator().assign(alerts, open_incidents)
    second = correlator().assign(list(alerts), list(open_incidents))
    engine = correlator()
    assert engine.assign(alerts, open_incidents) == engine.assign(alerts, open_incidents)
    assert first == second


def test_assign_does_not_change_the_open_incidents_given() -> None:
    open_incident = OpenIncident("inc-1", "checkout", T0, T0)
    correlator().assign([alert("a1", "checkout", 60)], [open_incident])
    assert open_incident == OpenIncident("inc-1", "checkout", T0, T0)


def test_empty_batch_gives_no_decisions() -> None:
    assert correlator().assign([], [OpenIncident("inc-1", "checkout", T0, T0)]) == []


@pytest.mark.parametrize("window", [timedelta(0), timedelta(seconds=-1)])
def test_window_must_be_positive(window: timedelta) -> None:
    with pytest.raises(ValueError, match="positive"):
        TimeWindowCorrelator(window)
