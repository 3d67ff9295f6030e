from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support import GraphQLClient, LiveServer, live_server


@pytest.fixture(scope="session")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveServer]:
    """One Vigil for the session; tests keep apart through unique service names."""
    data_dir: Path = tmp_path_factory.mktemp("vigil")
    async with live_server(data_dir) as running:
        yield running


@pytest.fixture
def client(server: LiveServer) -> GraphQLClient:
    return GraphQLClient(server)
