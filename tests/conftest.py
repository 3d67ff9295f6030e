from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser

from tests.browser import chromium
from tests.notifications.receivers import HttpReceiver, SmtpReceiver, http_receiver, smtp_receiver
from tests.support import GraphQLClient, LiveServer, live_server


@pytest.fixture(scope="session")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[LiveServer]:
    """One Vigil for the session; tests keep apart through unique service names."""
    data_dir: Path = tmp_path_factory.mktemp("vigil")
    async with live_server(data_dir) as running:
        yield running


@pytest.fixture
def client(server: LiveServer) -> GraphQLClient:
    """A client of whichever `server` the test sees, so a module's own server gets one too."""
    return GraphQLClient(server)


@pytest.fixture(scope="session")
def smtp() -> Iterator[SmtpReceiver]:
    """One local inbox for the session; tests keep apart through unique addresses."""
    with smtp_receiver() as receiver:
        yield receiver


@pytest.fixture(scope="session")
async def receiver() -> AsyncIterator[HttpReceiver]:
    """One local HTTP receiver for the session; tests keep apart through unique paths."""
    async with http_receiver() as running:
        yield running


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched
