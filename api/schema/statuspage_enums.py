"""The status page enums, registered with GraphQL under their public names.

Import them from here, not from the domain: importing this module is what registers
them, whichever status page schema module is loaded first.
"""

from __future__ import annotations

import strawberry

from domain.statuspage.model import ComponentStatus, Impact, PublicIncidentState, SubscriberKind
from domain.statuspage.ports import StatusEventKind

strawberry.enum(ComponentStatus, name="ComponentStatus")
strawberry.enum(PublicIncidentState, name="PublicIncidentState")
strawberry.enum(Impact, name="PublicIncidentImpact")
strawberry.enum(SubscriberKind, name="StatusSubscriberKind")
strawberry.enum(StatusEventKind, name="StatusPageEventKind")

__all__ = ["ComponentStatus", "Impact", "PublicIncidentState", "StatusEventKind", "SubscriberKind"]
