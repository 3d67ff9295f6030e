"""Chart images of a report, drawn with matplotlib for reports and dashboards.

Drawing is CPU work of tens of milliseconds: callers run :func:`render` in a thread,
never on the event loop. It uses matplotlib's object API with the Agg canvas (no
pyplot, so no global figure registry and no GUI backend), and one lock, because
matplotlib's font and text caches are shared by every thread.
"""

from __future__ import annotations

import io
import threading
from enum import StrEnum

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from domain.analytics.model import Report

_SIZE_INCHES = (9.0, 4.8)
_DPI = 100
_MTTA_COLOUR = "#4c78a8"
_MTTR_COLOUR = "#f58518"
_WORK_COLOUR = "#54a24b"
_EVENING_COLOUR = "#eeca3b"
_SLEEP_COLOUR = "#e45756"
_LABEL_CHARS = 20
_LOCK = threading.Lock()


class Chart(StrEnum):
    MTTA_MTTR = "mtta-mttr"
    """Mean time to acknowledge and to resolve per group."""
    INCIDENTS = "incidents"
    """Incidents (bars) and alerts (line) over time."""
    ON_CALL_LOAD = "oncall-load"
    """Pages per person, split into working hours, evenings/weekends and sleep hours."""


class ChartFormat(StrEnum):
    SVG = "svg"
    PNG = "png"

    @property
    def media_type(self) -> str:
        return "image/svg+xml" if self is ChartFormat.SVG else "image/png"


def render(report: Report, chart: Chart, image_format: ChartFormat) -> bytes:
    # A fixed salt makes the SVG's element ids, and so the same report's bytes, stable.
    with _LOCK, matplotlib.rc_context({"svg.hashsalt": "vigil"}):
        figure = Figure(figsize=_SIZE_INCHES, dpi=_DPI)
        FigureCanvasAgg(figure)
        # Fixed margins rather than a layout engine, which tripled the drawing time; long
        # labels are shortened to fit them.
        figure.subplots_adjust(left=0.17, right=0.92, bottom=0.22, top=0.86)
        axes = figure.add_subplot()
        _DRAW[chart](axes, report)
        period = report.period
        figure.suptitle(
            f"{period.start:%Y-%m-%d %H:%M} to {period.end:%Y-%m-%d %H:%M} UTC",
            fontsize="small",
            color="#555555",
        )
        buffer = io.BytesIO()
        # No creation date in the file either.
        metadata = {"Date": None} if image_format is ChartFormat.SVG else {"Software": None}
        figure.savefig(buffer, format=image_format.value, metadata=metadata)
        return buffer.getvalue()


def _mtta_mttr(axes: Axes, report: Report) -> None:
    axes.set_title(f"Mean time to acknowledge and resolve, by {report.grouping.value}")
    groups = [g for g in report.groups if g.figures.incidents]
    if not groups:
        _empty(axes, "No incidents in this period")
        return
    positions = list(range(len(groups)))
    width = 0.4
    mtta = [g.figures.mtta.mean_s / 60 if g.figures.mtta else 0.0 for g in groups]
    mttr = [g.figures.mttr.mean_s / 60 if g.figures.mttr else 0.0 for g in groups]
    axes.bar([p - width / 2 for p in positions], mtta, width, label="MTTA", color=_MTTA_COLOUR)
    axes.bar([p + width / 2 for p in positions], mttr, width, label="MTTR", color=_MTTR_COLOUR)
    _categories(axes, positions, [g.label for g in groups])
    axes.set_ylabel("minutes (mean)")
    axes.legend()


def _incidents(axes: Axes, report: Report) -> None:
    axes.set_title(f"Incidents and alerts per {report.over_time_grouping.value}")
    buckets = report.over_time
    positions = list(range(len(buckets)))
    axes.bar(
        positions, [b.figures.incidents for b in buckets], color=_MTTA_COLOUR, label="incidents"
    )
    axes.set_ylabel("incidents")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    alerts_axes = axes.twinx()
    alerts_axes.plot(
        positions,
        [b.figures.alerts for b in buckets],
        color=_MTTR_COLOUR,
        marker=".",
        label="alerts",
    )
    alerts_axes.set_ylabel("alerts")
    alerts_axes.set_ylim(bottom=0)
    alerts_axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    # Label at most ~15 buckets so a year of days stays readable.
    step = max(1, len(buckets) // 15)
    _categories(axes, positions[::step], [b.label for b in buckets][::step])
    lines, labels = axes.get_legend_handles_labels()
    more_lines, more_labels = alerts_axes.get_legend_handles_labels()
    axes.legend(lines + more_lines, labels + more_labels, loc="upper left")


def _on_call_load(axes: Axes, report: Report) -> None:
    axes.set_title("Pages per person (in their own time zone)")
    people = report.on_call
    if not people:
        _empty(axes, "Nobody was paged in this period")
        return
    positions = list(range(len(people)))
    working = [p.pages - p.outside_working_hours for p in people]
    evening = [p.outside_working_hours - p.sleep_hours for p in people]
    sleep = [p.sleep_hours for p in people]
    axes.barh(positions, working, color=_WORK_COLOUR, label="working hours")
    axes.barh(positions, evening, left=working, color=_EVENING_COLOUR, label="evenings, weekends")
    axes.barh(
        positions,
        sleep,
        left=[w + e for w, e in zip(working, evening, strict=True)],
        color=_SLEEP_COLOUR,
        label="sleep hours (22-07)",
    )
    axes.set_yticks(positions, [_short(p.name) for p in people])
    axes.invert_yaxis()
    axes.set_xlabel("pages")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend()


def _categories(axes: Axes, positions: list[int], labels: list[str]) -> None:
    axes.set_xticks(positions, [_short(label) for label in labels], rotation=30, ha="right")


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_CHARS else label[: _LABEL_CHARS - 1] + "…"


def _empty(axes: Axes, message: str) -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes)
    axes.set_axis_off()


_DRAW = {
    Chart.MTTA_MTTR: _mtta_mttr,
    Chart.INCIDENTS: _incidents,
    Chart.ON_CALL_LOAD: _on_call_load,
}
