"""GET /postmortems/<id>.md: a postmortem as Markdown, with the same Bearer token as the API."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.auth import Authenticator
from api.container import Container
from api.http_errors import error_response
from domain.errors import VigilError

CONTENT_TYPE = "text/markdown; charset=utf-8"


async def export(request: Request) -> Response:
    container: Container = request.app.state.container
    authenticator: Authenticator = request.app.state.authenticator
    postmortem_id = request.path_params["id"]
    try:
        principal = await authenticator.from_header(request.headers.get("authorization"))
        body = await container.postmortems.desk.markdown(principal, postmortem_id)
    except VigilError as exc:
        return error_response(exc)
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
