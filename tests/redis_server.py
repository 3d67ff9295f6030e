"""A real `redis-server` for the replica tests and the Redis drill, on a free port.

It can be killed (SIGKILL) and started again on the same port, as the drill needs.
Nothing is persisted: Redis carries only live events here.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from bench._server import die_with_parent
from domain.store.embedded import free_loopback_port
from tests.support import require_program

START_TIMEOUT_S = 15.0


@dataclass
class RedisServer:
    program: str
    port: int
    log: Path
    process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        with self.log.open("a") as log:
            self.process = await asyncio.create_subprocess_exec(
                self.program,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent,
            )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT_S
        while not await self._answers():
            if self.process.returncode is not None or time.monotonic() > deadline:
                raise AssertionError(f"redis-server did not start:\n{self.log.read_text()}")
            await asyncio.sleep(0.05)

    async def kill(self) -> None:
        """SIGKILL: connections drop without a goodbye."""
        assert self.process is not None
        self.process.kill()
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            await self.kill()

    async def _answers(self) -> bool:
        with contextlib.suppress(OSError):
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
            try:
                writer.write(b"PING\r\n")
                await writer.drain()
                return (await asyncio.wait_for(reader.readline(), 1)) == b"+PONG\r\n"
            except (OSError, TimeoutError):
                return False
            finally:
                writer.close()
        return False


@contextlib.asynccontextmanager
async def redis_server(tmp: Path) -> AsyncIterator[RedisServer]:
    """A running redis-server; skips the test without one (fails under
    VIGIL_TEST_REQUIRE_ALL=1)."""
    server = RedisServer(require_program("redis-server"), free_loopback_port(), tmp / "redis.log")
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
