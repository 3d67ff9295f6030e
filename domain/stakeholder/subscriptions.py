"""Use cases for stakeholder subscriptions.

Anyone who may read may subscribe themselves, through one of their own contact
methods (admins through anyone's). Subscribing an outside address needs RESPOND:
it sends internal information out of Vigil. A user may always unsubscribe
themselves; other subscriptions need RESPOND (outside addresses) or CONFIGURE.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from domain.auth import Action, Principal
from domain.clock import Clock
from domain.contact.service import SIGNING_SECRET_PREFIX, ContactBook
from domain.ids import new_id
from domain.incident.service import IncidentDesk
from domain.service.service import ServiceCatalog
from domain.stakeholder.model import StakeholderSubscription, SubscriptionDraft
from domain.stakeholder.repository import SubscriptionRepository


@dataclass(frozen=True, slots=True)
class IssuedSubscription:
    subscription: StakeholderSubscription
    signing_secret: str | None
    """Outside webhooks only; shown once."""


class StakeholderSubscriptions:
    def __init__(
        self,
        *,
        repository: SubscriptionRepository,
        contacts: ContactBook,
        desk: IncidentDesk,
        services: ServiceCatalog,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._contacts = contacts
        self._desk = desk
        self._services = services
        self._clock = clock

    async def subscribe(self, principal: Principal, draft: SubscriptionDraft) -> IssuedSubscription:
        principal.require(Action.READ)
        if draft.incident_id is not None:
            await self._desk.get(principal, draft.incident_id)
        if draft.service_id is not None:
            await self._services.get(principal, draft.service_id)
        secret: str | None = None
        if draft.contact_method_id is not None:
            # Checks that the method is the caller's own (or that the caller is an admin).
            method = await self._contacts.method(principal, draft.contact_method_id)
            user_id, kind, address = method.user_id, method.kind, None
        else:
            principal.require(Action.RESPOND)
            assert draft.kind is not None and draft.address is not None
            user_id, kind, address = None, draft.kind, draft.address
            if kind.signed:
                secret = SIGNING_SECRET_PREFIX + secrets.token_urlsafe(32)
        subscription = StakeholderSubscription(
            id=new_id(),
            incident_id=draft.incident_id,
            service_id=draft.service_id,
            user_id=user_id,
            contact_method_id=draft.contact_method_id,
            kind=kind,
            address=address,
            name=draft.name,
            signing_secret=secret,
            created_by=principal.actor,
            created_at=self._clock.now(),
        )
        await self._repository.add(subscription)
        return IssuedSubscription(subscription, secret)

    async def unsubscribe(self, principal: Principal, subscription_id: str) -> None:
        principal.require(Action.READ)
        subscription = await self._repository.get(subscription_id)
        if subscription.user_id != principal.id:
            principal.require(Action.RESPOND if subscription.user_id is None else Action.CONFIGURE)
        await self._repository.delete(subscription_id)

    async def listed(
        self, principal: Principal, *, incident_id: str | None, service_id: str | None
    ) -> list[StakeholderSubscription]:
        """Subscriptions to an incident, to a service, or (neither given) all of them."""
        principal.require(Action.READ)
        query: dict[str, str] = {}
        if incident_id is not None:
            query["incident_id"] = incident_id
        if service_id is not None:
            query["service_id"] = service_id
        return await self._repository.where(query)
