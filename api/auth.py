"""Bearer authentication, with a short cache so ingest bursts do not re-read tokens."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from pymongo.errors import ConnectionFailure

from domain.auth import Principal, PrincipalKind
from domain.errors import StoreUnavailableError, UnauthenticatedError
from domain.secrets import hash_secret
from domain.user.service import UserDirectory

CACHE_SECONDS = 10.0
"""Integration keys: ingest bursts must not re-read their key for every batch."""
USER_CACHE_SECONDS = 2.0
"""Users: a changed team role or global role applies to their requests within this long."""
RECHECK_SECONDS = 1.0
"""How old a principal a live subscription may act on: revoked tokens and team roles
stop its events within this long."""
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


@dataclass(frozen=True, slots=True)
class _Remembered:
    secret: str
    key: str
    """The secret's hash: what the cache is keyed by."""
    found: Principal | UnauthenticatedError | None
    """What the secret stood for when last loaded; None when never loaded."""
    fresh: bool
    """Whether that load is recent enough for the caller."""


class Authenticator:
    def __init__(
        self, users: UserDirectory, *, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._users = users
        self._monotonic = monotonic
        self._cache: dict[str, tuple[Principal | UnauthenticatedError, float]] = {}
        """What each secret (by hash) stood for when last loaded: a principal, or the refusal
        of a revoked or unknown one; with when the load started."""
        self._loading: dict[str, asyncio.Future[Principal]] = {}
        """Loads in flight: every live subscriber of one token re-checks it in the same
        instant when its entry expires, and they share one load instead of each reading."""
        self._parsed: dict[str, tuple[str, str]] = {}
        """Each Authorization header seen lately, with its secret and that secret's hash:
        live operations ask again before every event, and hashing each time was a
        noticeable share of a delivery."""
        self._forgotten = 0
        """How many credentials `forget` was told of: a load that began before the latest
        returns its answer to its waiters but does not remember it, since it may have read
        the credential before it was revoked."""

    async def from_header(
        self, header: str | None, *, max_age_s: float = CACHE_SECONDS
    ) -> Principal:
        remembered = self._remembered(header, max_age_s)
        if remembered.found is not None and remembered.fresh:
            return _principal_or_raise(remembered.found)
        # Shielded: one caller giving up (a closed websocket) must not cancel the others' load.
        return await asyncio.shield(self._load_once(remembered.key, remembered.secret))

    def remembered(self, header: str, *, max_age_s: float) -> Principal | None:
        """What `header` stood for when last loaded, without waiting: live operations ask
        before every event, and must not all stall on the store at once. An entry older
        than `max_age_s` is reloaded in the background, and later calls see the result
        (a revoked token then raises UNAUTHENTICATED). None when nothing is remembered."""
        remembered = self._remembered(header, max_age_s)
        if not remembered.fresh:
            self._load_once(remembered.key, remembered.secret)
        return None if remembered.found is None else _principal_or_raise(remembered.found)

    def forget(self, secret_hash: str) -> None:
        """A revoked or deleted credential: refused by this process from now on, not only
        once its entry expires (other processes: within their cache time)."""
        self._forgotten += 1
        self._cache.pop(secret_hash, None)
        self._loading.pop(secret_hash, None)

    def _remembered(self, header: str | None, max_age_s: float) -> _Remembered:
        secret, key = self._parse(header)
        cached = self._cache.get(key)
        if cached is None:
            return _Remembered(secret, key, None, fresh=False)
        found, loaded_at = cached
        fresh = self._monotonic() - loaded_at < _max_age(found, max_age_s)
        return _Remembered(secret, key, found, fresh)

    def _parse(self, header: str | None) -> tuple[str, str]:
        """The header's secret and its hash."""
        parsed = self._parsed.get(header or "")
        if parsed is None:
            secret = bearer_secret(header)  # refuses a missing or malformed header
            parsed = (secret, hash_secret(secret))
            if len(self._parsed) >= _CACHE_LIMIT:
                self._parsed.clear()
            self._parsed[header or ""] = parsed
        return parsed

    def _load_once(self, key: str, secret: str) -> asyncio.Future[Principal]:
        loading = self._loading.get(key)
        if loading is None:
            loading = asyncio.ensure_future(self._load(key, secret))
            self._loading[key] = loading
            loading.add_done_callback(partial(self._loaded, key))
        return loading

    def _loaded(self, key: str, load: asyncio.Future[Principal]) -> None:
        self._loading.pop(key, None)
        if not load.cancelled():
            load.exception()  # retrieved: every waiter may have left before it failed

    async def _load(self, key: str, secret: str) -> Principal:
        started, forgotten = self._monotonic(), self._forgotten
        try:
            found: Principal | UnauthenticatedError = await self._users.authenticate(secret)
        except UnauthenticatedError as refused:
            found = refused
        except ConnectionFailure as exc:
            # A domain error, so GraphQL (HTTP and websocket) and webhooks answer it as
            # STORE_UNAVAILABLE instead of failing outside their error handling. What was
            # remembered stays: an outage is not a revocation.
            raise StoreUnavailableError(
                "The database is unavailable, so the credentials cannot be checked."
            ) from exc
        if forgotten == self._forgotten:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = (found, started)
        return _principal_or_raise(found)


def _principal_or_raise(found: Principal | UnauthenticatedError) -> Principal:
    if isinstance(found, UnauthenticatedError):
        raise found
    return found


def _max_age(found: Principal | UnauthenticatedError, asked_s: float) -> float:
    if isinstance(found, UnauthenticatedError) or found.kind is PrincipalKind.USER:
        return min(asked_s, USER_CACHE_SECONDS)
    return asked_s
