"""One-off mends: run until one completes, then skipped."""

from __future__ import annotations

import pytest

from domain.store.database import Database
from domain.store.migrations import run_once
from tests.support import unique


async def test_a_mend_runs_until_it_completes_once(db: Database) -> None:
    name = unique("mend")
    runs: list[str] = []

    async def failing() -> int:
        runs.append("failed")
        raise RuntimeError("store went away")

    async def mend() -> int:
        runs.append("mended")
        return 3

    with pytest.raises(RuntimeError):
        await run_once(db, name, failing)
    assert await run_once(db, name, mend) == 3
    assert await run_once(db, name, mend) is None
    assert runs == ["failed", "mended"]
    assert await run_once(db, unique("other"), mend) == 3, "each mend is recorded on its own"
