"""Use cases for integration keys."""

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


class IntegrationKeys:
    def __init__(
        self,
        *,
        repository: IntegrationKeyRepository,
        services: ServiceCatalog,
        audit: AuditTrail,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._audit = audit
        self._services = services
        self._clock = clock

    async def create(
        self, principal: Principal, draft: IntegrationKeyDraft
    ) -> IssuedIntegrationKey:
        principal.require(Action.CONFIGURE)
        if draft.service_id is not None:
            await self._services.get(principal, draft.service_id)
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
