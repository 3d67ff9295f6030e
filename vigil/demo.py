"""`vigil demo`: the Online Boutique on a running Vigil, then a real alert storm, replayed.

Registers the services and their dependencies, an on-call schedule and an escalation
policy (where the server has them), replays a labelled stream in event-time order at
--speed, and prints what correlation made of it. Open /warroom to watch it happen.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from tqdm import tqdm

from correlation.streams import InputError, StreamAlert, read_stream
from domain.errors import ValidationError
from vigil.demo_client import DemoClient
from vigil.demo_replay import ReplayResult, replay
from vigil.demo_setup import read_topology, register

DATA = Path(__file__).with_name("demo_data")
BUNDLED_STREAM = DATA / "ob1-demo.jsonl"
TOPOLOGY = DATA / "online-boutique.json"
MAX_SPEED = 1_000_000.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url", help="The server (default: http://127.0.0.1:$VIGIL_PORT, port 8000 if unset)."
    )
    parser.add_argument("--token", help="An admin API token (default: $VIGIL_ADMIN_TOKEN).")
    parser.add_argument(
        "--stream",
        type=Path,
        default=BUNDLED_STREAM,
        metavar="STREAM.jsonl",
        help="Alerts in the shared stream format (default: 328 real Online Boutique alerts).",
    )
    parser.add_argument(
        "--speed",
        default="60",
        help="How many times faster than it happened, e.g. 60 or 60x (default: 60).",
    )


def run(args: argparse.Namespace, environ: Mapping[str, str] = os.environ) -> int:
    """Raises ValidationError for bad input; the CLI prints it with its hint."""
    url = _url(args.url, environ)
    token = args.token or environ.get("VIGIL_ADMIN_TOKEN")
    if not token:
        raise ValidationError(
            "no API token: pass --token or set VIGIL_ADMIN_TOKEN",
            suggestion="Use the admin token 'vigil serve' printed at first start.",
            field="token",
        )
    speed = _speed(args.speed)
    try:
        stream = read_stream(args.stream)
    except (InputError, OSError, UnicodeDecodeError) as exc:
        raise ValidationError(
            f"cannot use the stream: {exc}",
            suggestion="Pass a JSON-lines file in the shared stream format with --stream.",
            field="stream",
        ) from exc
    if not stream:
        raise ValidationError(f"{args.stream} holds no alerts", field="stream")
    result = asyncio.run(_demo(url, token, stream, speed))
    _print_summary(url, result, speed)
    return 0


def _url(given: str | None, environ: Mapping[str, str]) -> str:
    if given is None:
        port = environ.get("VIGIL_PORT", "8000")
        if not port.isdigit() or not 0 < int(port) <= 65535:
            raise ValidationError(
                f"VIGIL_PORT must be a port number, got {port!r}", field="VIGIL_PORT"
            )
        return f"http://127.0.0.1:{port}"
    parts = urlsplit(given)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(
            f"--url must be an http(s) URL of the server, got {given!r}",
            suggestion="For example --url http://127.0.0.1:8000",
            field="url",
        )
    return given.rstrip("/")


def _speed(raw: str) -> float:
    text = raw.strip().lower().removesuffix("x")
    try:
        speed = float(text)
    except ValueError:
        speed = float("nan")
    if not 0 < speed <= MAX_SPEED:
        raise ValidationError(
            f"--speed must be a number above 0 and at most {MAX_SPEED:g}, got {raw!r}",
            suggestion="60 replays an hour of alerts in a minute; 1 is real time.",
            field="speed",
        )
    return speed


async def _demo(url: str, token: str, stream: list[StreamAlert], speed: float) -> ReplayResult:
    async with httpx.AsyncClient(timeout=60) as http:
        client = DemoClient(http, url, token)
        setup = await register(client, read_topology(TOPOLOGY))
        print(
            f"registered {len(setup.services)} Online Boutique services "
            f"({setup.services_created} new); watch them at {url}/warroom",
            file=sys.stderr,
        )
        for note in setup.notes:
            print(f"  {note}", file=sys.stderr)
        with tqdm(total=len(stream), desc="replaying", unit="alert", file=sys.stderr) as bar:
            result = await replay(client, stream, speed=speed, progress=bar.update)
    return result


def _print_summary(url: str, result: ReplayResult, speed: float) -> None:
    rows = [
        ("alerts sent", f"{result.sent} in {result.seconds:.1f} s at {speed:g}x"),
        ("incidents", f"{result.incidents} (the alerts landed in)"),
        ("noise reduction", f"{result.noise_reduction:.1%} (1 - incidents/alerts)"),
    ]
    scores = result.scores()
    if scores is not None:
        rows += [
            ("pairwise precision", f"{scores.pairwise_precision:.3f}"),
            ("pairwise recall", f"{scores.pairwise_recall:.3f}"),
            ("pairwise F1", f"{scores.pairwise_f1:.3f} (against the stream's ground truth)"),
        ]
    rows.append(("war room", f"{url}/warroom"))
    lines = [f"{name + ':':<20}{value}" for name, value in rows]
    print("\n".join(lines))
