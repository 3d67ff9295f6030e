"""Runs nx-27017 (a MongoDB wire-protocol server on SQLite) as a managed child.

Its data, pid and log files live under one directory. A server left running by
a Vigil that was killed with SIGKILL is found through its pid file and stopped
before a new one starts on the same files.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from pymongo import AsyncMongoClient

from domain.errors import EmbeddedStoreError

log = logging.getLogger(__name__)

_STARTUP_TIMEOUT_S = 20.0
_STOP_TIMEOUT_S = 10.0
_POLL_S = 0.05
_PR_SET_PDEATHSIG = 1


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _die_with_parent() -> None:
    """Linux: have the kernel stop the store if Vigil itself is killed."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class EmbeddedStore:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir.resolve()
        self.store_dir = self.data_dir / "store"
        self.pid_file = self.data_dir / "nx-27017.pid"
        self.log_file = self.data_dir / "nx-27017.log"
        self.port: int | None = None
        self._process: asyncio.subprocess.Process | None = None

    @property
    def uri(self) -> str:
        if self.port is None:
            raise EmbeddedStoreError("The embedded store is not running.")
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true"

    async def start(self, *, port: int | None = None) -> str:
        """Start the server, wait until it answers, and return its URI. `port`: a given
        one (to come back where clients look, after a stop), else a free one."""
        try:
            self.store_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise EmbeddedStoreError(
                f"Cannot create the store directory {self.store_dir}: {exc.strerror}.",
                suggestion="Set VIGIL_DATA_DIR to a writable directory.",
            ) from exc
        await self._stop_leftover()
        self.port = port or free_loopback_port()
        command = [
            sys.executable, "-m", "nx_27017.nx_27017",
            "--data-dir", str(self.store_dir),
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--pid-file", str(self.pid_file),
            "--log-file", str(self.log_file),
        ]  # fmt: skip
        log.info("starting embedded store on 127.0.0.1:%d (data in %s)", self.port, self.store_dir)
        self._process = await asyncio.create_subprocess_exec(
            *command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,  # only a prctl call: safe between fork and exec
        )
        await self._wait_until_answering()
        return self.uri

    async def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), _STOP_TIMEOUT_S)
        except TimeoutError:
            log.warning("embedded store ignored SIGTERM for %.0f s; killing it", _STOP_TIMEOUT_S)
            process.kill()
            await process.wait()
        self._remove_pid_file_of(process.pid)

    async def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + _STARTUP_TIMEOUT_S
        client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
            self.uri, serverSelectionTimeoutMS=250, connectTimeoutMS=250
        )
        try:
            while True:
                assert self._process is not None
                if self._process.returncode is not None:
                    raise EmbeddedStoreError(
                        f"The embedded store (nx-27017) exited with code "
                        f"{self._process.returncode} while starting. {self._log_tail()}"
                    )
                with contextlib.suppress(Exception):
                    await client.admin.command("ping")
                    return
                if time.monotonic() > deadline:
                    await self.stop()
                    raise EmbeddedStoreError(
                        f"The embedded store did not answer within {_STARTUP_TIMEOUT_S:.0f} s. "
                        f"{self._log_tail()}"
                    )
                await asyncio.sleep(_POLL_S)
        finally:
            await client.close()

    def _log_tail(self) -> str:
        try:
            lines = self.log_file.read_text(errors="replace").splitlines()[-5:]
        except OSError:
            return f"No log was written at {self.log_file}."
        return f"Last lines of {self.log_file}: " + " | ".join(lines)

    async def _stop_leftover(self) -> None:
        """Stop a server that an earlier, killed Vigil left holding our pid file."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return
        if not _is_nx_process(pid):
            self.pid_file.unlink(missing_ok=True)
            return
        log.warning("stopping a leftover embedded store (pid %d) from an earlier run", pid)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        for _ in range(int(_STOP_TIMEOUT_S / _POLL_S)):
            if not _is_nx_process(pid):
                break
            await asyncio.sleep(_POLL_S)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)

    def _remove_pid_file_of(self, pid: int) -> None:
        """nx-27017 removes its pid file on SIGTERM, not on SIGKILL; never remove another's."""
        with contextlib.suppress(OSError, ValueError):
            if int(self.pid_file.read_text().strip()) == pid:
                self.pid_file.unlink()


def _is_nx_process(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"nx_27017" in cmdline or b"nx-27017" in cmdline
