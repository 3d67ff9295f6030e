"""Connecting to MongoDB and naming the collections Vigil uses."""

from __future__ import annotations

from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.monitoring import CommandListener

Document = dict[str, Any]
Collection = AsyncCollection[Document]
Database = AsyncDatabase[Document]


def connect(
    uri: str,
    *,
    listeners: list[CommandListener] | None = None,
    timeout_s: float = 5.0,
    socket_timeout_s: float | None = None,
) -> AsyncMongoClient[Document]:
    """A client that returns timezone-aware UTC datetimes and fails fast when the store is down.

    `timeout_s` bounds finding the store, connecting to it and waiting for a free
    connection (a store that is down), and `socket_timeout_s` one reply (a store that
    hangs; None: no limit). A hung store fails an operation after at most about their
    sum (a read is retried once, after a wait for a connection). All raise
    ConnectionFailure, which the API answers with STORE_UNAVAILABLE. Not the driver's
    overall `timeoutMS`: it would bound the whole life of a cursor, and long reads
    (warming the correlator, analytics) would fail under load.
    """
    return AsyncMongoClient(
        uri,
        tz_aware=True,
        serverSelectionTimeoutMS=int(timeout_s * 1000),
        connectTimeoutMS=int(timeout_s * 1000),
        waitQueueTimeoutMS=int(timeout_s * 1000),
        socketTimeoutMS=None if socket_timeout_s is None else int(socket_timeout_s * 1000),
        event_listeners=listeners or [],
    )
