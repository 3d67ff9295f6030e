"""Shared by the benchmarks: a live `vigil serve` on its own embedded store, and small helpers.

The bench process starts nx-27017 itself (``EmbeddedStore``) and hands its URI to a
separate `vigil serve` process, so that

* the server does not share a GIL with the load generator, and
* the bench can reach the very store the server writes to (raw-insert baseline).

Everything lives in one temporary directory that is removed on exit, also on an
error or Ctrl-C.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # `python bench/x.py` puts bench/, not the repo, on sys.path
    sys.path.insert(0, str(REPO_ROOT))

from domain.store.embedded import EmbeddedStore, free_loopback_port  # noqa: E402

STREAMS_DIR = (REPO_ROOT / ".." / "shared" / "data" / "streams").resolve()
T = TypeVar("T")

_START_TIMEOUT_S = 60.0
_STOP_TIMEOUT_S = 10.0
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True, slots=True)
class LiveServer:
    url: str
    """Base URL, e.g. http://127.0.0.1:PORT"""
    ws_url: str
    """The GraphQL websocket endpoint."""
    token: str
    """Admin API token (VIGIL_ADMIN_TOKEN)."""
    mongodb_uri: str
    database: str
    pid: int
    """The `vigil serve` process."""
    store_pid: int
    """The nx-27017 process."""

    @property
    def graphql_url(self) -> str:
        return f"{self.url}/graphql"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


class BenchError(RuntimeError):
    """The benchmark could not run (server did not start, GraphQL errors, ...)."""


def run_main(main: Coroutine[Any, Any, T]) -> T:
    """asyncio.run, with SIGTERM handled like Ctrl-C: cleanup runs, KeyboardInterrupt is raised."""

    async def guarded() -> T:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
        try:
            return await main
        finally:
            loop.remove_signal_handler(signal.SIGTERM)

    try:
        return asyncio.run(guarded())
    except asyncio.CancelledError:
        raise KeyboardInterrupt from None


def report(
    script: str,
    main: Coroutine[Any, Any, dict[str, Any]],
    summary: Callable[[dict[str, Any]], str],
    *,
    as_json: bool,
) -> int:
    """Run a benchmark and print its result (one JSON object, or the summary); exit code."""
    try:
        result = run_main(main)
    except BenchError as exc:
        print(f"{script}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{script}: interrupted", file=sys.stderr)
        return 130
    if as_json:
        print(json.dumps({k: v for k, v in result.items() if not k.startswith("_")}))
    else:
        print(summary(result))
    return 0


