"""Pictures of a correlation run an analyst would rather look at than read."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on servers and in CI

import matplotlib.pyplot as plt

from correlation.streams import StreamAlert

_MAX_TIMELINE_INCIDENTS = 400


def threshold_plot(curve: Sequence[dict[str, float]], chosen: float, path: Path) -> None:
    thresholds = [p["threshold"] for p in curve]
    figure, axes = plt.subplots(figsize=(7, 4.5))
    axes.plot(thresholds, [p["precision"] for p in curve], marker="o", label="pairwise precision")
    axes.plot(thresholds, [p["recall"] for p in curve], marker="o", label="pairwise recall")
    axes.plot(thresholds, [p["f1"] for p in curve], linestyle="--", label="pairwise F1")
    axes.axvline(chosen, color="grey", linestyle=":", label=f"model threshold {chosen:g}")
    axes.set_xlabel("decision threshold (join when score is at least)")
    axes.set_ylabel("score")
    axes.set_ylim(0, 1.02)
    axes.set_title("Precision and recall against the decision threshold")
    axes.legend(loc="lower left")
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def _spans(
    stream: Sequence[StreamAlert], labels: Sequence[str], origin: float
) -> list[tuple[float, float, int]]:
    spans: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    for entry, label in zip(stream, labels, strict=True):
        minutes = (entry.alert.occurred_at.timestamp() - origin) / 60.0
        span = spans.setdefault(label, [minutes, minutes])
        span[0], span[1] = min(span[0], minutes), max(span[1], minutes)
        counts[label] = counts.get(label, 0) + 1
    ordered = sorted(spans.items(), key=lambda item: (item[1][0], item[0]))
    # Singletons would bury the picture; the largest incidents tell the story.
    kept = sorted(ordered, key=lambda item: -counts[item[0]])[:_MAX_TIMELINE_INCIDENTS]
    keep = {label for label, _ in kept}
    return [(s, e, counts[label]) for label, (s, e) in ordered if label in keep]


def timeline_plot(
    stream: Sequence[StreamAlert], predicted: Sequence[str], truth: Sequence[str], path: Path
) -> None:
    if not stream:
        return
    origin = stream[0].alert.occurred_at.timestamp()
    figure, panes = plt.subplots(2, 1, figsize=(11, 7), sharex=True)
    for pane, labels, title, colour in (
        (panes[0], truth, "true incidents", "tab:green"),
        (panes[1], predicted, "engine incidents", "tab:blue"),
    ):
        spans = _spans(stream, labels, origin)
        for row, (start, end, count) in enumerate(spans):
            pane.plot(
                [start, max(end, start + 0.2)],
                [row, row],
                color=colour,
                linewidth=1 + min(count, 200) / 40,
            )
        pane.set_title(f"{title} ({len(set(labels))}; largest {len(spans)} drawn)")
        pane.set_ylabel("incident (by start)")
        pane.grid(alpha=0.3)
    panes[1].set_xlabel("minutes since the first alert (event time)")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
