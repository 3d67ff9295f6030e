"""GET and POST /ack/<token>: the one-click acknowledge link in every page.

GET only shows what the link would do, with a button: mail scanners and chat
previews open links, and must not acknowledge for the person. The button POSTs.
Errors are pages too, with a stable code (also in the `Vigil-Error-Code` header).
"""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from api.container import Container
from api.http_errors import status_of
from domain.errors import VigilError
from domain.incident.model import Incident, IncidentStatus
from notifications.ack_links import AckLinkError

_HEADERS = {
    "Cache-Control": "no-store",
    # The token is the credential: keep it out of Referer headers and search engines.
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
}


def ack_link_routes() -> list[Route]:
    return [Route("/ack/{token}", ack_link, methods=["GET", "POST"])]


async def ack_link(request: Request) -> HTMLResponse:
    center = _container(request).notifications.center
    token = request.path_params["token"]
    try:
        if request.method == "POST":
            incident = await center.acknowledge_by_link(token)
            return _page("Acknowledged", f"You acknowledged {_name(incident)}.", 200)
        _, incident = await center.check_ack_link(token)
    except VigilError as exc:
        return _error(exc)
    if incident.status is not IncidentStatus.TRIGGERED:
        return _page(
            "Nothing to acknowledge", f"{_name(incident)} is already {incident.status.value}.", 200
        )
    form = (
        '<form method="post"><button type="submit" style="font-size:1.2em;padding:.5em 1.5em">'
        "Acknowledge</button></form>"
    )
    return _page("Acknowledge this incident?", f"{_name(incident)}.{form}", 200)


def _container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def _name(incident: Incident) -> str:
    return (
        f"Incident #{incident.number} <strong>{escape(incident.title)}</strong> "
        f"({escape(incident.severity.value)})"
    )


def _error(exc: VigilError) -> HTMLResponse:
    if isinstance(exc, AckLinkError):
        code, status = exc.reason, 410 if exc.reason == "ACK_LINK_EXPIRED" else 400
    else:
        code, status = exc.code.value, status_of(exc)
    body = (
        f"{escape(exc.message)}<p>{escape(exc.suggestion)}</p>"
        f'<p>Error code: <code id="error-code">{escape(code)}</code></p>'
    )
    response = _page("This link cannot acknowledge", body, status)
    response.headers["Vigil-Error-Code"] = code
    return response


def _page(title: str, body: str, status: int) -> HTMLResponse:
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · Vigil</title></head>"
        '<body style="font-family:system-ui,sans-serif;max-width:36em;margin:3em auto">'
        f"<h1>{escape(title)}</h1><p>{body}</p></body></html>"
    )
    return HTMLResponse(html, status_code=status, headers=_HEADERS)
