"""Pairwise, B-cubed and noise-reduction scores on hand-computed groupings."""

from __future__ import annotations

import pytest

from correlation.metrics import noise_reduction, score


def test_a_split_incident_keeps_precision_and_loses_recall() -> None:
    result = score(["a", "a", "b"], ["x", "x", "x"])
    assert result.pairwise_precision == 1.0
    assert result.pairwise_recall == pytest.approx(1 / 3)
    assert result.pairwise_f1 == pytest.approx(0.5)
    assert result.bcubed_precision == 1.0
    assert result.bcubed_recall == pytest.approx(5 / 9)
    assert result.noise_reduction == pytest.approx(1 / 3)
    assert (result.incidents, result.alerts) == (2, 3)


def test_an_over_merged_incident_keeps_recall_and_loses_precision() -> None:
    result = score(["a", "a", "a", "a"], ["x", "x", "y", "y"])
    # 6 predicted pairs, 2 of them true.
    assert result.pairwise_precision == pytest.approx(2 / 6)
    assert result.pairwise_recall == 1.0
    assert result.bcubed_precision == pytest.approx(0.5)
    assert result.bcubed_recall == 1.0
    assert result.noise_reduction == pytest.approx(0.75)


def test_a_perfect_grouping_scores_one_and_singletons_count_as_precise() -> None:
    assert score(["p", "p", "q"], ["x", "x", "y"]).pairwise_f1 == 1.0
    alone = score(["a", "b"], ["x", "y"])
    assert alone.pairwise_precision == alone.pairwise_recall == 1.0
    assert alone.noise_reduction == 0.0


def test_noise_reduction_is_one_minus_incidents_over_alerts() -> None:
    assert noise_reduction(["a"] * 9 + ["b"]) == pytest.approx(0.8)
    assert noise_reduction([]) == 0.0


def test_labels_must_cover_the_same_alerts() -> None:
    with pytest.raises(ValueError, match="same alerts"):
        score(["a"], ["x", "y"])
