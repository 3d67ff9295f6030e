from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from notifications.config import NotificationConfig, SmtpConfig
from tests.notifications.receivers import HttpReceiver, SmtpReceiver
from tests.support import ADMIN_TOKEN, GraphQLClient, LiveServer, live_server
from vigil.settings import Settings

BACKOFF = timedelta(seconds=2)
MAX_ATTEMPTS = 3


@pytest.fixture(scope="session")
async def notify_server(
    tmp_path_factory: pytest.TempPathFactory, smtp: SmtpReceiver, receiver: HttpReceiver
) -> AsyncIterator[LiveServer]:
    """Vigil sending to the local receivers, retrying quickly."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("vigil-notify"),
        admin_token=ADMIN_TOKEN,
        worker_interval_s=1,
        notifications=NotificationConfig(
            smtp=SmtpConfig(port=smtp.port, sender="vigil@test.example"),
            sms_gateway_url=f"{receiver.url}/sms-gateway",
            sms_gateway_token="sms-gateway-token",
            max_attempts=MAX_ATTEMPTS,
            backoff=BACKOFF,
        ),
    )
    async with live_server(settings.data_dir, settings=settings) as running:
        yield running


@pytest.fixture
def notify_client(notify_server: LiveServer) -> GraphQLClient:
    return GraphQLClient(notify_server)
