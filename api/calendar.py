"""GET /calendar/<secret>.ics: on-call shifts for calendar apps, which cannot send tokens.

Every failure to find the feed (unknown secret, revoked feed, deleted schedule)
is the same bare 404, so the URL reveals nothing to someone guessing.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from api.container import Container
from api.http_errors import error_response
from domain.calendar.model import DEFAULT_AHEAD_DAYS, DEFAULT_PAST_DAYS, FeedWindow
from domain.errors import NotFoundError, ValidationError

CONTENT_TYPE = "text/calendar; charset=utf-8"
# Calendar apps poll; an hour keeps them from hammering the server without going stale.
CACHE_CONTROL = "private, max-age=3600"


def feed_path(secret: str) -> str:
    return f"/calendar/{secret}.ics"


def _days(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(
            f"'{name}' must be a whole number of days, got {raw!r}.", field=name
        ) from None


async def feed(request: Request) -> Response:
    container: Container = request.app.state.container
    try:
        window = FeedWindow(
            past_days=_days(request, "past", DEFAULT_PAST_DAYS),
            ahead_days=_days(request, "days", DEFAULT_AHEAD_DAYS),
        )
        body = await container.calendar_feeds.render(request.path_params["secret"], window)
    except NotFoundError:
        return PlainTextResponse("Not Found", status_code=404)
    except ValidationError as exc:
        return error_response(exc)
    return Response(body, media_type=CONTENT_TYPE, headers={"Cache-Control": CACHE_CONTROL})


def calendar_routes() -> list[Route]:
    return [Route("/calendar/{secret}.ics", feed, methods=["GET"])]
