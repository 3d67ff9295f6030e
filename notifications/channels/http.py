"""One JSON POST, with the outcome every HTTP channel reports the same way."""

from __future__ import annotations

import json
from typing import Any

import httpx

from notifications.channels import DeliveryError

MAX_ERROR_BODY = 200


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


async def post(
    client: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str] | None = None
) -> int:
    """POST `body` (JSON); the status code of a 2xx answer, DeliveryError otherwise."""
    try:
        response = await client.post(
            url, content=body, headers={"Content-Type": "application/json", **(headers or {})}
        )
    except httpx.HTTPError as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}".rstrip(": ")) from exc
    if not response.is_success:
        raise DeliveryError(
            f"HTTP {response.status_code}: {response.text[:MAX_ERROR_BODY]}",
            status_code=response.status_code,
        )
    return response.status_code
