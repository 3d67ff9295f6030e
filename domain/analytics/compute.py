"""The report, computed from plain records: no store, no clock, so tests can check it by hand."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TypeVar

from domain.alert.model import Alert
from domain.analytics.buckets import bucket_label, bucket_start, buckets, timeline_grouping
from domain.analytics.hours import in_sleep_hours, in_working_hours, local_time
from domain.analytics.model import (
    Figures,
    GroupFigures,
    Grouping,
    PersonLoad,
    Report,
    ReportPeriod,
    SourceShare,
)
from domain.analytics.stats import duration_stats
from domain.escalation.paging import PageRequest
from domain.incident.model import Incident
from domain.service.model import Service
from domain.user.model import DEFAULT_TIME_ZONE, User

NOISY_LIMIT = 10
NO_TEAM = "no team"

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def build_report(
    period: ReportPeriod,
    grouping: Grouping,
    *,
    incidents: Sequence[Incident],
    alerts: Sequence[Alert],
    pages: Sequence[PageRequest],
    services: Mapping[str, Service],
    users: Mapping[str, User],
) -> Report:
    """`incidents` created, `alerts` received and `pages` requested within the period;
    `services` and `users` they name (missing ones are reported by id)."""
    over_time = timeline_grouping(period, grouping)
    return Report(
        period=period,
        grouping=grouping,
        totals=figures_of(incidents, alerts),
        groups=_groups(period, grouping, incidents, alerts, services),
        over_time=_time_groups(period, over_time, incidents, alerts),
        over_time_grouping=over_time,
        noisy_sources=_top_shares(Counter(alert.source for alert in alerts)),
        noisy_services=_top_shares(Counter(alert.service for alert in alerts)),
        on_call=_on_call_load(pages, users),
    )


def figures_of(incidents: Sequence[Incident], alerts: Sequence[Alert]) -> Figures:
    to_ack = [
        (i.acknowledged_at - i.created_at).total_seconds()
        for i in incidents
        if i.acknowledged_at is not None
    ]
    to_resolve = [
        (i.resolved_at - i.created_at).total_seconds()
        for i in incidents
        if i.resolved_at is not None
    ]
    return Figures(
        incidents=len(incidents),
        alerts=len(alerts),
        acknowledged=len(to_ack),
        unacknowledged=len(incidents) - len(to_ack),
        resolved=len(to_resolve),
        unresolved=len(incidents) - len(to_resolve),
        mtta=duration_stats(to_ack),
        mttr=duration_stats(to_resolve),
    )


def _groups(
    period: ReportPeriod,
    grouping: Grouping,
    incidents: Sequence[Incident],
    alerts: Sequence[Alert],
    services: Mapping[str, Service],
) -> list[GroupFigures]:
    if grouping.is_time:
        return _time_groups(period, grouping, incidents, alerts)
    # Alerts carry their service's name; incidents only its id.
    names = {alert.service_id: alert.service for alert in alerts}
    names.update({service_id: service.name for service_id, service in services.items()})

    def key(service_id: str) -> str | None:
        if grouping is Grouping.SERVICE:
            return service_id
        service = services.get(service_id)
        return service.team if service is not None else None

    def label(group: str | None) -> str:
        if grouping is Grouping.SERVICE:
            return names.get(group or "", group or "")
        return group or NO_TEAM

    by_incident = _bucketed(incidents, lambda i: key(i.service_id))
    by_alert = _bucketed(alerts, lambda a: key(a.service_id))
    groups = [
        GroupFigures(
            key=group,
            label=label(group),
            figures=figures_of(by_incident.get(group, []), by_alert.get(group, [])),
        )
        for group in by_incident.keys() | by_alert.keys()
    ]
    return sorted(groups, key=lambda g: (-g.figures.incidents, -g.figures.alerts, g.label))


def _time_groups(
    period: ReportPeriod,
    grouping: Grouping,
    incidents: Sequence[Incident],
    alerts: Sequence[Alert],
) -> list[GroupFigures]:
    by_incident = _bucketed(incidents, lambda i: bucket_start(i.created_at, grouping))
    by_alert = _bucketed(alerts, lambda a: bucket_start(a.received_at, grouping))
    groups = []
    for start, end in buckets(period, grouping):
        natural = bucket_start(start, grouping)
        groups.append(
            GroupFigures(
                key=natural.isoformat(),
                label=bucket_label(start, grouping),
                figures=figures_of(by_incident.get(natural, []), by_alert.get(natural, [])),
                starts_at=start,
                ends_at=end,
            )
        )
    return groups


def _bucketed(items: Sequence[T], key: Callable[[T], K]) -> dict[K, list[T]]:
    found: defaultdict[K, list[T]] = defaultdict(list)
    for item in items:
        found[key(item)].append(item)
    return found


def _top_shares(counts: Counter[str]) -> list[SourceShare]:
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:NOISY_LIMIT]
    return [SourceShare(name=name, alerts=n, share=n / total) for name, n in ranked]


def _on_call_load(pages: Sequence[PageRequest], users: Mapping[str, User]) -> list[PersonLoad]:
    loads = []
    for user_id, theirs in _bucketed(pages, lambda p: p.user_id).items():
        user = users.get(user_id)
        time_zone = user.time_zone if user is not None else DEFAULT_TIME_ZONE
        moments = [local_time(page.requested_at, time_zone) for page in theirs]
        loads.append(
            PersonLoad(
                user_id=user_id,
                name=user.name if user is not None else user_id,
                time_zone=time_zone,
                pages=len(theirs),
                incidents=len({page.incident_id for page in theirs}),
                outside_working_hours=sum(not in_working_hours(m) for m in moments),
                sleep_hours=sum(in_sleep_hours(m) for m in moments),
            )
        )
    return sorted(loads, key=lambda load: (-load.pages, load.name))
