"""Public status page routes: no credentials, only the public view.

    GET  /status/<slug>                      the page (HTML, no JavaScript)
    GET  /status/<slug>.json                 the same as a JSON feed
    POST /status/<slug>/subscribe            the page's e-mail form
    GET  /status/<slug>/confirm/<token>      shows a button; POST confirms
    GET  /status/<slug>/unsubscribe/<token>  shows a button; POST unsubscribes (RFC 8058
                                             one-click POSTs straight here)

Links only act on POST: mail scanners and chat previews open links, and must neither
confirm nor unsubscribe for the person.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from api import status_page_html as html
from api.container import Container
from domain.errors import ErrorCode, VigilError
from domain.statuspage.model import SubscriberKind
from domain.statuspage.ports import LinkPurpose
from domain.statuspage.public import PublicComponentView, PublicIncidentView, PublicStatusPage

MAX_FORM_BYTES = 2048
_STATUS_OF_CODE = {ErrorCode.VALIDATION: 400, ErrorCode.NOT_FOUND: 404}
_HEADERS = {
    "Content-Security-Policy": html.CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_PAGE_HEADERS = {**_HEADERS, "Cache-Control": "no-cache"}
_LINK_HEADERS = {**_HEADERS, "Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


def status_page_routes() -> list[Route]:
    return [
        # Before /status/{slug}: slugs hold no dots, so only the feed ends in .json.
        Route("/status/{slug}.json", feed),
        Route("/status/{slug}", page),
        Route("/status/{slug}/subscribe", subscribe, methods=["POST"]),
        Route("/status/{slug}/confirm/{token}", confirm, methods=["GET", "POST"]),
        Route("/status/{slug}/unsubscribe/{token}", unsubscribe, methods=["GET", "POST"]),
    ]


def _container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


async def page(request: Request) -> Response:
    try:
        view = await _container(request).status_pages.public_page(request.path_params["slug"])
    except VigilError as exc:
        return _error("Status page not found", exc)
    return HTMLResponse(html.status_page(view), headers=_PAGE_HEADERS)


async def feed(request: Request) -> Response:
    try:
        view = await _container(request).status_pages.public_page(request.path_params["slug"])
    except VigilError as exc:
        return JSONResponse(
            {"code": exc.code.value, "message": exc.message, "suggestion": exc.suggestion},
            status_code=_STATUS_OF_CODE.get(exc.code, 500),
        )
    base = _container(request).public_url.rstrip("/")
    # Public data: other sites may embed it.
    headers = {"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"}
    return JSONResponse(feed_of(view, f"{base}/status/{view.slug}"), headers=headers)


async def subscribe(request: Request) -> Response:
    body = await request.body()
    address = parse_qs(body[:MAX_FORM_BYTES].decode(errors="replace")).get("address", [""])[0]
    try:
        subscription = await _container(request).status_pages.subscriptions.subscribe(
            request.path_params["slug"], SubscriberKind.EMAIL, address
        )
    except VigilError as exc:
        return _error("Could not subscribe", exc)
    # The same answer either way: nobody learns whether an address already subscribed.
    text = [
        f"Unless {escape(subscription.subscriber.address)} already gets updates, "
        "a confirm link is on its way to it.",
        "Follow it to start receiving updates.",
    ]
    return _html("Check your inbox", text, _LINK_HEADERS)


async def confirm(request: Request) -> Response:
    subscriptions = _container(request).status_pages.subscriptions
    token = request.path_params["token"]
    try:
        if request.method == "POST":
            page_, subscriber = await subscriptions.confirm(token)
            return _html(
                "Subscription confirmed",
                [
                    f"{escape(subscriber.address)} now gets updates about "
                    f"<strong>{escape(page_.title)}</strong>.",
                    f'<a href="/status/{escape(page_.slug)}">Back to the status page</a>',
                ],
                _LINK_HEADERS,
            )
        page_, subscriber = await subscriptions.check(LinkPurpose.CONFIRM, token)
    except VigilError as exc:
        return _error("This link cannot confirm", exc)
    return _html(
        "Confirm your subscription",
        [
            f"Send updates about <strong>{escape(page_.title)}</strong> to "
            f"{escape(subscriber.address)}?"
        ],
        _LINK_HEADERS,
        html.confirm_form("Confirm"),
    )


async def unsubscribe(request: Request) -> Response:
    subscriptions = _container(request).status_pages.subscriptions
    token = request.path_params["token"]
    try:
        if request.method == "POST":
            page_, subscriber = await subscriptions.unsubscribe(token)
            return _html(
                "Unsubscribed",
                [
                    f"{escape(subscriber.address)} gets no more updates about "
                    f"<strong>{escape(page_.title)}</strong>."
                ],
                _LINK_HEADERS,
            )
        page_, subscriber = await subscriptions.check(LinkPurpose.UNSUBSCRIBE, token)
    except VigilError as exc:
        if exc.code is ErrorCode.NOT_FOUND:
            return _html("Unsubscribed", ["This address gets no updates."], _LINK_HEADERS)
        return _error("This link cannot unsubscribe", exc)
    return _html(
        "Unsubscribe?",
        [
            f"Stop sending updates about <strong>{escape(page_.title)}</strong> to "
            f"{escape(subscriber.address)}?"
        ],
        _LINK_HEADERS,
        html.confirm_form("Unsubscribe"),
    )


def _html(
    title: str, paragraphs: list[str], headers: dict[str, str], form: str = "", status: int = 200
) -> HTMLResponse:
    return HTMLResponse(
        html.message_page(title, paragraphs, form), status_code=status, headers=headers
    )


def _error(title: str, exc: VigilError) -> HTMLResponse:
    response = _html(
        title,
        [escape(exc.message), escape(exc.suggestion)],
        _LINK_HEADERS,
        status=_STATUS_OF_CODE.get(exc.code, 500),
    )
    response.headers["Vigil-Error-Code"] = exc.code.value
    return response


def feed_of(view: PublicStatusPage, url: str) -> dict[str, Any]:
    """The JSON feed: the public view and nothing else."""
    return {
        "page": {
            "slug": view.slug,
            "title": view.title,
            "description": view.description,
            "url": url,
        },
        "status": {"indicator": view.status.value, "description": view.summary},
        "groups": [
            {
                "id": g.id,
                "name": g.name,
                "status": g.status.value,
                "components": [c.id for c in g.components],
            }
            for g in view.groups
        ],
        "components": [_component(c) for c in view.components],
        "incidents": [_incident(i) for i in view.incidents],
        "past_incidents": [_incident(i) for i in view.past_incidents],
        "maintenance": [
            {
                "id": m.id,
                "title": m.title,
                "description": m.description,
                "starts_at": m.starts_at.isoformat(),
                "ends_at": m.ends_at.isoformat(),
                "active": m.active,
                "affected": m.affected,
            }
            for m in view.maintenance
        ],
        "generated_at": view.generated_at.isoformat(),
    }


def _component(c: PublicComponentView) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "description": c.description,
        "status": c.status.value,
        "uptime_percent": c.uptime_percent,
        "uptime": [
            {
                "date": b.day.isoformat(),
                "worst": None if b.worst is None else b.worst.value,
                "operational_percent": b.operational_percent,
            }
            for b in c.uptime
        ],
    }


def _incident(i: PublicIncidentView) -> dict[str, Any]:
    return {
        "id": i.id,
        "title": i.title,
        "impact": i.impact.value,
        "state": i.state.value,
        "affected": i.affected,
        "created_at": i.created_at.isoformat(),
        "updated_at": i.updated_at.isoformat(),
        "resolved_at": None if i.resolved_at is None else i.resolved_at.isoformat(),
        "updates": [
            {"id": u.id, "body": u.body, "state": u.state.value, "at": u.at.isoformat()}
            for u in i.updates
        ],
    }
