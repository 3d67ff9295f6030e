"""Clustering quality of a grouping against the true one.

Pairwise scores count pairs of alerts put together; B-cubed scores average,
per alert, how pure and how complete its predicted incident is. Noise
reduction alone rewards over-merging, so it is always shown beside the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Scores:
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    noise_reduction: float
    incidents: int
    alerts: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def noise_reduction(labels: Sequence[Hashable]) -> float:
    """1 - incidents / alerts."""
    return 1.0 - len(set(labels)) / len(labels) if labels else 0.0


def score(predicted: Sequence[Hashable], truth: Sequence[Hashable]) -> Scores:
    """Scores of ``predicted`` incident labels against ``truth``, one label per alert each."""
    if len(predicted) != len(truth):
        raise ValueError("predicted and true labels must be given for the same alerts")
    n = len(predicted)
    if n == 0:
        return Scores(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0)
    cells = Counter(zip(predicted, truth, strict=True))
    pred_sizes = Counter(predicted)
    true_sizes = Counter(truth)
    together = sum(_pairs(c) for c in cells.values())
    pred_pairs = sum(_pairs(c) for c in pred_sizes.values())
    true_pairs = sum(_pairs(c) for c in true_sizes.values())
    # No pair predicted (or none true) is vacuously precise (or complete).
    precision = together / pred_pairs if pred_pairs else 1.0
    recall = together / true_pairs if true_pairs else 1.0
    b_precision = sum(c * c / pred_sizes[p] for (p, _), c in cells.items()) / n
    b_recall = sum(c * c / true_sizes[t] for (_, t), c in cells.items()) / n
    return Scores(
        pairwise_precision=precision,
        pairwise_recall=recall,
        pairwise_f1=_f1(precision, recall),
        bcubed_precision=b_precision,
        bcubed_recall=b_recall,
        bcubed_f1=_f1(b_precision, b_recall),
        noise_reduction=noise_reduction(predicted),
        incidents=len(pred_sizes),
        alerts=n,
    )
