"""`vigil correlate`: evaluate the correlation engine on a labelled stream, or draw it.

The engine never sees STREAM's ``truth``; only --history's, which stands for
incidents analysts have reviewed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tqdm import tqdm

from correlation.evaluation import evaluate, threshold_curve, truth_of
from correlation.model import CorrelationModel
from correlation.streams import InputError, StreamAlert, read_stream, read_topology
from correlation.topology import Topology
from correlation.training import train

_CURVE = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    evaluate_parser = actions.add_parser(
        "evaluate", help="Score the engine and the usual rules against a labelled stream."
    )
    report_parser = actions.add_parser(
        "report", help="Draw precision/recall against the threshold, and incident timelines."
    )
    for sub in (evaluate_parser, report_parser):
        sub.add_argument("stream", type=Path, metavar="STREAM.jsonl")
        sub.add_argument(
            "--history",
            type=Path,
            metavar="HISTORY.jsonl",
            help="Reviewed alerts (with truth) to learn from.",
        )
        sub.add_argument(
            "--topology",
            type=Path,
            metavar="TOPOLOGY.json",
            help="A {nodes, edges} object, or a file of several systems.",
        )
        sub.add_argument("--system", metavar="NAME", help="Which system of --topology.")
    evaluate_parser.add_argument(
        "--assignments",
        type=Path,
        metavar="OUT.jsonl",
        help="Write {id, incident} for every alert.",
    )
    evaluate_parser.add_argument("--json", action="store_true", help="Print JSON.")
    report_parser.add_argument("--out", type=Path, required=True, metavar="DIR")


def run(args: argparse.Namespace) -> int:
    try:
        stream, model, topology = _inputs(args)
        if args.action == "evaluate":
            return _evaluate(args, stream, model, topology)
        return _report(args, stream, model, topology)
    except InputError as exc:
        print(f"vigil correlate: {exc}", file=sys.stderr)
        return 2


def _inputs(
    args: argparse.Namespace,
) -> tuple[list[StreamAlert], CorrelationModel, Topology | None]:
    if args.system is not None and args.topology is None:
        raise InputError("--system needs --topology")
    topology = read_topology(args.topology, args.system) if args.topology is not None else None
    stream = read_stream(args.stream)
    model = CorrelationModel.default()
    if args.history is not None:
        history = read_stream(args.history)
        unlabelled = next((h.alert.id for h in history if h.truth is None), None)
        if unlabelled is not None:
            raise InputError(f"{args.history}: alert {unlabelled!r} has no 'truth' to learn from")
        with tqdm(total=None, desc="learning from history", unit="step", file=sys.stderr) as bar:
            model = train(
                [(h.alert, h.truth or "") for h in history],
                topology,
                progress=lambda step: _step(bar, step),
            )
    return stream, model, topology


def _step(bar: tqdm[Any], step: str) -> None:
    bar.set_postfix_str(step)
    bar.update(1)


def _evaluate(
    args: argparse.Namespace,
    stream: list[StreamAlert],
    model: CorrelationModel,
    topology: Topology | None,
) -> int:
    with tqdm(total=len(stream), desc="correlating", unit="alert", file=sys.stderr) as bar:
        report, run = evaluate(stream, model, topology, progress=bar.update)
    report["stream"] = str(args.stream)
    report["history"] = str(args.history) if args.history is not None else None
    if args.assignments is not None:
        args.assignments.parent.mkdir(parents=True, exist_ok=True)
        with args.assignments.open("w", encoding="utf-8") as out:
            for verdict in run.verdicts:
                out.write(json.dumps({"id": verdict.alert_id, "incident": verdict.incident_id}))
                out.write("\n")
    print(json.dumps(report, indent=2) if args.json else _table(report))
    return 0


def _row(name: str, scores: dict[str, Any], oracle_nr: float) -> str:
    return (
        f"{name:<46} {scores['pairwise_precision']:>6.3f} {scores['pairwise_recall']:>6.3f} "
        f"{scores['pairwise_f1']:>6.3f}  {scores['bcubed_precision']:>6.3f} "
        f"{scores['bcubed_recall']:>6.3f} {scores['bcubed_f1']:>6.3f}  "
        f"{scores['noise_reduction']:>6.3f} / {oracle_nr:.3f}"
    )


def _table(report: dict[str, Any]) -> str:
    oracle_nr = report["oracle"]["noise_reduction"]
    engine = report["engine"]
    lines = [
        f"{report['stream']}: {report['alerts']} alerts, {report['oracle']['incidents']} true "
        f"incidents",
        f"{'':<46} {'pairwise P/R/F1':>20}  {'B-cubed P/R/F1':>20}  {'noise red. / oracle':>19}",
        _row("engine" + (" (learned)" if engine["trained"] else " (defaults)"), engine, oracle_nr),
    ]
    lines += [_row(name, scores, oracle_nr) for name, scores in report["baselines"].items()]
    speed = engine["alerts_per_second"]
    lines.append(f"engine speed: {speed:,.0f} alerts/s" if speed else "engine speed: n/a")
    return "\n".join(lines)


def _report(
    args: argparse.Namespace,
    stream: list[StreamAlert],
    model: CorrelationModel,
    topology: Topology | None,
) -> int:
    from correlation.plots import threshold_plot, timeline_plot

    args.out.mkdir(parents=True, exist_ok=True)
    curve = []
    for threshold in tqdm(_CURVE, desc="threshold sweep", unit="run", file=sys.stderr):
        curve.extend(threshold_curve(stream, model, topology, [threshold]))
    threshold_plot(curve, model.threshold, args.out / "precision_recall_threshold.png")
    with tqdm(total=len(stream), desc="correlating", unit="alert", file=sys.stderr) as bar:
        _, run = evaluate(stream, model, topology, progress=bar.update)
    timeline_plot(stream, run.incidents, truth_of(stream), args.out / "incident_timeline.png")
    (args.out / "threshold_curve.json").write_text(json.dumps(curve, indent=2))
    print(
        f"wrote {args.out}/precision_recall_threshold.png, incident_timeline.png", file=sys.stderr
    )
    return 0
