"""GET /postmortems/<id>.md: a postmortem as Markdown, with the same Bearer token as the API."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api.auth import Authenticator
from api.container import Container
from api.request_scope import error_body
from domain.errors import ErrorCode, VigilError

CONTENT_TYPE = "text/markdown; charset=utf-8"

_STATUS = {
    ErrorCode.UNAUTHENTICATED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.STORE_UNAVAILABLE: 503,
    ErrorCode.EMBEDDED_STORE_FAILED: 503,
}


async def export(request: Request) -> Response:
    container: Container = request.app.state.container
    authenticator: Authenticator = request.app.state.authenticator
    postmortem_id = request.path_params["id"]
    try:
        principal = await authenticator.from_header(request.headers.get("authorization"))
        body = await container.postmortems.desk.markdown(principal, postmortem_id)
    except VigilError as exc:
        return JSONResponse(
            error_body(exc),
            status_code=_STATUS.get(exc.code, 500),
            headers={"WWW-Authenticate": "Bearer"}
            if exc.code is ErrorCode.UNAUTHENTICATED
            else None,
        )
    filename = f"postmortem-{postmortem_id}.md"
    return Response(
        body,
        media_type=CONTENT_TYPE,
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            # It holds internal notes: never let a shared cache keep it.
            "Cache-Control": "private, no-store",
        },
    )


def postmortem_routes() -> list[Route]:
    return [Route("/postmortems/{id}.md", export, methods=["GET"])]
