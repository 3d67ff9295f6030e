"""Records as the store holds them, built by hand for analytics tests."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.alert.model import Alert, Severity
from domain.auth import Role
from domain.escalation.paging import PageRequest
from domain.incident.model import Incident, IncidentStatus
from domain.service.model import Service
from domain.user.model import User
from tests.support import stored_alert

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def utc(month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


def incident(
    incident_id: str,
    service_id: str,
    created_at: datetime,
    *,
    acked_after: timedelta | None = None,
    resolved_after: timedelta | None = None,
) -> Incident:
    status = IncidentStatus.TRIGGERED
    if acked_after is not None:
        status = IncidentStatus.ACKNOWLEDGED
    if resolved_after is not None:
        status = IncidentStatus.RESOLVED
    return Incident(
        id=incident_id,
        number=1,
        title=f"incident {incident_id}",
        status=status,
        severity=Severity.ERROR,
        service_id=service_id,
        created_at=created_at,
        first_event_at=created_at,
        last_event_at=created_at,
        alert_count=1,
        open_alert_count=0 if resolved_after is not None else 1,
        acknowledged_at=created_at + acked_after if acked_after is not None else None,
        resolved_at=created_at + resolved_after if resolved_after is not None else None,
    )


def alert(
    alert_id: str,
    service: Service,
    source: str,
    received_at: datetime,
    *,
    description: str = "",
    details: dict[str, Any] | None = None,
) -> Alert:
    stored = stored_alert(
        service_id=service.id, service=service.name, at=received_at, dedup_key=alert_id
    )
    return dataclasses.replace(
        stored, id=alert_id, source=source, description=description, details=details or {}
    )


def service(service_id: str, name: str, team: str | None = None) -> Service:
    return Service(
        id=service_id, name=name, description="", depends_on=(), created_at=EPOCH, team=team
    )


def user(user_id: str, name: str, time_zone: str = "UTC") -> User:
    return User(
        id=user_id,
        name=name,
        email=f"{name}@example.com",
        role=Role.RESPONDER,
        created_at=EPOCH,
        time_zone=time_zone,
    )


def page(
    key: str, user_id: str, incident_id: str, at: datetime, service_id: str = "svc"
) -> PageRequest:
    return PageRequest(
        key=key,
        incident_id=incident_id,
        incident_number=1,
        incident_title="t",
        severity="error",
        service_id=service_id,
        service_name=service_id,
        alert_count=1,
        user_id=user_id,
        step=1,
        cycle=0,
        requested_at=at,
    )
