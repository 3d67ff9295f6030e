"""One live Vigil for the fuzz tests, and their budget.

The budget is a hypothesis profile: VIGIL_FUZZ_EXAMPLES examples per test (60 by default,
about 35 s for the whole directory on two cores); `make fuzz` raises it. CI runs
derandomized, so a red build names an input that fails again on a laptop; VIGIL_FUZZ_RANDOM=1
explores new inputs each run instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from domain.store.embedded import free_loopback_port
from tests.fuzz.threaded import (
    ThreadedServer,
    Tokens,
    fuzz_settings,
    role_token,
    threaded_server,
)
from tests.support import ADMIN_TOKEN

EXAMPLES = int(os.environ.get("VIGIL_FUZZ_EXAMPLES", "60"))
settings.register_profile(
    "vigil-fuzz",
    max_examples=EXAMPLES,
    # Each example is a real HTTP round trip to a store that grows as mutations run.
    deadline=None,
    derandomize=os.environ.get("VIGIL_FUZZ_RANDOM") != "1",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fuzz: property-based fuzzing over real HTTP (make fuzz)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.parent.name == "fuzz":
            item.add_marker(pytest.mark.fuzz)
            # Room for every example and for hypothesis to shrink a failure (it gives up after
            # 5 minutes), so that a red run shows the smallest failing input, not a timeout.
            item.add_marker(pytest.mark.timeout(300 + 2 * EXAMPLES))
            # The server's thread draws from the global `random` (pymongo picks servers with
            # it) while hypothesis generates, which hypothesis takes for a strategy using
            # `random`. Its own draws do not use that module, so the inputs stay reproducible.
            item.add_marker(
                pytest.mark.filterwarnings(
                    "ignore:Do not use the `random` module:"
                    "hypothesis.errors.HypothesisDeprecationWarning"
                )
            )


@pytest.fixture(scope="session")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThreadedServer]:
    data_dir: Path = tmp_path_factory.mktemp("vigil-fuzz")
    with threaded_server(data_dir, fuzz_settings(data_dir, free_loopback_port())) as server:
        yield server


@pytest.fixture(scope="session")
def tokens(fuzz_server: ThreadedServer) -> Tokens:
    return Tokens(admin=ADMIN_TOKEN, viewer=role_token(fuzz_server, "VIEWER"))