def die_with_parent() -> None:
    """Linux: the kernel sends SIGTERM to the server if the bench is killed outright."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@contextlib.asynccontextmanager
async def live_server(
    *, database: str = "vigil_bench", profile: Path | None = None, engine: str = "window"
) -> AsyncIterator[LiveServer]:
    """Start nx-27017 and `vigil serve` on loopback; stop both and remove their files on exit.

    `engine`: the correlation engine (`VIGIL_CORRELATION_ENGINE`). The rule by default:
    the benchmarks count on one incident per service, and send a stream's batches out of
    event-time order, which only the rule (which keeps no state) takes as it would in order.

    With `profile` (an absolute path), the server runs under cProfile and writes its stats
    there when it stops.
    """
    tmp = Path(tempfile.mkdtemp(prefix="vigil-bench-"))
    store = EmbeddedStore(tmp / "store")
    server: asyncio.subprocess.Process | None = None
    log_path = tmp / "server.log"
    log_file: TextIO | None = None
    try:
        uri = await store.start()
        port = free_loopback_port()
        token = "vgl_bench_" + secrets.token_urlsafe(24)
        env = {
            **os.environ,
            "VIGIL_MONGODB_URI": uri,
            "VIGIL_DATABASE": database,
            "VIGIL_ADMIN_TOKEN": token,
            "VIGIL_HOST": "127.0.0.1",
            "VIGIL_PORT": str(port),
            "VIGIL_LOG_LEVEL": "WARNING",
            "VIGIL_CORRELATION_ENGINE": engine,
            "VIGIL_DATA_DIR": str(tmp / "data"),
            "PYTHONUNBUFFERED": "1",
        }
        log_file = log_path.open("w")
        profiler = ["-m", "cProfile", "-o", str(profile)] if profile else []
        server = await asyncio.create_subprocess_exec(
            sys.executable, *profiler, "-m", "vigil.cli", "serve",
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,  # only a prctl call: safe between fork and exec
        )  # fmt: skip
        live = LiveServer(
            url=f"http://127.0.0.1:{port}",
            ws_url=f"ws://127.0.0.1:{port}/graphql",
            token=token,
            mongodb_uri=uri,
            database=database,
            pid=server.pid,
            store_pid=int(store.pid_file.read_text().strip()),
        )
        await _wait_healthy(live, server, log_path)
        yield live
    finally:
        if server is not None and server.returncode is None:
            # uvicorn re-raises the signal after its graceful shutdown: SIGTERM would then end
            # the process before cProfile writes its stats; SIGINT unwinds through it.
            server.send_signal(signal.SIGINT if profile else signal.SIGTERM)
            try:
                await asyncio.wait_for(server.wait(), _STOP_TIMEOUT_S)
            except TimeoutError:
                server.kill()
                await server.wait()
        if log_file is not None:
            log_file.close()
        await store.stop()
        shutil.rmtree(tmp, ignore_errors=True)


async def _wait_healthy(live: LiveServer, server: asyncio.subprocess.Process, log: Path) -> None:
    deadline = time.monotonic() + _START_TIMEOUT_S
    async with httpx.AsyncClient(timeout=2.0, trust_env=False) as http:
        while True:
            if server.returncode is not None:
                raise BenchError(
                    f"vigil serve exited with code {server.returncode} while starting:\n"
                    + _tail(log)
                )
            with contextlib.suppress(httpx.HTTPError):
                if (await http.get(f"{live.url}/healthz")).status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise BenchError(
                    f"vigil serve did not become healthy within {_START_TIMEOUT_S:.0f} s:\n"
                    + _tail(log)
                )
            await asyncio.sleep(0.1)


async def graphql(
    http: httpx.AsyncClient,
    server: LiveServer,
    query: str,
    variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """POST one operation; return `data`, raising BenchError on any GraphQL or HTTP error."""
    response = await http.post(
        server.graphql_url,
        json={"query": query, "variables": variables or {}},
        headers=server.headers,
    )
    try:
        body = response.json()
    except ValueError:
        raise BenchError(f"HTTP {response.status_code}: {response.text[:300]}") from None
    if response.status_code != 200 or body.get("errors"):
        raise BenchError(f"HTTP {response.status_code}: {str(body.get('errors', body))[:500]}")
    data: dict[str, Any] = body["data"]
    return data


INCIDENT_IDS_QUERY = """
query IncidentIds($after: String) {
  incidents(first: 100, after: $after) {
    edges { node { id } }
    pageInfo { endCursor hasNextPage }
  }
}
"""


async def count_incidents(http: httpx.AsyncClient, server: LiveServer) -> int:
    """All incidents, by paging through the `incidents` query (distinct ids)."""
    seen: set[str] = set()
    after: str | None = None
    while True:
        page = (await graphql(http, server, INCIDENT_IDS_QUERY, {"after": after}))["incidents"]
        seen.update(edge["node"]["id"] for edge in page["edges"])
        if not page["pageInfo"]["hasNextPage"]:
            return len(seen)
        after = page["pageInfo"]["endCursor"]


def resolve_stream(name_or_path: str) -> Path:
    """A path as given, or a stream name looked up in ../shared/data/streams/."""
    path = Path(name_or_path)
    if path.exists():
        return path
    candidate = STREAMS_DIR / (
        name_or_path if name_or_path.endswith(".jsonl") else f"{name_or_path}.jsonl"
    )
    if candidate.exists():
        return candidate
    raise BenchError(f"No stream at {path} or {candidate}.")


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


class Progress:
    """A one-line progress bar on stderr; sparse plain lines when stderr is not a terminal."""

    def __init__(self, label: str, total: int, *, stream: TextIO = sys.stderr) -> None:
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self._stream = stream
        self._tty = stream.isatty()
        self._started = time.monotonic()
        self._last_draw = 0.0
        self._interval = 0.1 if self._tty else 5.0
        self._drawn = -1

    def advance(self, amount: int = 1) -> None:
        self.done = min(self.total, self.done + amount)
        now = time.monotonic()
        if now - self._last_draw >= self._interval:
            self._draw(now)

    def _draw(self, now: float) -> None:
        self._last_draw = now
        self._drawn = self.done
        width = 30
        filled = width * self.done // self.total
        line = (
            f"{self.label} [{'#' * filled}{'.' * (width - filled)}] "
            f"{self.done}/{self.total} {now - self._started:5.1f}s"
        )
        self._stream.write(f"\r{line}" if self._tty else f"{line}\n")
        self._stream.flush()

    def close(self) -> None:
        if self._drawn != self.done:
            self._draw(time.monotonic())
        if self._tty:
            self._stream.write("\n")
            self._stream.flush()


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU time of a process (all its threads); this process if None."""
    if pid is None:
        times = os.times()
        return times.user + times.system
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)"; utime, stime are 14, 15
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


class CpuMeter:
    """CPU seconds each named process spent between start() and stop()."""

    def __init__(self, pids: dict[str, int | None]) -> None:
        self._pids = pids
        self._start: dict[str, float] = {}
        self.used: dict[str, float] = {}

    def start(self) -> None:
        self._start = {name: cpu_seconds(pid) for name, pid in self._pids.items()}

    def stop(self) -> dict[str, float]:
        self.used = {
            name: round(cpu_seconds(pid) - self._start[name], 2) for name, pid in self._pids.items()
        }
        return self.used


def warn_if_busy(threshold: float = 0.7) -> None:
    """Benchmarks on a shared 2-core machine mean little while something else runs."""
    load = os.getloadavg()[0]
    if load > threshold:
        note(
            f"warning: 1-minute load average is {load:.2f} before the run; other work on this "
            "machine will distort the figures"
        )


def note(message: str) -> None:
    """A status line on stderr (stdout is kept for the result)."""
    print(message, file=sys.stderr, flush=True)
