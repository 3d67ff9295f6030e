"""Precision and recall of the correlator, estimated from what people corrected.

Nobody labels every incident, so the estimate takes the grouping as it stands
now (after people's merges and splits) as the truth, and counts alert pairs:

- a merge shows pairs the correlator kept apart that belong together (missed);
- a split shows pairs the correlator put together that do not (wrong);
- every other pair of the current grouping is taken to be one the correlator got right.

So precision = right / (right + wrong) and recall = right / (right + missed), where
right = pairs now together - pairs people merged. Incidents nobody reviewed count as
correct, so the estimate is an upper bound that tightens as people review more.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PairEstimate:
    precision: float
    recall: float
    pairs_together: int
    """Alert pairs sharing an incident now."""
    merged_pairs: int
    split_pairs: int


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def from_feedback(groups: Iterable[Hashable], merged_pairs: int, split_pairs: int) -> PairEstimate:
    """The estimate for alerts labelled with their current incident (one label per alert)."""
    together = sum(pairs(n) for n in Counter(groups).values())
    right = max(together - merged_pairs, 0)
    predicted = right + split_pairs
    wanted = right + merged_pairs
    return PairEstimate(
        precision=right / predicted if predicted else 1.0,
        recall=right / wanted if wanted else 1.0,
        pairs_together=together,
        merged_pairs=merged_pairs,
        split_pairs=split_pairs,
    )
