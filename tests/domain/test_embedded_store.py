"""The embedded store (nx-27017) as a managed child process."""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient

from domain.errors import EmbeddedStoreError, ErrorCode
from domain.store.embedded import EmbeddedStore

_MOMENT = datetime(2026, 11, 26, 15, 4, 5, 123000, tzinfo=UTC)


def _client(uri: str) -> AsyncMongoClient[dict[str, Any]]:
    return AsyncMongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=5000)


def _alive(pid: int) -> bool:
    """True while `pid` is a running (not zombie) process."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    state = stat.rsplit(")", 1)[1].split()[0]
    return state not in {"Z", "X"}


async def test_start_answers_ping_and_keeps_data_across_a_restart(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    uri = await store.start()
    try:
        client = _client(uri)
        try:
            assert (await client.admin.command("ping"))["ok"] == 1
            await client.vigil.things.insert_one({"_id": "kept", "value": 42, "at": _MOMENT})
        finally:
            await client.close()
    finally:
        await store.stop()
    assert os.listdir(store.store_dir), "the data lives under the data dir"

    again = EmbeddedStore(tmp_path)
    uri = await again.start()
    try:
        client = _client(uri)
        try:
            doc = await client.vigil.things.find_one({"_id": "kept"})
        finally:
            await client.close()
    finally:
        await again.stop()
    assert doc == {"_id": "kept", "value": 42, "at": _MOMENT}
    assert doc["at"].tzinfo is not None


async def test_pid_and_log_files_live_under_the_data_dir(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    await store.start()
    try:
        assert store.data_dir == tmp_path  # pytest's tmp_path is already resolved
        assert store.pid_file.parent == tmp_path
        assert store.log_file.parent == tmp_path
        assert store.store_dir.is_relative_to(tmp_path)
        assert store.pid_file.is_file()
        assert store.log_file.is_file()
        assert store._process is not None
        assert int(store.pid_file.read_text().strip()) == store._process.pid
    finally:
        await store.stop()
    assert not store.pid_file.exists()


async def test_leftover_server_holding_the_pid_file_is_stopped_on_next_start(
    tmp_path: Path,
) -> None:
    killed_vigil = EmbeddedStore(tmp_path)  # never stopped: stands for a Vigil killed by SIGKILL
    await killed_vigil.start()
    assert killed_vigil._process is not None
    leftover_pid = killed_vigil._process.pid
    assert _alive(leftover_pid)

    fresh = EmbeddedStore(tmp_path)
    try:
        uri = await fresh.start()
        assert fresh._process is not None
        assert fresh._process.pid != leftover_pid
        assert not _alive(leftover_pid)
        assert int(fresh.pid_file.read_text().strip()) == fresh._process.pid
        client = _client(uri)
        try:
            assert (await client.admin.command("ping"))["ok"] == 1
        finally:
            await client.close()
    finally:
        await fresh.stop()
        # Reap the leftover child (or, if the test failed, stop it) so none outlives the test.
        with contextlib.suppress(ProcessLookupError):
            await killed_vigil.stop()


async def test_start_fails_with_a_clear_error_when_data_dir_is_under_a_file(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a regular file")
    store = EmbeddedStore(blocker / "data")

    with pytest.raises(EmbeddedStoreError) as caught:
        await store.start()

    error = caught.value
    assert error.code is ErrorCode.EMBEDDED_STORE_FAILED
    assert error.extensions["code"] == "EMBEDDED_STORE_FAILED"
    assert "Cannot create the store directory" in error.message
    assert str(store.store_dir) in error.message
    assert "Not a directory" in error.message
    assert "VIGIL_DATA_DIR" in error.suggestion
    assert store._process is None


async def test_uri_of_a_store_not_running_raises_embedded_store_error(tmp_path: Path) -> None:
    with pytest.raises(EmbeddedStoreError, match="not running"):
        _ = EmbeddedStore(tmp_path).uri


async def test_stop_is_idempotent(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path)
    await store.stop()  # never started: nothing to do
    await store.start()
    assert store._process is not None
    pid = store._process.pid
    await store.stop()
    await store.stop()
    assert store._process is None
    assert not _alive(pid)
    assert not store.pid_file.exists()
