"""`vigil demo` against a live server: set-up, replay, summary, and its input checks."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from pathlib import Path

import pytest

from tests.support import ADMIN_TOKEN, GraphQLClient, LiveServer
from vigil.cli import main
from vigil.demo import BUNDLED_STREAM

SERVICES = "{ services { id name dependsOn } }"
WHO_IS_ON_CALL = "query($id: ID!) { whoIsOnCall(serviceId: $id) { name } }"


async def _vigil_demo(*args: str) -> tuple[int, str, str]:
    """Runs the real command in a child process while this loop keeps serving."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "vigil.cli",
        "demo",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


def _figure(output: str, name: str) -> float:
    match = re.search(rf"^{name}:\s+([0-9.]+)", output, re.M)
    assert match, f"no '{name}' in:\n{output}"
    return float(match.group(1))


async def test_the_demo_sets_up_the_boutique_and_replays_the_bundled_storm(
    server: LiveServer, client: GraphQLClient
) -> None:
    code, out, err = await _vigil_demo(
        "--url", server.url, "--token", ADMIN_TOKEN, "--speed", "5000x"
    )
    assert code == 0, err

    bundled = len(BUNDLED_STREAM.read_text().splitlines())
    assert _figure(out, "alerts sent") == bundled
    incidents = _figure(out, "incidents")
    # Three faults; whatever the engine's settings, related alerts must share incidents.
    assert 1 <= incidents < bundled / 2
    assert _figure(out, "noise reduction") == pytest.approx(
        100 * (1 - incidents / bundled), abs=0.1
    )
    assert 0 < _figure(out, "pairwise precision") <= 1
    assert 0 < _figure(out, "pairwise recall") <= 1
    assert "replaying" in err, "the progress bar goes to stderr"

    services = {s["name"]: s for s in (await client.data(SERVICES))["services"]}
    assert {"frontend", "checkoutservice", "cartservice", "redis-cart"} <= services.keys()
    assert "redis-cart" in services["cartservice"]["dependsOn"]
    assert "paymentservice" in services["checkoutservice"]["dependsOn"]
    on_call = await client.data(WHO_IS_ON_CALL, {"id": services["frontend"]["id"]})
    assert on_call["whoIsOnCall"] == [{"name": "admin"}]


async def test_the_demo_runs_again_with_any_stream(server: LiveServer, tmp_path: Path) -> None:
    stream = tmp_path / "small.jsonl"
    rows = [
        {
            "id": f"a{n}",
            "occurred_at": f"2024-01-01T00:00:0{n}Z",
            "service": "cartservice",
            "summary": f"cart errors {n}",
            "severity": "critical",
            "truth": "fault-1",
        }
        for n in range(3)
    ]
    stream.write_text("\n".join(json.dumps(row) for row in rows) + "\n")

    code, out, err = await _vigil_demo(
        "--url", server.url, "--token", ADMIN_TOKEN, "--stream", str(stream), "--speed", "100"
    )
    assert code == 0, err
    assert "(0 new)" in err, "services of the first run are reused"
    assert _figure(out, "alerts sent") == 3
    assert _figure(out, "pairwise recall") == 1.0


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--url", "localhost:8000"], "--url must be an http(s) URL"),
        (["--stream", "/nonexistent/stream.jsonl"], "cannot use the stream"),
        (["--speed", "0"], "--speed must be a number above 0"),
        (["--speed", "fast"], "--speed must be a number above 0"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["demo", "--token", ADMIN_TOKEN, *arguments])
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "hint:" in err


def test_an_unreadable_stream_line_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = tmp_path / "broken.jsonl"
    stream.write_text('{"id": "a", "occurred_at": "yesterday", "service": "s", "summary": "x"}\n')
    assert main(["demo", "--token", ADMIN_TOKEN, "--stream", str(stream)]) == 2
    assert f"{stream}:1" in capsys.readouterr().err


def test_the_demo_needs_a_token(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VIGIL_ADMIN_TOKEN", raising=False)
    assert main(["demo"]) == 2
    assert "no API token" in capsys.readouterr().err


async def test_an_unreachable_server_is_reported(server: LiveServer) -> None:
    code, _, err = await _vigil_demo("--url", "http://127.0.0.1:9", "--token", ADMIN_TOKEN)
    assert code == 2
    assert "cannot reach http://127.0.0.1:9/graphql" in err
