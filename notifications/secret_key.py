"""The server's secret key: from VIGIL_SECRET_KEY, or made once and kept in the store.

A key kept in the store is the same for every replica and survives restarts, so a
link signed by one process is honoured by another, tomorrow.
"""

from __future__ import annotations

import contextlib
import secrets

from pymongo.errors import DuplicateKeyError

from domain.store.database import Database

COLLECTION = "server_secrets"
_KEY_ID = "signing_key"


class SecretKey:
    def __init__(self, db: Database, configured: str | None) -> None:
        self._secrets = db[COLLECTION]
        self._key = None if configured is None else configured.encode()

    async def get(self) -> bytes:
        if self._key is None:
            self._key = await self._stored_or_new()
        return self._key

    async def _stored_or_new(self) -> bytes:
        # Another process (or an earlier start) may have made it first: then use that one.
        with contextlib.suppress(DuplicateKeyError):
            await self._secrets.insert_one({"_id": _KEY_ID, "value": secrets.token_hex(32)})
        doc = await self._secrets.find_one({"_id": _KEY_ID})
        assert doc is not None, "the secret key was just stored"
        value: str = doc["value"]
        return value.encode()
