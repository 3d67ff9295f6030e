"""Signatures of generic webhooks: HMAC-SHA256 over ``timestamp + "." + body``.

Sent as ``Vigil-Signature: t=<unix seconds>,v1=<hex digest>``, the scheme Stripe made
familiar: the timestamp inside the MAC lets receivers refuse replays of old deliveries.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "Vigil-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"
