"""`vigil correlate evaluate` and `report` on small generated streams."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.correlation.streams import TOPOLOGY, incident_rows, write_stream
from vigil.cli import main


@pytest.fixture
def stream(tmp_path: Path) -> Path:
    return write_stream(tmp_path / "stream.jsonl", incident_rows(seed=5, incidents=15, spacing=200))


@pytest.fixture
def history(tmp_path: Path) -> Path:
    rows = incident_rows(seed=6, incidents=25, spacing=200, start=-20_000, prefix="h")
    return write_stream(tmp_path / "history.jsonl", rows)


@pytest.fixture
def topologies(tmp_path: Path) -> Path:
    path = tmp_path / "topologies.json"
    path.write_text(json.dumps({"_meta": {"note": "test"}, "shop": TOPOLOGY}))
    return path


def test_evaluate_prints_engine_and_baseline_scores_and_writes_every_assignment_once(
    stream: Path,
    history: Path,
    topologies: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "assignments.jsonl"
    code = main(
        [
            "correlate",
            "evaluate",
            str(stream),
            "--history",
            str(history),
            "--topology",
            str(topologies),
            "--system",
            "shop",
            "--assignments",
            str(out),
            "--json",
        ]
    )
    assert code == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["engine"]["trained"] is True
    assert 0.0 <= report["engine"]["pairwise_f1"] <= 1.0
    assert report["engine"]["alerts_per_second"] > 0
    assert set(report["baselines"]) == {
        "alertmanager group_by[alertname,service] 5m",
        "alertmanager group_by[service] 5m",
        "pagerduty time window 5m",
    }
    assert report["oracle"]["noise_reduction"] == pytest.approx(1 - 15 / 90)
    assert "correlating" in captured.err  # the progress bar
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    ids = [json.loads(line)["id"] for line in stream.read_text().splitlines()]
    assert sorted(line["id"] for line in lines) == sorted(ids)
    assert all(isinstance(line["incident"], str) for line in lines)


def test_evaluate_without_history_reads_a_single_topology_and_prints_a_table(
    stream: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    single = tmp_path / "one.json"
    single.write_text(json.dumps(TOPOLOGY))
    assert main(["correlate", "evaluate", str(stream), "--topology", str(single)]) == 0
    table = capsys.readouterr().out
    assert "engine (defaults)" in table and "pagerduty time window 5m" in table


def test_the_engine_never_reads_truth_from_the_stream(
    stream: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [json.loads(line) for line in stream.read_text().splitlines()]
    scrambled = write_stream(tmp_path / "scrambled.jsonl", [{**r, "truth": "one"} for r in rows])
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    main(["correlate", "evaluate", str(stream), "--assignments", str(first)])
    main(["correlate", "evaluate", str(scrambled), "--assignments", str(second)])
    capsys.readouterr()
    assert first.read_text() == second.read_text()


def test_input_errors_exit_2_with_a_clear_message(
    stream: Path, topologies: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["correlate", "evaluate", str(tmp_path / "missing.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err

    broken = tmp_path / "broken.jsonl"
    lines = stream.read_text().splitlines()
    broken.write_text("\n".join([lines[0], lines[1], "{not json", *lines[2:]]) + "\n")
    assert main(["correlate", "evaluate", str(broken)]) == 2
    assert f"{broken}:3: not valid JSON" in capsys.readouterr().err

    assert (
        main(
            [
                "correlate",
                "evaluate",
                str(stream),
                "--topology",
                str(topologies),
                "--system",
                "nope",
            ]
        )
        == 2
    )
    assert "unknown system 'nope'" in capsys.readouterr().err

    assert main(["correlate", "evaluate", str(stream), "--topology", str(topologies)]) == 2
    assert "--system" in capsys.readouterr().err


def test_report_writes_the_plots(stream: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert main(["correlate", "report", str(stream), "--out", str(out)]) == 0
    assert (out / "precision_recall_threshold.png").stat().st_size > 1000
    assert (out / "incident_timeline.png").stat().st_size > 1000
