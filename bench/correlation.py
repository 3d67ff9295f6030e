"""Correlation engine speed and memory, offline and live, on one core.

* offline: alerts per second deciding a long generated storm in batches of 1,000
  (and on ``../shared/data/streams/ob1-released.jsonl`` when it is there);
  target >= 20,000/s.
* live: p99 latency of one decision with 1,000 open incidents; target < 2 ms.
* memory: working-set size and RSS growth over a long replay; must stay bounded.

``compiled`` says whether the engine's hot modules ran compiled (``make native``).

Prints JSON with ``--json``, a short table otherwise.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # `python bench/x.py` puts bench/, not the repo, on sys.path
    sys.path.insert(0, str(REPO_ROOT))

import correlation.engine  # noqa: E402
from correlation import native  # noqa: E402
from correlation.engine import CorrelationEngine  # noqa: E402
from correlation.interface import AlertFacts  # noqa: E402
from correlation.streams import read_stream  # noqa: E402

T0 = datetime(2026, 11, 26, tzinfo=UTC)
REAL_STREAM = (REPO_ROOT / ".." / "shared" / "data" / "streams" / "ob1-released.jsonl").resolve()
RULES = ["HighLatency", "ErrorRate", "PodRestart", "DiskPressure", "QueueBacklog", "OOMKilled"]


def storm(count: int, services: int, seed: int = 7, rate: float = 5.0) -> list[AlertFacts]:
    """Bursty incidents on random services, ``rate`` alerts per second of event time."""
    rng = random.Random(seed)
    alerts: list[AlertFacts] = []
    moment = 0.0
    while len(alerts) < count:
        root = rng.randrange(services)
        rule = rng.choice(RULES)
        for step in range(rng.randint(1, 40)):
            moment += rng.expovariate(rate)
            service = f"svc{(root + step % 3) % services}"
            pod = rng.randrange(3)
            alerts.append(
                AlertFacts(
                    id=f"a{len(alerts)}",
                    service=service,
                    occurred_at=T0 + timedelta(seconds=moment),
                    severity="warning",
                    source="prometheus",
                    summary=f"{rule} on {service}-{pod}: {rng.random() * 100:.1f}",
                    labels={"alertname": rule, "pod": f"{service}-{pod}", "host": f"node-{pod}"},
                )
            )
    return alerts[:count]


def rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4


def offline(alerts: list[AlertFacts]) -> float:
    engine = CorrelationEngine()
    started = time.perf_counter()
    for start in range(0, len(alerts), 1000):
        engine.decide(alerts[start : start + 1000])
    return len(alerts) / (time.perf_counter() - started)


def live_latency(open_incidents: int, decisions: int) -> dict[str, float]:
    engine = CorrelationEngine()
    rng = random.Random(11)
    # 1,000 incidents, all active within the last minutes, on 1,000 services.
    restored = [
        (
            AlertFacts(
                id=f"r{i}",
                service=f"svc{i}",
                occurred_at=T0 + timedelta(seconds=i * 0.2),
                severity="warning",
                source="prometheus",
                summary=f"{RULES[i % len(RULES)]} on svc{i}-0",
                labels={"pod": f"svc{i}-0", "host": f"node-{i % 20}"},
            ),
            f"INC-{i}",
        )
        for i in range(open_incidents)
    ]
    engine.restore(restored)
    assert len(engine.working_set) == open_incidents
    base = open_incidents * 0.2
    timings = []
    for n in range(decisions):
        service = f"svc{rng.randrange(open_incidents)}"
        alert = AlertFacts(
            id=f"l{n}",
            service=service,
            occurred_at=T0 + timedelta(seconds=base + n * 0.01),
            severity="critical",
            source="prometheus",
            summary=f"{rng.choice(RULES)} on {service}-1",
            labels={"pod": f"{service}-1", "host": f"node-{n % 20}"},
        )
        started = time.perf_counter()
        engine.decide([alert])
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "open_incidents": open_incidents,
        "decisions": decisions,
        "p50_ms": statistics.median(timings),
        "p99_ms": timings[int(len(timings) * 0.99) - 1],
        "max_ms": timings[-1],
    }


def memory(alerts: list[AlertFacts]) -> dict[str, Any]:
    engine = CorrelationEngine()
    samples = []
    quarter = len(alerts) // 4
    for start in range(0, len(alerts), 1000):
        engine.decide(alerts[start : start + 1000])
        if (start + 1000) % quarter < 1000:
            samples.append(
                {
                    "alerts": start + 1000,
                    "working_set": len(engine.working_set),
                    "rss_kib": rss_kib(),
                }
            )
    return {
        "samples": samples,
        "rss_growth_second_half_kib": samples[-1]["rss_kib"] - samples[1]["rss_kib"],
        "max_working_set": max(s["working_set"] for s in samples),
        "working_set_cap": engine.model.horizons.max_open,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--alerts", type=int, default=100_000)
    args = parser.parse_args()
    alerts = storm(args.alerts, services=60)
    result: dict[str, Any] = {
        # Whether the engine's hot modules ran compiled (`make native`, correlation/native.py).
        "compiled": str(correlation.engine.__file__).endswith(native.EXTENSION),
        "offline_alerts_per_second": {"generated_storm": offline(alerts)},
        "offline_target": 20_000,
        "live": live_latency(1000, 2000),
        "live_p99_target_ms": 2.0,
        "memory": memory(storm(args.alerts * 2, services=400, seed=3, rate=0.5)),
    }
    if REAL_STREAM.is_file():
        real = [entry.alert for entry in read_stream(REAL_STREAM)]
        result["offline_alerts_per_second"]["ob1-released"] = offline(real)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print("compiled" if result["compiled"] else "plain Python (not compiled)")
        for name, speed in result["offline_alerts_per_second"].items():
            print(f"offline {name}: {speed:,.0f} alerts/s (target 20,000)")
        print(f"live p99: {result['live']['p99_ms']:.3f} ms with 1,000 open incidents (target 2)")
        print(f"memory: {json.dumps(result['memory'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
