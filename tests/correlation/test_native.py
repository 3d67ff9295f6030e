"""The compiled correlation modules: used when built from the sources in the tree,
never otherwise, and deciding exactly what the sources decide."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from correlation import native
from correlation.build_native import copy_sources
from tests.support import skip_for_machine

REPO = Path(__file__).resolve().parents[2]


def require_compiled() -> None:
    if not native.is_fresh():
        skip_for_machine(
            "the correlation modules are not compiled here (`make native` needs a C compiler)"
        )


def decide_storm(first_on_path: Path) -> dict[str, Any]:
    """``decide_storm.py`` in a process that imports ``correlation`` from ``first_on_path``."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.correlation.decide_storm"],
        cwd=first_on_path,  # `-m` puts the working directory first on sys.path
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_a_fresh_build_is_the_one_imported() -> None:
    require_compiled()
    assert "engine" in native.COMPILED
    for name in native.COMPILED:
        module = importlib.import_module(f"correlation.{name}")
        assert module.__file__ is not None and module.__file__.endswith(native.EXTENSION)


def test_compiled_engine_decides_exactly_like_the_sources(tmp_path: Path) -> None:
    require_compiled()
    copy_sources(tmp_path)
    compiled = decide_storm(REPO)
    sources = decide_storm(tmp_path)
    assert compiled["engine"].endswith(native.EXTENSION)
    assert sources["engine"] == str(tmp_path / "correlation" / "engine.py")
    assert len(compiled["verdicts"]) == 480
    # Incidents were both joined and opened, so the comparison covers both paths.
    assert {v[2] for v in sources["verdicts"]} == {True, False}
    assert compiled["verdicts"] == sources["verdicts"]


def test_a_build_is_fresh_only_for_the_sources_it_was_built_from(tmp_path: Path) -> None:
    package = copy_sources(tmp_path)
    built = tmp_path / "compiled"
    assert not native.is_fresh(built, package)  # nothing built
    built.mkdir()
    (built / native.STAMP).write_text(native.fingerprint(package) + "\n")
    assert native.is_fresh(built, package)
    engine = package / "engine.py"
    engine.write_text(engine.read_text() + "\n# edited\n")
    assert not native.is_fresh(built, package)


def test_a_stale_build_stays_off_the_search_path(tmp_path: Path) -> None:
    stale = tmp_path / "compiled"
    stale.mkdir()
    (stale / native.STAMP).write_text("built from other sources\n")
    search: list[str] = ["correlation"]
    assert not native.activate(search, stale)
    assert search == ["correlation"]
