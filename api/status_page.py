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

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from api import status_page_html as html
from api.container import Container
from api.http_errors import error_response, status_of
from api.status_page_feed import feed_of
from domain.errors import ErrorCode, VigilError
from domain.statuspage.model import StatusPage, Subscriber, SubscriberKind
from domain.statuspage.ports import LinkPurpose
from domain.statuspage.service import StatusPages
from domain.statuspage.subscriptions import Subscriptions

MAX_FORM_BYTES = 2048
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


def _status_pages(request: Request) -> StatusPages:
    return _container(request).status_pages


async def page(request: Request) -> Response:
    try:
        view = await _status_pages(request).views.page(request.path_params["slug"])
    except VigilError as exc:
        return _error("Status page not found", exc)
    return HTMLResponse(html.status_page(view), headers=_PAGE_HEADERS)


async def feed(request: Request) -> Response:
    try:
        view = await _status_pages(request).views.page(request.path_params["slug"])
    except VigilError as exc:
        return error_response(exc)
    base = _container(request).public_url.rstrip("/")
    # Public data: other sites may embed it.
    headers = {"Cache-Control": "no-cache", "Access-Control-Allow-Origin": "*"}
    return JSONResponse(feed_of(view, f"{base}/status/{view.slug}"), headers=headers)


async def subscribe(request: Request) -> Response:
    body = await request.body()
    address = parse_qs(body[:MAX_FORM_BYTES].decode(errors="replace")).get("address", [""])[0]
    try:
        subscription = await _status_pages(request).subscriptions.subscribe(
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
    return _html("Check your inbox", text)


@dataclass(frozen=True, slots=True)
class _SignedLink:
    """What one kind of signed link asks on GET, and says once a POST has acted.

    Paragraphs are HTML; {page}, {address} and {slug} are filled in escaped.
    """

    purpose: LinkPurpose
    act: Callable[[Subscriptions, str], Awaitable[tuple[StatusPage, Subscriber]]]
    ask_title: str
    ask: str
    button: str
    done_title: str
    done: tuple[str, ...]
    cannot: str
    gone: str | None = None
    """Said (under `done_title`) when the subscriber no longer exists; None: an error."""


_CONFIRM = _SignedLink(
    LinkPurpose.CONFIRM,
    Subscriptions.confirm,
    ask_title="Confirm your subscription",
    ask="Send updates about {page} to {address}?",
    button="Confirm",
    done_title="Subscription confirmed",
    done=(
        "{address} now gets updates about {page}.",
        '<a href="/status/{slug}">Back to the status page</a>',
    ),
    cannot="This link cannot confirm",
)
_UNSUBSCRIBE = _SignedLink(
    LinkPurpose.UNSUBSCRIBE,
    Subscriptions.unsubscribe,
    ask_title="Unsubscribe?",
    ask="Stop sending updates about {page} to {address}?",
    button="Unsubscribe",
    done_title="Unsubscribed",
    done=("{address} gets no more updates about {page}.",),
    cannot="This link cannot unsubscribe",
    gone="This address gets no updates.",
)


async def confirm(request: Request) -> Response:
    return await _follow(request, _CONFIRM)


async def unsubscribe(request: Request) -> Response:
    return await _follow(request, _UNSUBSCRIBE)


async def _follow(request: Request, link: _SignedLink) -> Response:
    """Only a POST acts; a GET only checks the token and asks (see the module's docstring)."""
    subscriptions = _status_pages(request).subscriptions
    token = request.path_params["token"]
    acts = request.method == "POST"
    try:
        if acts:
            page_, subscriber = await link.act(subscriptions, token)
        else:
            page_, subscriber = await subscriptions.check(link.purpose, token)
    except VigilError as exc:
        if link.gone is not None and exc.code is ErrorCode.NOT_FOUND:
            return _html(link.done_title, [link.gone])
        return _error(link.cannot, exc)
    words = {
        "page": f"<strong>{escape(page_.title)}</strong>",
        "address": escape(subscriber.address),
        "slug": escape(page_.slug),
    }
    if acts:
        return _html(link.done_title, [p.format(**words) for p in link.done])
    return _html(link.ask_title, [link.ask.format(**words)], html.confirm_form(link.button))


def _html(title: str, paragraphs: list[str], form: str = "", status: int = 200) -> HTMLResponse:
    """A short page about a signed link or the form: never cached, never indexed."""
    return HTMLResponse(
        html.message_page(title, paragraphs, form), status_code=status, headers=_LINK_HEADERS
    )


def _error(title: str, exc: VigilError) -> HTMLResponse:
    response = _html(
        title,
        [escape(exc.message), escape(exc.suggestion)],
        status=status_of(exc),
    )
    response.headers["Vigil-Error-Code"] = exc.code.value
    return response
