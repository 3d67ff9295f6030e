"""Bearer authentication, with a short cache so ingest bursts do not re-read tokens."""

from __future__ import annotations

import time
from collections.abc import Callable

from pymongo.errors import ConnectionFailure

from domain.auth import Principal
from domain.errors import StoreUnavailableError, UnauthenticatedError
from domain.secrets import hash_secret
from domain.user.service import UserDirectory

CACHE_SECONDS = 10.0
_CACHE_LIMIT = 10_000


def bearer_secret(header: str | None) -> str:
    if not header:
        raise UnauthenticatedError("No credentials were sent.")
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise UnauthenticatedError(
            "The Authorization header must be 'Bearer <token>'.",
        )
    return secret.strip()


class Authenticator:
    def __init__(
        self, users: UserDirectory, *, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._users = users
        self._monotonic = monotonic
        self._cache: dict[str, tuple[Principal, float]] = {}

    async def from_header(self, header: str | None) -> Principal:
        secret = bearer_secret(header)
        key = hash_secret(secret)
        now = self._monotonic()
        cached = self._cache.get(key)
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            principal = await self._users.authenticate(secret)
        except ConnectionFailure as exc:
            # A domain error, so GraphQL (HTTP and websocket) and webhooks answer it as
            # STORE_UNAVAILABLE instead of failing outside their error handling.
            raise StoreUnavailableError(
                "The database is unavailable, so the credentials cannot be checked."
            ) from exc
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = (principal, now + CACHE_SECONDS)
        return principal
