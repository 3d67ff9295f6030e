"""GET /warroom: the war-room page, a static page that talks to /graphql like any client.

The page is plain files in api/warroom/ (no build step). Every response carries a strict
Content-Security-Policy: scripts only from this origin and never inline, so text from
alerts that reaches the page cannot run as code.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

ASSETS = Path(__file__).with_name("warroom")

# connect-src 'self' covers ws:// and wss:// to this host in browsers with CSP level 3.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "img-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Small files that change with each release: revalidate rather than serve stale code.
    "Cache-Control": "no-cache",
}

MEDIA_TYPES = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
    "operations.graphql": "application/graphql; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}


@cache
def _asset(name: str) -> bytes:
    return (ASSETS / name).read_bytes()


def _serve(name: str) -> Response:
    return Response(_asset(name), media_type=MEDIA_TYPES[name], headers=SECURITY_HEADERS)


async def page(request: Request) -> Response:
    return _serve("index.html")


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in MEDIA_TYPES:
        return PlainTextResponse("Not Found", status_code=404, headers=SECURITY_HEADERS)
    return _serve(name)


def warroom_routes() -> list[Route]:
    return [
        Route("/warroom", page, methods=["GET"]),
        Route("/warroom/{name}", asset, methods=["GET"]),
    ]
