"""`vigil worker`, and the escalation tick setting."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from bench._cluster import cluster
from tests.support import ADMIN_TOKEN
from vigil.cli import main
from vigil.settings import ConfigError, Settings


def test_a_worker_refuses_to_start_without_a_mongodb_uri(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in list(os.environ):
        if name.startswith("VIGIL_"):
            monkeypatch.delenv(name)
    assert main(["worker"]) == 2
    err = capsys.readouterr().err
    assert "VIGIL_MONGODB_URI" in err
    assert "vigil serve" in err


def test_the_escalation_tick_is_a_number_of_seconds() -> None:
    assert Settings.from_env({}).escalation_tick_s == 1.0
    assert Settings.from_env({"VIGIL_ESCALATION_TICK_SECONDS": "0.5"}).escalation_tick_s == 0.5
    for bad in ("0", "61", "soon"):
        with pytest.raises(ConfigError) as caught:
            Settings.from_env({"VIGIL_ESCALATION_TICK_SECONDS": bad})
        assert caught.value.field == "VIGIL_ESCALATION_TICK_SECONDS"


async def test_a_worker_runs_on_a_shared_store_and_stops_cleanly_on_sigterm(
    tmp_path: Path,
) -> None:
    async with cluster(tmp_path, "vigil_worker", ADMIN_TOKEN) as running:
        [worker] = await running.workers(1)
        assert worker.process is not None
        worker.process.send_signal(signal.SIGTERM)
        assert await worker.process.wait() == 0
        assert "worker stopping" in worker.log.read_text()
