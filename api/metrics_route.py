"""GET /metrics in the Prometheus text format, optionally behind a bearer token."""

from __future__ import annotations

import hmac
import logging

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from pymongo.errors import PyMongoError
from starlette.requests import Request
from starlette.responses import Response

from api.http_errors import error_response
from api.metrics import NOTIFICATIONS_DEAD, QUEUE_DEPTH, STORE_UP
from domain.errors import UnauthenticatedError
from domain.escalation.run import RunState
from domain.store.timestamps import to_ms
from notifications.outbox import COLLECTION as OUTBOX
from notifications.outbox import NotificationStatus

log = logging.getLogger(__name__)


async def metrics_endpoint(request: Request) -> Response:
    token: str | None = request.app.state.metrics_token
    if token is not None and not _bearer_matches(request.headers.get("authorization"), token):
        return error_response(
            UnauthenticatedError(
                "/metrics needs the metrics token.",
                suggestion="Send 'Authorization: Bearer <VIGIL_METRICS_TOKEN>' "
                "(Prometheus: the scrape config's `authorization` block).",
            )
        )
    await _read_queues(request)
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def _bearer_matches(header: str | None, token: str) -> bool:
    scheme, _, secret = (header or "").strip().partition(" ")
    # Constant time: the comparison must not tell how much of a guess was right.
    return scheme.lower() == "bearer" and hmac.compare_digest(secret.strip(), token)


async def _read_queues(request: Request) -> None:
    runtime = request.app.state.runtime
    now_ms = to_ms(runtime.container.clock.now())
    try:
        outbox = runtime.db[OUTBOX]
        QUEUE_DEPTH.labels("notification_outbox_pending").set(
            await outbox.count_documents({"status": NotificationStatus.PENDING.value})
        )
        QUEUE_DEPTH.labels("escalation_runs_due").set(
            await runtime.db["escalation_runs"].count_documents(
                {"state": RunState.ACTIVE.value, "due_ms": {"$lte": now_ms}}
            )
        )
        NOTIFICATIONS_DEAD.set(
            await outbox.count_documents({"status": NotificationStatus.DEAD.value})
        )
    except PyMongoError as exc:
        # The counters are still worth scraping; the gauge tells the store was not read.
        log.warning("metrics could not read queue depths: %s", exc)
        STORE_UP.set(0)
        return
    STORE_UP.set(1)
