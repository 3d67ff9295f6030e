"""What subscribers are told (pure): every message carries its unsubscribe link."""

from __future__ import annotations

from domain.statuspage.model import PublicIncident, PublicUpdate, ScheduledMaintenance, StatusPage
from domain.statuspage.ports import SubscriberMessage


def page_url(public_url: str, page: StatusPage) -> str:
    return f"{public_url.rstrip('/')}/status/{page.slug}"


def _page_data(page: StatusPage, url: str) -> dict[str, str]:
    return {"slug": page.slug, "title": page.title, "url": url}


def confirmation(page: StatusPage, url: str, confirm: str, unsubscribe: str) -> SubscriberMessage:
    text = (
        f"Someone (we hope you) asked to be told about the status of {page.title}.\n\n"
        f"Confirm the subscription: {confirm}\n\n"
        "If it was not you, ignore this message: nothing more will be sent.\n\n"
        f"Status page: {url}\nUnsubscribe: {unsubscribe}\n"
    )
    return SubscriberMessage(
        subject=f"[{page.title}] Confirm your subscription",
        text=text,
        event="status.subscription_confirm",
        data={
            "page": _page_data(page, url),
            "links": {"page": url, "confirm": confirm, "unsubscribe": unsubscribe},
        },
    )


def incident_update(
    page: StatusPage,
    url: str,
    incident: PublicIncident,
    update: PublicUpdate,
    affected: list[str],
    unsubscribe: str,
) -> SubscriberMessage:
    lines = [incident.title, "", f"{update.state.label}: {update.body}", ""]
    if affected:
        lines += [f"Affected: {', '.join(affected)}", ""]
    lines += [f"Status page: {url}", f"Unsubscribe: {unsubscribe}"]
    return SubscriberMessage(
        subject=f"[{page.title}] {incident.title}: {update.state.label}",
        text="\n".join(lines) + "\n",
        event="status.incident_update",
        data={
            "page": _page_data(page, url),
            "incident": {
                "id": incident.id,
                "title": incident.title,
                "impact": incident.impact.value,
                "state": update.state.value,
                "affected": affected,
            },
            "update": {"id": update.id, "body": update.body, "at": update.at.isoformat()},
            "links": {"page": url, "unsubscribe": unsubscribe},
        },
    )


def maintenance_scheduled(
    page: StatusPage,
    url: str,
    maintenance: ScheduledMaintenance,
    affected: list[str],
    unsubscribe: str,
) -> SubscriberMessage:
    window = f"{maintenance.starts_at:%Y-%m-%d %H:%M} to {maintenance.ends_at:%Y-%m-%d %H:%M} UTC"
    lines = [maintenance.title, "", f"Scheduled: {window}"]
    if maintenance.description:
        lines += ["", maintenance.description]
    if affected:
        lines += ["", f"Affected: {', '.join(affected)}"]
    lines += ["", f"Status page: {url}", f"Unsubscribe: {unsubscribe}"]
    return SubscriberMessage(
        subject=f"[{page.title}] Scheduled maintenance: {maintenance.title}",
        text="\n".join(lines) + "\n",
        event="status.maintenance_scheduled",
        data={
            "page": _page_data(page, url),
            "maintenance": {
                "id": maintenance.id,
                "title": maintenance.title,
                "description": maintenance.description,
                "starts_at": maintenance.starts_at.isoformat(),
                "ends_at": maintenance.ends_at.isoformat(),
                "affected": affected,
            },
            "links": {"page": url, "unsubscribe": unsubscribe},
        },
    )
