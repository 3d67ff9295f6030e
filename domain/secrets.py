"""Secrets (API tokens, integration keys): generated once, shown once, stored hashed.

Secrets are 256 random bits, so a plain SHA-256 is enough to make the stored
value useless to a thief; a slow password hash would only slow every request.
"""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum


class SecretKind(StrEnum):
    API_TOKEN = "vgl_"
    INTEGRATION_KEY = "vik_"
    HEARTBEAT = "vhb_"
    CALENDAR_FEED = "vcf_"


def generate_secret(kind: SecretKind) -> str:
    return kind.value + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def kind_of(secret: str) -> SecretKind | None:
    for kind in SecretKind:
        if secret.startswith(kind.value):
            return kind
    return None
