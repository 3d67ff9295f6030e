"""The public status page as a JSON feed: the public view and nothing else."""

from __future__ import annotations

from typing import Any

from domain.statuspage.public import (
    PublicComponentView,
    PublicIncidentView,
    PublicMaintenanceView,
    PublicStatusPage,
)


def feed_of(view: PublicStatusPage, url: str) -> dict[str, Any]:
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
        "maintenance": [_maintenance(m) for m in view.maintenance],
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


def _maintenance(m: PublicMaintenanceView) -> dict[str, Any]:
    return {
        "id": m.id,
        "title": m.title,
        "description": m.description,
        "starts_at": m.starts_at.isoformat(),
        "ends_at": m.ends_at.isoformat(),
        "active": m.active,
        "affected": m.affected,
    }
