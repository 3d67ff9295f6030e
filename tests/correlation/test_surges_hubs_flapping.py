"""A running fault surging again, hub services, flapping alerts, and template keys."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from correlation.bursts import BurstDetector, BurstSettings
from correlation.engine import CorrelationEngine
from correlation.interface import AlertFacts
from correlation.templates import mask, mask_key
from correlation.topology import Topology
from tests.correlation.streams import T0, alert

SERVICES = ["web", "api", "db", "auth"]


def running_fault() -> list[AlertFacts]:
    """A fault's opening burst on four services, then a trickle of the same kinds."""
    alerts = [
        alert(f"r{step}", SERVICES[step % 4], step * 0.2, "HighLatency", pod=step % 2)
        for step in range(24)
    ]
    alerts += [
        alert(f"t{step}", SERVICES[step % 4], 10.0 + step * 10.0, "HighLatency", pod=step % 2)
        for step in range(20)
    ]
    return alerts


def surge(prefix: str, at: float, rules: list[str]) -> list[AlertFacts]:
    """Sixteen alerts within three seconds on the fault's services."""
    return [
        alert(f"{prefix}{step}", SERVICES[step % 4], at + step * 0.2, rules[step % len(rules)])
        for step in range(16)
    ]


def grouping(alerts: list[AlertFacts]) -> tuple[dict[str, str], CorrelationEngine]:
    alerts = sorted(alerts, key=lambda a: (a.occurred_at, a.id))
    engine = CorrelationEngine()
    return {v.alert_id: v.incident_id for v in engine.decide(alerts)}, engine


def test_a_surge_of_kinds_not_seen_lately_continues_the_running_incident() -> None:
    # 200 s in, the fault spreads: new kinds of alert (other metrics, logs) on its services.
    incident_of, engine = grouping(
        running_fault() + surge("s", 200.0, ["DiskPressure", "QueueBacklog", "OOMKilled"])
    )
    running = incident_of["t19"]
    assert {incident_of[f"s{step}"] for step in range(16)} == {running}
    # The surge made an onset, withdrawn: the latest onset is still the fault's own.
    assert engine.bursts.last_onset - T0.timestamp() < 10.0


def test_a_surge_of_new_kinds_sooner_than_a_second_wave_is_a_new_incident() -> None:
    # 185 s in, as soon as onsets are spaced enough, but the running fault has not been
    # open for three minutes before the surge: another fault has begun.
    incident_of, engine = grouping(
        running_fault() + surge("s", 185.0, ["DiskPressure", "QueueBacklog", "OOMKilled"])
    )
    after_onset = {incident_of[f"s{step}"] for step in range(8, 16)}
    running = incident_of["t16"]  # the trickle's last alert before the surge
    assert len(after_onset) == 1 and running not in after_onset
    assert engine.bursts.last_onset - T0.timestamp() >= 185.0


def test_a_surge_repeating_the_kinds_seen_lately_is_a_new_incident() -> None:
    # The same surge made of the kinds the running fault raised: a new fault that looks alike.
    incident_of, engine = grouping(running_fault() + surge("s", 200.0, ["HighLatency"]))
    after_onset = {incident_of[f"s{step}"] for step in range(8, 16)}
    assert len(after_onset) == 1 and incident_of["t19"] not in after_onset
    assert engine.bursts.last_onset - T0.timestamp() >= 200.0


def test_a_withdrawn_onset_is_forgotten_and_no_other_follows_while_its_surge_lasts() -> None:
    detector = BurstDetector(BurstSettings(spacing=180.0, hold=30.0))
    assert sum(detector.observe(t * 0.1) for t in range(50)) == 1
    first = detector.last_onset
    onsets = [detector.observe(200.0 + t * 0.1) for t in range(50)]
    assert sum(onsets) == 1
    detector.withdraw()
    assert detector.last_onset == first
    # The surge goes on for 20 s more: held, no new onset.
    assert not any(detector.observe(205.0 + t * 0.1) for t in range(200))
    # After a calm spell, a new surge is an onset again.
    assert sum(detector.observe(400.0 + t * 0.1) for t in range(50)) == 1


def test_spread_is_the_share_of_the_system_a_service_calls() -> None:
    topology = Topology.from_dict(
        {"nodes": [], "edges": [["lb", "front"], ["front", "a"], ["front", "b"], ["a", "db"]]}
    )
    assert topology.spread("lb") == 1.0
    assert topology.spread("front") == 0.75
    assert topology.spread("a") == 0.25
    assert topology.spread("db") == 0.0
    assert topology.spread("unknown") == 0.0


def hub_topology() -> Topology:
    leaves = ["a", "b", "c", "d"]
    return Topology.from_dict({"nodes": [], "edges": [["front", leaf] for leaf in leaves]})


def test_a_hub_service_does_not_join_an_incident_by_being_the_same_service() -> None:
    # An incident on leaf 'a' with a symptom on 'front', which calls every service. A new
    # kind of alert on 'front' 5 s later may come from any fault: it stands apart, while the
    # same new kind on the leaf itself joins.
    def history(service: str) -> list[AlertFacts]:
        return [
            alert("x0", "a", 0.0, "ErrorRate", pod=1),
            alert("x1", "front", 10.0, "ErrorRate", pod=2),
            alert("x2", "a", 20.0, "ErrorRate", pod=1),
            alert("x3", service, 25.0, "QueueBacklog", pod=3),
        ]

    on_hub = CorrelationEngine(topology=hub_topology()).decide(history("front"))
    assert on_hub[3].opened
    on_leaf = CorrelationEngine(topology=hub_topology()).decide(history("a"))
    assert not on_leaf[3].opened and on_leaf[3].incident_id == on_leaf[0].incident_id


def test_a_flapping_alert_is_one_incident_however_long_it_flaps() -> None:
    gaps = [400, 800, 430, 350, 390, 230, 830, 190, 300, 590, 170, 800]
    moments = [sum(gaps[:n]) for n in range(len(gaps) + 1)]
    alerts = [alert(f"f{n}", "db", float(m), "DiskPressure") for n, m in enumerate(moments)]
    verdicts = CorrelationEngine().decide(alerts)
    assert len({v.incident_id for v in verdicts}) == 1
    assert "flapping" in {s.name for s in verdicts[-1].signals}


def test_the_same_kind_in_dense_runs_minutes_apart_is_two_incidents() -> None:
    first = [alert(f"a{n}", "db", n * 15.0, "DiskPressure") for n in range(6)]
    second = [alert(f"b{n}", "db", 400.0 + n * 15.0, "DiskPressure") for n in range(6)]
    verdicts = CorrelationEngine().decide(first + second)
    assert len({v.incident_id for v in verdicts[:6]}) == 1
    assert {v.incident_id for v in verdicts[6:]}.isdisjoint({verdicts[0].incident_id})


# Pieces of alert text with digits in every place a mask looks at.
PIECES = ["HighLatency", " on ", "pod-", "7f3a9c", "10.0.3.7:9100", "-", ".", "42", "0.5", " ",
          "frontend-6d8f9b7c4-x2k9p", "123e4567-e89b-12d3-a456-426614174000", "Ab"]  # fmt: skip


@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_texts_differing_only_in_digits_share_a_template(parts: list[str]) -> None:
    text = "".join(parts)
    assert mask(mask_key(text)) == mask(text)
