"""Summaries of durations."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from domain.analytics.model import DurationStats


def duration_stats(samples_s: Sequence[float]) -> DurationStats | None:
    """Mean, median and 90th percentile (nearest rank) of durations in seconds."""
    if not samples_s:
        return None
    ordered = sorted(samples_s)
    # Nearest rank rather than interpolation: the p90 is a duration that really happened.
    rank = math.ceil(0.9 * len(ordered))
    return DurationStats(
        count=len(ordered),
        mean_s=statistics.fmean(ordered),
        median_s=float(statistics.median(ordered)),
        p90_s=ordered[rank - 1],
    )
