from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from domain.ids import new_id
from domain.store.database import Database
from domain.store.indexes import ensure_indexes
from tests.support import LiveServer


@pytest.fixture
async def db(server: LiveServer) -> AsyncIterator[Database]:
    """An indexed database of its own on the session's store, for tests that write the store
    directly and must see no other test's data; dropped afterwards."""
    database: Database = server.app.state.runtime.db.client[f"scratch_{new_id()}"]
    await ensure_indexes(database, embedded=True)
    yield database
    await database.client.drop_database(database.name)
