"""The domain's enums, registered with GraphQL under their member names.

Registration marks the domain classes themselves, so resolvers return domain
values directly and no second copy of any enum exists.
"""

from __future__ import annotations

import strawberry

from domain.alert.model import AlertStatus, Severity
from domain.auth.principal import Role, TeamRole
from domain.errors import ErrorCode
from domain.events import IncidentEventKind
from domain.incident.model import IncidentStatus, TimelineKind
from domain.ingest.model import IngestOutcomeKind
from domain.noise.model import SuppressionKind
from domain.response.model import FieldKind, Priority

for _enum in (
    Severity,
    AlertStatus,
    IncidentStatus,
    TimelineKind,
    IncidentEventKind,
    Role,
    TeamRole,
    SuppressionKind,
    Priority,
):
    strawberry.enum(_enum)
strawberry.enum(FieldKind, name="CustomFieldKind")
strawberry.enum(IngestOutcomeKind, name="IngestOutcome")
strawberry.enum(ErrorCode, description="Stable codes found in every error's extensions.code.")

__all__ = [
    "AlertStatus",
    "ErrorCode",
    "FieldKind",
    "IncidentEventKind",
    "IncidentStatus",
    "IngestOutcomeKind",
    "Priority",
    "Role",
    "Severity",
    "SuppressionKind",
    "TeamRole",
    "TimelineKind",
]
