"""Per-credential rate limits: a token bucket per API token and per integration key.

Buckets live in this process: with several replicas behind a load balancer, each replica
limits on its own, so a caller may reach up to N times the rate in total. Keys are hashes
of the credential as sent, checked before authentication, so a flood of bad tokens is
limited too without a store read; the buckets kept are bounded (least recently used go).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from api.metrics import RATE_LIMITED
from domain.errors import RateLimitedError
from domain.secrets import SecretKind, hash_secret, kind_of
from vigil.settings import Settings

MAX_BUCKETS = 100_000


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class TokenBuckets:
    def __init__(
        self,
        rate_per_s: float,
        burst: int,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        max_buckets: int = MAX_BUCKETS,
    ) -> None:
        self.rate = rate_per_s
        self.burst = burst
        self._monotonic = monotonic
        self._max = max_buckets
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, key: str) -> float:
        """Spend one request of `key`: 0 if allowed, else the seconds until it would be."""
        if self.rate <= 0:
            return 0.0
        now = self._monotonic()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
            if len(self._buckets) > self._max:
                self._buckets.popitem(last=False)
        else:
            self._buckets.move_to_end(key)
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / self.rate


class RateLimits:
    """One bucket set for API tokens, one for integration keys (told apart by prefix)."""

    def __init__(self, settings: Settings) -> None:
        self.api = TokenBuckets(settings.api_rate_per_s, settings.api_rate_burst)
        self.ingest = TokenBuckets(settings.ingest_rate_per_s, settings.ingest_rate_burst)

    def check(self, secret: str) -> None:
        """Spend one request of the credential `secret`, or raise RateLimitedError."""
        is_key = kind_of(secret) is SecretKind.INTEGRATION_KEY
        buckets = self.ingest if is_key else self.api
        wait = buckets.take(hash_secret(secret))
        if wait <= 0:
            return
        credential = "integration key" if is_key else "API token"
        RATE_LIMITED.labels("integration_key" if is_key else "api_token").inc()
        setting = "VIGIL_INGEST_RATE_PER_SECOND" if is_key else "VIGIL_API_RATE_PER_SECOND"
        raise RateLimitedError(
            f"Too many requests for this {credential}: the limit is {buckets.rate:g} per "
            f"second with bursts of {buckets.burst}.",
            retry_after_s=max(1, math.ceil(wait)),
            suggestion=f"Wait the seconds in Retry-After, then retry; send larger batches "
            f"instead of more requests, or ask the operator to raise {setting}.",
        )


def presented_secret(header: str | None) -> str | None:
    """The credential in an Authorization header, if it has the Bearer shape."""
    scheme, _, secret = (header or "").strip().partition(" ")
    secret = secret.strip()
    return secret if scheme.lower() == "bearer" and secret else None
