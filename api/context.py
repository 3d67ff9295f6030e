"""Per-request (or per-websocket) GraphQL context."""

from __future__ import annotations

from typing import Any

from api.auth import RECHECK_SECONDS, Authenticator
from api.container import Container
from api.schema.loaders import Loaders
from domain.auth import Principal
from domain.errors import UnauthenticatedError, VigilError


class Context:
    def __init__(
        self,
        *,
        container: Container,
        authenticator: Authenticator,
    ) -> None:
        self.container = container
        self.authenticator = authenticator
        self._principal: Principal | None = None
        self._credentials: str | None = None
        self._auth_error: VigilError | None = None
        # Set by the websocket handler from the connection_init payload.
        self.connection_params: dict[str, Any] | None = None
        self._loaders: Loaders | None = None

    @property
    def principal(self) -> Principal:
        if self._principal is None:
            raise self._auth_error or UnauthenticatedError("No credentials were sent.")
        return self._principal

    @property
    def audience(self) -> str:
        """Callers who are shown the same data: the kind of caller, its global role and its
        team roles. Subscribers of one audience share the execution of each live event
        (api/schema/shared_execution.py). Anonymous callers (public status page readers)
        are one audience of their own."""
        if self._principal is None:
            return "anonymous"
        principal = self._principal
        teams = ",".join(f"{slug}={role}" for slug, role in sorted(principal.team_roles))
        return f"{principal.kind}:{principal.role}:{teams}"

    def authenticate(self, principal: Principal, credentials: str | None) -> None:
        """`credentials` (the Authorization header) let live operations check again later."""
        self._principal, self._credentials, self._auth_error = principal, credentials, None

    async def recheck(self) -> Principal:
        """The caller as it is now (at most RECHECK_SECONDS old, plus the time to load
        it): a live operation asks before each event, so a revoked token or team role
        stops what it may see. Raises UNAUTHENTICATED once the token is revoked."""
        principal = self.principal
        if self._credentials is None:
            return principal
        fresh = self.authenticator.remembered(self._credentials, max_age_s=RECHECK_SECONDS)
        if fresh is None:
            fresh = await self.authenticator.from_header(self._credentials)
        if fresh is not principal and fresh != principal:
            self._principal = fresh
            self.refresh_loaders()
        return fresh

    def reject(self, error: VigilError) -> None:
        """Remember why credentials failed; raised when a resolver asks who is calling."""
        self._principal, self._auth_error = None, error

    @property
    def loaders(self) -> Loaders:
        if self._loaders is None:
            self._loaders = Loaders(self.container, lambda: self.principal)
        return self._loaders

    def refresh_loaders(self) -> None:
        """Drop cached loads: a websocket's context lives across many events."""
        self._loaders = None
