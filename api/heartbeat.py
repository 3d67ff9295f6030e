"""GET or POST /heartbeat/<secret>: a monitor's "I am alive"."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from api.container import Container
from api.http_errors import error_response
from domain.errors import VigilError


async def ping(request: Request) -> JSONResponse:
    container: Container = request.app.state.container
    try:
        heartbeat = await container.heartbeats.ping(request.path_params["secret"])
    except VigilError as exc:
        return error_response(exc)
    return JSONResponse({"status": "ok", "heartbeat": heartbeat.name})
