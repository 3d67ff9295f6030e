"""Webhook endpoints: monitors send alerts in their own formats, without changing anything
on their side but a URL and a key.

Each format has its module; :mod:`api.webhooks.common` reads requests, authenticates callers
and shapes errors for all of them.
"""

from __future__ import annotations

from starlette.routing import Route

from api.webhooks import alertmanager, change, generic, grafana, pagerduty
from api.webhooks.common import Handler


def _keyed(path: str, endpoint: Handler) -> list[Route]:
    """The path, and the path with the key in it for senders that cannot set headers."""
    return [
        Route(path, endpoint, methods=["POST"]),
        Route(path + "/{key}", endpoint, methods=["POST"]),
    ]


def webhook_routes() -> list[Route]:
    return [
        *_keyed("/webhooks/alertmanager", alertmanager.endpoint),
        *_keyed("/webhooks/grafana", grafana.endpoint),
        *_keyed("/webhooks/generic", generic.endpoint),
        Route("/v2/enqueue", pagerduty.enqueue, methods=["POST"]),
        Route("/v2/change/enqueue", change.enqueue, methods=["POST"]),
    ]
