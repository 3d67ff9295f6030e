"""Use cases for integration keys.

A key bound to a service is managed (issued, listed, deleted) by the managers of the
service's team (by admins when no team owns the service); a key bound to no service
may send alerts for any service, so only admins manage those.
"""

from __future__ import annotations

from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.auth import Action, Principal
from domain.clock import Clock
from domain.ids import new_id
from domain.integration.model import IntegrationKey, IntegrationKeyDraft, IssuedIntegrationKey
from domain.integration.repository import IntegrationKeyRepository
from domain.secrets import SecretKind, generate_secret, hash_secret
from domain.service.service import ServiceCatalog
from domain.team.ownership import ServiceOwners


class IntegrationKeys:
    def __init__(
        self,
        *,
        repository: IntegrationKeyRepository,
        services: ServiceCatalog,
        owners: ServiceOwners,
        audit: AuditTrail,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._audit = audit
        self._services = services
        self._owners = owners
        self._clock = clock

    async def create(
        self, principal: Principal, draft: IntegrationKeyDraft
    ) -> IssuedIntegrationKey:
        await self._require_configure(principal, draft.service_id)
        secret = generate_secret(SecretKind.INTEGRATION_KEY)
        key = IntegrationKey(
            id=new_id(),
            name=draft.name,
            service_id=draft.service_id,
            secret_hash=hash_secret(secret),
            created_at=self._clock.now(),
        )
        await self._repository.insert(key)
        await self._audit.created(principal, AuditResource.INTEGRATION_KEY, key)
        return IssuedIntegrationKey(key=key, secret=secret)

    async def of_service(
        self, principal: Principal, service_id: str | None
    ) -> list[IntegrationKey]:
        """The keys bound to `service_id`; None: those bound to no service."""
        await self._require_configure(principal, service_id)
        return await self._repository.of_service(service_id)

    async def delete(self, principal: Principal, key_id: str) -> IntegrationKey:
        """Alerts sent with the key are refused from now on."""
        principal.require(Action.READ)
        key = await self._repository.get(key_id)
        await self._require_configure(principal, key.service_id)
        await self._repository.delete(key_id)
        await self._audit.deleted(principal, AuditResource.INTEGRATION_KEY, key)
        return key

    async def _require_configure(self, principal: Principal, service_id: str | None) -> None:
        if service_id is None:
            principal.require(Action.CONFIGURE)
            return
        # Reading first: an unknown or unreadable service stays NOT_FOUND or FORBIDDEN.
        await self._services.get(principal, service_id)
        await self._owners.require(principal, Action.CONFIGURE, service_id)
