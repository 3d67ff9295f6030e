"""GET /analytics/charts/<chart>.<svg|png>?from=..&until=..&groupBy=..: report charts.

Authenticated like the GraphQL endpoint (`Authorization: Bearer <token>`, any role that
may read). Errors are JSON with the stable `code`, `message`, `suggestion` and `field`.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from api.auth import Authenticator
from api.container import Container
from api.http_errors import error_response
from domain.analytics.charts import Chart, ChartFormat
from domain.analytics.model import Grouping, ReportPeriod
from domain.errors import NotFoundError, ValidationError, VigilError

# Charts of a period that is still running change from one minute to the next.
CACHE_CONTROL = "private, no-cache"


def chart_path(chart: Chart, image_format: ChartFormat) -> str:
    return f"/analytics/charts/{chart.value}.{image_format.value}"


def chart_url(
    public_url: str,
    chart: Chart,
    image_format: ChartFormat,
    period: ReportPeriod,
    grouping: Grouping,
) -> str:
    query = urlencode(
        {
            "from": period.start.isoformat(),
            "until": period.end.isoformat(),
            "groupBy": grouping.name,
        }
    )
    return f"{public_url.rstrip('/')}{chart_path(chart, image_format)}?{query}"


async def chart(request: Request) -> Response:
    container: Container = request.app.state.container
    authenticator: Authenticator = request.app.state.authenticator
    try:
        principal = await authenticator.from_header(request.headers.get("authorization"))
        which, image_format = _chart_of(request.path_params["file"])
        period = ReportPeriod(_moment(request, "from"), _moment(request, "until"))
        grouping = _grouping(request.query_params.get("groupBy", Grouping.SERVICE.name))
        body = await container.analytics.chart(principal, period, grouping, which, image_format)
    except VigilError as exc:
        return error_response(exc)
    return Response(
        body, media_type=image_format.media_type, headers={"Cache-Control": CACHE_CONTROL}
    )


def _chart_of(file: str) -> tuple[Chart, ChartFormat]:
    name, _, extension = file.rpartition(".")
    try:
        return Chart(name), ChartFormat(extension.lower())
    except ValueError:
        charts = ", ".join(f"{c.value}.svg" for c in Chart)
        raise NotFoundError(
            f"No chart '{file}'.",
            suggestion=f"Ask for one of {charts} (or .png).",
        ) from None


def _moment(request: Request, name: str) -> datetime:
    raw = request.query_params.get(name)
    if raw is None:
        raise ValidationError(
            f"'{name}' is required.",
            suggestion="Add ?from=2026-11-01T00:00:00Z&until=2026-12-01T00:00:00Z.",
            field=name,
        )
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            f"'{name}' is not an ISO 8601 date and time: {raw!r}.",
            suggestion="Send e.g. 2026-11-01T00:00:00Z (encode '+' as %2B in a URL).",
            field=name,
        ) from None


def _grouping(raw: str) -> Grouping:
    try:
        return Grouping[raw.upper()]
    except KeyError:
        allowed = ", ".join(g.name for g in Grouping)
        raise ValidationError(
            f"'groupBy' must be one of {allowed}, got {raw!r}.", field="groupBy"
        ) from None


def analytics_routes() -> list[Route]:
    return [Route("/analytics/charts/{file}", chart, methods=["GET"])]
