"""Use cases for users and API tokens, and authentication of bearer secrets."""

from __future__ import annotations

import logging

from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.auth import Action, Principal, PrincipalKind, Role
from domain.clock import Clock
from domain.errors import NotFoundError, UnauthenticatedError
from domain.ids import new_id
from domain.integration.repository import IntegrationKeyRepository
from domain.secrets import SecretKind, generate_secret, hash_secret, kind_of
from domain.team.principals import user_principal
from domain.team.repository import TeamRepository
from domain.user.model import ApiToken, IssuedToken, User, UserChanges, UserDraft
from domain.user.repository import UserRepository

log = logging.getLogger(__name__)

BOOTSTRAP_ADMIN = "admin"


class UserDirectory:
    def __init__(
        self,
        *,
        users: UserRepository,
        integration_keys: IntegrationKeyRepository,
        teams: TeamRepository,
        audit: AuditTrail,
        clock: Clock,
    ) -> None:
        self._users = users
        self._teams = teams
        self._audit = audit
        self._keys = integration_keys
        self._clock = clock

    async def authenticate(self, secret: str) -> Principal:
        """The principal a bearer secret stands for, or UNAUTHENTICATED."""
        secret_hash = hash_secret(secret)
        if kind_of(secret) is SecretKind.INTEGRATION_KEY:
            key = await self._keys.by_secret_hash(secret_hash)
            if key is not None:
                return Principal(
                    PrincipalKind.INTEGRATION_KEY, key.id, key.name, service_id=key.service_id
                )
        else:
            # Tokens given through VIGIL_ADMIN_TOKEN may lack the "vgl_" prefix.
            user = await self._users.user_for_token_hash(secret_hash)
            if user is not None:
                return await user_principal(user, self._teams)
        raise UnauthenticatedError("The bearer token is unknown or was revoked.")

    async def create_user(self, principal: Principal, draft: UserDraft) -> User:
        principal.require(Action.CONFIGURE)
        user = User(
            id=new_id(),
            name=draft.name,
            email=draft.email,
            role=draft.role,
            created_at=self._clock.now(),
            time_zone=draft.time_zone,
        )
        await self._users.insert(user)
        await self._audit.created(principal, AuditResource.USER, user)
        return user

    async def update_user(self, principal: Principal, user_id: str, changes: UserChanges) -> User:
        """Users may always change their own e-mail and time zone; others need an admin."""
        principal.require(Action.READ)
        if user_id != principal.id:
            principal.require(Action.CONFIGURE)
        if changes.email is None and changes.time_zone is None:
            return await self.get(principal, user_id)
        before = await self.get(principal, user_id)
        user = await self._users.update(user_id, changes)
        if user is None:
            raise NotFoundError(f"No user with id '{user_id}'.")
        await self._audit.updated(principal, AuditResource.USER, before, user)
        return user

    async def get(self, principal: Principal, user_id: str) -> User:
        principal.require(Action.READ)
        user = await self._users.by_id(user_id)
        if user is None:
            raise NotFoundError(f"No user with id '{user_id}'.")
        return user

    async def issue_token(self, principal: Principal, *, user_id: str, name: str) -> IssuedToken:
        """A new API token for a user; users may always issue their own."""
        await self._require_self_or_admin(principal, user_id)
        issued = await self._issue(user_id, name, generate_secret(SecretKind.API_TOKEN))
        await self._audit.created(principal, AuditResource.API_TOKEN, issued.token)
        return issued

    async def tokens(self, principal: Principal, user_id: str) -> list[ApiToken]:
        """A user's API tokens, without their secrets: your own, or anyone's as an admin."""
        await self._require_self_or_admin(principal, user_id)
        return await self._users.tokens_of(user_id)

    async def _require_self_or_admin(self, principal: Principal, user_id: str) -> None:
        """`user_id` is the caller, or an existing user and the caller an admin."""
        principal.require(Action.READ)
        if user_id != principal.id:
            principal.require(Action.CONFIGURE)
            await self.get(principal, user_id)

    async def revoke_token(self, principal: Principal, token_id: str) -> ApiToken:
        """Delete an API token: your own, or anyone's as an admin. Requests with it are
        refused from then on (the caller's process forgets it at once, see api/auth.py)."""
        principal.require(Action.READ)
        token = await self._users.token(token_id)
        if token is None:
            raise NotFoundError(
                f"No API token with id '{token_id}'.",
                suggestion="List the tokens with `apiTokens`; a revoked token is gone.",
            )
        if token.user_id != principal.id:
            principal.require(Action.CONFIGURE)
        await self._users.delete_token(token_id)
        await self._audit.deleted(principal, AuditResource.API_TOKEN, token)
        return token

    async def ensure_admin_token(self, secret: str) -> None:
        """Make sure `secret` authenticates an admin (VIGIL_ADMIN_TOKEN)."""
        secret_hash = hash_secret(secret)
        if await self._users.has_token_hash(secret_hash):
            return
        admin = await self._bootstrap_admin()
        await self._users.insert_token(
            ApiToken(
                id=new_id(),
                user_id=admin.id,
                name="VIGIL_ADMIN_TOKEN",
                secret_hash=secret_hash,
                created_at=self._clock.now(),
            )
        )

    async def bootstrap_if_empty(self) -> str | None:
        """On a store with no admin, create one and return its first token's secret."""
        if await self._users.count_admins() > 0:
            return None
        admin = await self._bootstrap_admin()
        issued = await self._issue(admin.id, "bootstrap", generate_secret(SecretKind.API_TOKEN))
        return issued.secret

    async def _bootstrap_admin(self) -> User:
        existing = await self._users.by_name(BOOTSTRAP_ADMIN)
        if existing is not None:
            return existing
        admin = User(
            id=new_id(),
            name=BOOTSTRAP_ADMIN,
            email="admin@localhost",
            role=Role.ADMIN,
            created_at=self._clock.now(),
        )
        await self._users.insert(admin)
        return admin

    async def _issue(self, user_id: str, name: str, secret: str) -> IssuedToken:
        token = ApiToken(
            id=new_id(),
            user_id=user_id,
            name=name,
            secret_hash=hash_secret(secret),
            created_at=self._clock.now(),
        )
        await self._users.insert_token(token)
        return IssuedToken(token=token, secret=secret)
