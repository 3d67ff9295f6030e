"""Running the engine and the baselines over a labelled stream and scoring them."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from correlation.baselines import BASELINES
from correlation.engine import CorrelationEngine, Verdict
from correlation.metrics import Scores, score
from correlation.model import CorrelationModel
from correlation.streams import StreamAlert
from correlation.topology import Topology

BATCH = 1000


@dataclass(frozen=True, slots=True)
class EngineRun:
    verdicts: list[Verdict]
    seconds: float

    @property
    def incidents(self) -> list[str]:
        return [v.incident_id for v in self.verdicts]


def run_engine(
    stream: Sequence[StreamAlert],
    model: CorrelationModel,
    topology: Topology | None,
    progress: Callable[[int], None] | None = None,
) -> EngineRun:
    """Decide for every alert in batches, as the live path would; ``truth`` is never passed."""
    engine = CorrelationEngine(model, topology)
    alerts = [entry.alert for entry in stream]
    verdicts: list[Verdict] = []
    started = time.perf_counter()
    for start in range(0, len(alerts), BATCH):
        batch = alerts[start : start + BATCH]
        verdicts.extend(engine.decide(batch))
        if progress is not None:
            progress(len(batch))
    return EngineRun(verdicts, time.perf_counter() - started)


def truth_of(stream: Sequence[StreamAlert]) -> list[str]:
    """True incidents; an alert without one stands alone."""
    return [entry.truth or f"unlabelled:{entry.alert.id}" for entry in stream]


def evaluate(
    stream: Sequence[StreamAlert],
    model: CorrelationModel,
    topology: Topology | None,
    progress: Callable[[int], None] | None = None,
) -> tuple[dict[str, Any], EngineRun]:
    """The engine's and the baselines' scores on a stream, with the oracle's noise reduction."""
    truth = truth_of(stream)
    run = run_engine(stream, model, topology, progress)
    alerts = [entry.alert for entry in stream]
    baselines: dict[str, dict[str, Any]] = {}
    for name, baseline in BASELINES.items():
        baselines[name] = score(baseline(alerts), truth).as_dict()
    best = max(baselines, key=lambda n: baselines[n]["pairwise_f1"]) if baselines else None
    engine_scores: Scores = score(run.incidents, truth)
    report: dict[str, Any] = {
        "alerts": len(stream),
        "oracle": {
            "incidents": len(set(truth)),
            "noise_reduction": score(truth, truth).noise_reduction,
        },
        "engine": {
            **engine_scores.as_dict(),
            "alerts_per_second": len(stream) / run.seconds if run.seconds > 0 else None,
            "threshold": model.threshold,
            "trained": bool(model.metadata.get("trained")),
            "topology": topology is not None,
        },
        "baselines": baselines,
        "best_baseline": best,
    }
    return report, run


def threshold_curve(
    stream: Sequence[StreamAlert],
    model: CorrelationModel,
    topology: Topology | None,
    thresholds: Sequence[float],
) -> list[dict[str, float]]:
    """Pairwise precision and recall of the engine at each decision threshold."""
    truth = truth_of(stream)
    curve = []
    for threshold in thresholds:
        run = run_engine(stream, model.with_threshold(threshold), topology)
        scores = score(run.incidents, truth)
        curve.append(
            {
                "threshold": threshold,
                "precision": scores.pairwise_precision,
                "recall": scores.pairwise_recall,
                "f1": scores.pairwise_f1,
                "noise_reduction": scores.noise_reduction,
            }
        )
    return curve
