"""What update templates may name (syntax: domain/placeholders.py); the values are
computed by domain/stakeholder/templates.py placeholder_values."""

from __future__ import annotations

from domain.placeholders import Placeholders

UPDATE_PLACEHOLDERS = Placeholders(
    (
        "incident.id",
        "incident.number",
        "incident.title",
        "incident.status",
        "incident.severity",
        "service.name",
    )
)
