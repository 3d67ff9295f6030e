"""What subscribers are told (pure): every message carries its unsubscribe link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.statuspage.model import PublicIncident, PublicUpdate, ScheduledMaintenance, StatusPage
from domain.statuspage.ports import SubscriberMessage

Announcement = Callable[[str, list[str], str], SubscriberMessage]
"""A message to every confirmed subscriber, given the page's address, the names of the
affected components and the subscriber's unsubscribe link."""


def page_url(public_url: str, page: StatusPage) -> str:
    return f"{public_url.rstrip('/')}/status/{page.slug}"


def confirmation(page: StatusPage, url: str, confirm: str, unsubscribe: str) -> SubscriberMessage:
    return _message(
        page,
        url,
        unsubscribe,
        subject=f"[{page.title}] Confirm your subscription",
        event="status.subscription_confirm",
        paragraphs=[
            f"Someone (we hope you) asked to be told about the status of {page.title}.",
            f"Confirm the subscription: {confirm}",
            "If it was not you, ignore this message: nothing more will be sent.",
        ],
        links={"confirm": confirm},
    )


def incident_update(
    page: StatusPage,
    url: str,
    incident: PublicIncident,
    update: PublicUpdate,
    affected: list[str],
    unsubscribe: str,
) -> SubscriberMessage:
    return _message(
        page,
        url,
        unsubscribe,
        subject=f"[{page.title}] {incident.title}: {update.state.label}",
        event="status.incident_update",
        paragraphs=[incident.title, f"{update.state.label}: {update.body}", _affected(affected)],
        incident={
            "id": incident.id,
            "title": incident.title,
            "impact": incident.impact.value,
            "state": update.state.value,
            "affected": affected,
        },
        update={"id": update.id, "body": update.body, "at": update.at.isoformat()},
    )


def maintenance_scheduled(
    page: StatusPage,
    url: str,
    maintenance: ScheduledMaintenance,
    affected: list[str],
    unsubscribe: str,
) -> SubscriberMessage:
    window = f"{maintenance.starts_at:%Y-%m-%d %H:%M} to {maintenance.ends_at:%Y-%m-%d %H:%M} UTC"
    return _message(
        page,
        url,
        unsubscribe,
        subject=f"[{page.title}] Scheduled maintenance: {maintenance.title}",
        event="status.maintenance_scheduled",
        paragraphs=[
            maintenance.title,
            f"Scheduled: {window}",
            maintenance.description,
            _affected(affected),
        ],
        maintenance={
            "id": maintenance.id,
            "title": maintenance.title,
            "description": maintenance.description,
            "starts_at": maintenance.starts_at.isoformat(),
            "ends_at": maintenance.ends_at.isoformat(),
            "affected": affected,
        },
    )


def _affected(names: list[str]) -> str:
    return f"Affected: {', '.join(names)}" if names else ""


def _message(
    page: StatusPage,
    url: str,
    unsubscribe: str,
    *,
    subject: str,
    event: str,
    paragraphs: list[str],
    links: dict[str, str] | None = None,
    **fields: dict[str, Any],
) -> SubscriberMessage:
    """The text ends with the page's address and the unsubscribe link; the webhook payload
    carries the page, the message's own fields and the same links. Empty paragraphs are
    left out."""
    footer = f"Status page: {url}\nUnsubscribe: {unsubscribe}"
    return SubscriberMessage(
        subject=subject,
        text="\n\n".join([p for p in paragraphs if p] + [footer]) + "\n",
        event=event,
        data={
            "page": {"slug": page.slug, "title": page.title, "url": url},
            **fields,
            "links": {"page": url, **(links or {}), "unsubscribe": unsubscribe},
        },
    )
