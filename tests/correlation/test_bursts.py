"""Burst onsets, and what the untrained engine makes of overlapping storms."""

from __future__ import annotations

import random
from datetime import timedelta

from correlation.baselines import time_window
from correlation.bursts import BurstDetector, BurstSettings
from correlation.engine import CorrelationEngine
from correlation.interface import AlertFacts
from correlation.metrics import score
from tests.correlation.streams import T0, alert

SERVICES = ["web", "api", "db", "auth", "cache", "queue", "search", "mail"]


def overlapping_storms(
    storms: int, spacing: float, seed: int = 5
) -> tuple[list[AlertFacts], list[str]]:
    """Faults that look alike: each a burst of 60 alerts on many services in its first
    20 s, then a tail of 30 over eight minutes; a new one every ``spacing`` seconds."""
    rng = random.Random(seed)
    rows: list[tuple[float, AlertFacts, str]] = []
    for number in range(storms):
        began = number * spacing + rng.uniform(0, 20)
        offsets = [rng.uniform(0, 20) for _ in range(60)] + [
            rng.uniform(60, 480) for _ in range(30)
        ]
        for step, offset in enumerate(offsets):
            service = rng.choice(SERVICES)
            rule = rng.choice(["HighLatency", "ErrorRate"])
            facts = alert(f"f{number}-{step}", service, began + offset, rule, pod=rng.randrange(3))
            rows.append((began + offset, facts, f"fault-{number}"))
    rows.sort(key=lambda r: (r[0], r[1].id))
    return [r[1] for r in rows], [r[2] for r in rows]


def test_a_surge_after_calm_is_an_onset_and_a_steady_trickle_is_not() -> None:
    detector = BurstDetector(BurstSettings())
    # One alert every 20 s for an hour: no onset.
    assert not any(detector.observe(t * 20.0) for t in range(180))
    # Then 30 alerts within 6 s: an onset, once.
    onsets = [detector.observe(3600.0 + t * 0.2) for t in range(30)]
    assert sum(onsets) == 1
    assert 3600.0 <= detector.last_onset <= 3606.0


def test_onsets_are_spaced_and_out_of_order_alerts_count_as_now() -> None:
    detector = BurstDetector(BurstSettings(spacing=180.0))
    first = [detector.observe(t * 0.1) for t in range(50)]
    assert sum(first) == 1
    # Another surge 60 s later is within the spacing: no second onset.
    assert not any(detector.observe(60.0 + t * 0.1) for t in range(50))
    # An alert from the past does not move time back.
    detector.observe(1.0)
    assert detector.last_onset <= 5.0


def test_an_onset_revealed_by_a_late_alert_is_placed_at_that_alerts_time() -> None:
    detector = BurstDetector(BurstSettings())
    assert not any(detector.observe(t * 20.0) for t in range(10))
    detector.observe(400.0)  # the latest event time seen so far
    # A burst of 30 s earlier, delivered after that alert.
    onsets = [detector.observe(370.0 + t * 0.2) for t in range(30)]
    assert sum(onsets) == 1
    # Where the alert that revealed it stands, so the incident it opens is the burst's.
    revealed_by = 370.0 + onsets.index(True) * 0.2
    assert detector.last_onset == revealed_by
    # Spacing counts from when it was found, the latest time seen then.
    assert not any(detector.observe(560.0 + t * 0.1) for t in range(50))
    assert sum(detector.observe(600.0 + t * 0.1) for t in range(50)) == 1


def test_alerts_far_out_of_order_make_no_burst_now() -> None:
    detector = BurstDetector(BurstSettings(slow=300.0))
    detector.observe(10_000.0)
    # A backfill of an hour ago: no onset, and nothing counted toward the next one.
    assert not any(detector.observe(6_400.0 + t * 0.1) for t in range(50))
    assert detector.last_onset == float("-inf")
    assert not any(detector.observe(10_001.0 + t * 2.0) for t in range(5))
    # The same alerts a minute late are part of what is going on now.
    assert any(detector.observe(9_950.0 + t * 0.1) for t in range(50))


def test_untrained_engine_keeps_overlapping_look_alike_storms_apart() -> None:
    alerts, truth = overlapping_storms(storms=12, spacing=300.0)
    verdicts = CorrelationEngine().decide(alerts)
    result = score([v.incident_id for v in verdicts], truth)
    window = score(time_window(alerts), truth)
    # A 5-minute time window scores about 0.54 here; chaining everything about 0.1.
    assert result.pairwise_precision > 0.6
    assert result.pairwise_f1 > max(0.6, window.pairwise_f1 + 0.05)
    assert len({v.incident_id for v in verdicts}) < len(alerts) / 10


def test_untrained_engine_does_not_chain_unrelated_services_by_time_alone() -> None:
    # Thirty services, each alerting once a minute, interleaved every 2 s, for an hour.
    alerts = [
        alert(f"n{i}", f"svc{i % 30}", i * 2.0, f"Rule{i % 30}", pod=i % 30) for i in range(1800)
    ]
    verdicts = CorrelationEngine().decide(alerts)
    by_incident: dict[str, set[str]] = {}
    for facts, verdict in zip(alerts, verdicts, strict=True):
        by_incident.setdefault(verdict.incident_id, set()).add(facts.service)
    assert max(len(services) for services in by_incident.values()) == 1


def test_burst_signals_explain_a_join() -> None:
    alerts, _ = overlapping_storms(storms=2, spacing=300.0, seed=9)
    engine = CorrelationEngine()
    verdicts = engine.decide(alerts)
    second = [v for a, v in zip(alerts, verdicts, strict=True) if a.id.startswith("f1-")]
    assert any("burst" in {s.name for s in v.signals} for v in second if not v.opened)
    assert T0 + timedelta(seconds=engine.bursts.last_onset - T0.timestamp()) > T0
