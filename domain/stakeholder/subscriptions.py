"""Use cases for stakeholder subscriptions.

Anyone who may read may subscribe themselves, through one of their own contact
methods (admins through anyone's). Subscribing an outside address needs RESPOND:
it sends internal information out of Vigil. A user may always unsubscribe
themselves; other subscriptions need RESPOND (outside addresses) or CONFIGURE.
Each of these is decided in the team owning the service subscribed to (or the
incident's service), by the global role when no team owns it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from domain.auth import Action, Principal
from domain.clock import Clock
from domain.contact.service import SIGNING_SECRET_PREFIX, ContactBook
from domain.errors import NotFoundError
from domain.ids import new_id
from domain.incident.service import IncidentDesk
from domain.service.service import ServiceCatalog
from domain.stakeholder.model import StakeholderSubscription, SubscriptionDraft
from domain.stakeholder.repository import SubscriptionRepository
from domain.team.ownership import ServiceOwners


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
        owners: ServiceOwners,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._contacts = contacts
        self._desk = desk
        self._services = services
        self._owners = owners
        self._clock = clock

    async def subscribe(self, principal: Principal, draft: SubscriptionDraft) -> IssuedSubscription:
        principal.require(Action.READ)
        if draft.incident_id is not None:
            service_id = (await self._desk.get(principal, draft.incident_id)).service_id
        else:
            assert draft.service_id is not None
            service_id = (await self._services.get(principal, draft.service_id)).id
        secret: str | None = None
        if draft.contact_method_id is not None:
            # Checks that the method is the caller's own (or that the caller is an admin).
            method = await self._contacts.method(principal, draft.contact_method_id)
            user_id, kind, address = method.user_id, method.kind, None
        else:
            await self._owners.require(principal, Action.RESPOND, service_id)
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
            action = Action.RESPOND if subscription.user_id is None else Action.CONFIGURE
            await self._owners.require(
                principal, action, await self._service_of(principal, subscription)
            )
        await self._repository.delete(subscription_id)

    async def listed(
        self, principal: Principal, *, incident_id: str | None, service_id: str | None
    ) -> list[StakeholderSubscription]:
        """Subscriptions to an incident, to a service, or (neither given) all of them."""
        principal.require(Action.READ)
        query: dict[str, str] = {}
        if incident_id is not None:
            await self._desk.get(principal, incident_id)
            query["incident_id"] = incident_id
        if service_id is not None:
            await self._services.get(principal, service_id)
            query["service_id"] = service_id
        found = await self._repository.where(query)
        if await self._owners.readable(principal) is None:
            return found
        # A whole list, not a page, so keeping the readable ones here keeps it whole.
        incidents = await self._desk.by_ids(
            principal, [s.incident_id for s in found if s.incident_id is not None]
        )
        services = await self._services.by_ids(
            principal, [s.service_id for s in found if s.service_id is not None]
        )
        return [s for s in found if s.incident_id in incidents or s.service_id in services]

    async def _service_of(
        self, principal: Principal, subscription: StakeholderSubscription
    ) -> str | None:
        """The service whose team governs the subscription; None once its incident is gone."""
        if subscription.incident_id is None:
            return subscription.service_id
        try:
            return (await self._desk.get(principal, subscription.incident_id)).service_id
        except NotFoundError:
            return None
