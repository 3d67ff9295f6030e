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
    uri: str, *, listeners: list[CommandListener] | None = None
) -> AsyncMongoClient[Document]:
    """A client that returns timezone-aware UTC datetimes and fails fast when the store is down."""
    return AsyncMongoClient(
        uri,
        tz_aware=True,
        serverSelectionTimeoutMS=5000,
        event_listeners=listeners or [],
    )
