"""What the responder context needs from other parts of Vigil, as protocols.

Postmortems live elsewhere (domain/postmortem); the context only links to them, so it
depends on this narrow port, and works without it (no links).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class PostmortemRef:
    """Enough of a postmortem to link to it."""

    id: str
    title: str
    state: str


class PostmortemIndex(Protocol):
    async def for_incidents(self, incident_ids: list[str]) -> dict[str, PostmortemRef]:
        """Incident id -> its postmortem, for the incidents that have one."""
        ...
