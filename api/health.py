"""GET /healthz: is the server up, and does the store answer?"""

from __future__ import annotations

import asyncio
import time

from starlette.requests import Request
from starlette.responses import JSONResponse

from domain.errors import StoreUnavailableError

_STORE_TIMEOUT_S = 2.0


async def healthz(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime
    started = time.perf_counter()
    try:
        await asyncio.wait_for(runtime.db.command("ping"), _STORE_TIMEOUT_S)
    except Exception as exc:  # any failure to answer is "down", whatever its kind
        down = StoreUnavailableError("The database does not answer.")
        return JSONResponse(
            {
                "code": down.code.value,
                "message": down.message,
                "suggestion": down.suggestion,
                "status": "unavailable",
                "store": {"status": "down", "embedded": runtime.embedded, "error": str(exc)[:200]},
            },
            status_code=503,
        )
    latency_ms = round((time.perf_counter() - started) * 1000, 2)
    return JSONResponse(
        {
            "status": "ok",
            "store": {"status": "up", "embedded": runtime.embedded, "latency_ms": latency_ms},
            "live_subscribers": runtime.container.hub.subscriber_count,
        }
    )
