"""Per-request (or per-websocket) GraphQL context."""

from __future__ import annotations

from typing import Any

from api.auth import Authenticator
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
        """Callers who are shown the same data: today every reader sees every incident, so
        the kind of caller and its role. Subscribers of one audience share the execution of
        each live event (api/schema/shared_execution.py). Anonymous callers (public status
        page readers) are one audience of their own."""
        if self._principal is None:
            return "anonymous"
        principal = self._principal
        return f"{principal.kind}:{principal.role}"

    def authenticate(self, principal: Principal) -> None:
        self._principal, self._auth_error = principal, None

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
