"""Fault drills: real `vigil serve` processes and a real store, broken on purpose.

Select them with `pytest -m drill`; each prints its figures on a `DRILL` line (`-s`).
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "drill: a fault drill (multi-process, tens of seconds)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.parent.name == "drills":
            item.add_marker(pytest.mark.drill)
