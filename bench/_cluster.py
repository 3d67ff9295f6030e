"""`vigil serve` and `vigil worker` as real processes on one store the caller owns.

Shared by the escalation benchmark and the tests that kill processes. The caller
starts nx-27017 itself (``EmbeddedStore``) and hands its URI to the processes, so
killing one of them (SIGKILL) leaves the store and its data alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # `python bench/x.py` puts bench/, not the repo, on sys.path
    sys.path.insert(0, str(REPO_ROOT))

from bench._server import die_with_parent  # noqa: E402
from domain.store.embedded import EmbeddedStore  # noqa: E402

START_TIMEOUT_S = 90.0


@dataclass
class VigilProcess:
    command: str
    """serve or worker."""
    env: dict[str, str]
    log: Path
    process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log.open("a") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "vigil.cli", self.command,
                cwd=REPO_ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent,  # only a prctl call: safe between fork and exec
            )  # fmt: skip

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs."""
        assert self.process is not None
        self.process.kill()
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 15)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()

    async def wait_for_log(self, text: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while text not in self.log.read_text(errors="replace"):
            assert self.process is not None
            if self.process.returncode is not None or time.monotonic() > deadline:
                raise AssertionError(f"vigil {self.command} did not start:\n{self.tail()}")
            await asyncio.sleep(0.1)

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])


@dataclass
class Cluster:
    """One store and the Vigil processes sharing it."""

    uri: str
    database: str
    tmp: Path
    admin_token: str
    processes: list[VigilProcess]

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ,
            "VIGIL_MONGODB_URI": self.uri,
            "VIGIL_DATABASE": self.database,
            "VIGIL_ADMIN_TOKEN": self.admin_token,
            "VIGIL_DATA_DIR": str(self.tmp / "data"),
            "VIGIL_WORKER_INTERVAL_SECONDS": "1",
            "VIGIL_ESCALATION_TICK_SECONDS": "0.5",
            "VIGIL_LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }

    async def serve(self, port: int, **extra_env: str) -> VigilProcess:
        server = VigilProcess(
            "serve", self.env(VIGIL_PORT=str(port), **extra_env), self.tmp / f"serve-{port}.log"
        )
        self.processes.append(server)
        await server.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        async with httpx.AsyncClient(timeout=2.0, trust_env=False) as http:
            while True:
                assert server.process is not None
                if server.process.returncode is not None or time.monotonic() > deadline:
                    raise AssertionError(f"vigil serve did not start:\n{server.tail()}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                        return server
                await asyncio.sleep(0.1)

    async def workers(self, count: int) -> list[VigilProcess]:
        started = [
            VigilProcess("worker", self.env(), self.tmp / f"worker-{index}.log")
            for index in range(count)
        ]
        self.processes.extend(started)
        for worker in started:
            await worker.start()
        for worker in started:
            await worker.wait_for_log("running jobs every")
        return started


@contextlib.asynccontextmanager
async def cluster(tmp: Path, database: str, admin_token: str) -> AsyncIterator[Cluster]:
    store = EmbeddedStore(tmp / "store")
    uri = await store.start()
    running = Cluster(uri=uri, database=database, tmp=tmp, admin_token=admin_token, processes=[])
    try:
        yield running
    finally:
        for process in running.processes:
            await process.stop()
        await store.stop()
