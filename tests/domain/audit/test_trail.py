"""The recorder writes one entry per change, with the actor, the request and the time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.audit.model import AuditAction, AuditFilter, AuditResource
from domain.audit.redaction import REDACTED
from domain.audit.repository import AuditRepository
from domain.audit.trail import AuditLog, AuditTrail
from domain.auth import Principal, PrincipalKind, Role
from domain.errors import ForbiddenError
from domain.store.database import Document
from domain.store.pagination import PageRequest
from tests.support import own_store

ADMIN = Principal(PrincipalKind.USER, "u1", "ada", role=Role.ADMIN)
RESPONDER = Principal(PrincipalKind.USER, "u2", "bob", role=Role.RESPONDER)
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class FixedClock:
    def now(self) -> datetime:
        return NOW


@dataclass(frozen=True)
class Key:
    id: str
    name: str
    secret_hash: str

    def to_document(self) -> Document:
        return {"_id": self.id, "name": self.name, "secret_hash": self.secret_hash}


@pytest.fixture
async def repository(tmp_path: Path) -> AsyncIterator[AuditRepository]:
    async with own_store(tmp_path) as db:
        yield AuditRepository(db)


async def test_each_change_is_one_entry_newest_first(repository: AuditRepository) -> None:
    serving: ContextVar[str | None] = ContextVar("serving", default=None)
    trail = AuditTrail(repository=repository, clock=FixedClock(), request_id=serving.get)
    old, new = Key("k1", "old", "h1"), Key("k1", "new", "h2")
    token = serving.set("req-42")
    try:
        await trail.created(ADMIN, AuditResource.INTEGRATION_KEY, old)
        await trail.updated(ADMIN, AuditResource.INTEGRATION_KEY, old, new)
    finally:
        serving.reset(token)
    await trail.deleted(RESPONDER, AuditResource.INTEGRATION_KEY, new)

    page = await AuditLog(repository=repository).entries(
        ADMIN, AuditFilter(resource_id="k1"), PageRequest(first=10)
    )
    deleted, updated, created = page.items
    assert [e.action for e in page.items] == [
        AuditAction.DELETE,
        AuditAction.UPDATE,
        AuditAction.CREATE,
    ]
    assert created.after == {"_id": "k1", "name": "old", "secret_hash": REDACTED}
    assert (updated.before, updated.after) == (created.after, deleted.before)
    assert updated.resource_name == "new" and deleted.actor.id == "u2"
    assert [e.request_id for e in page.items] == [None, "req-42", "req-42"]
    assert all(e.at == NOW for e in page.items)
    assert [e.id for e in await trail.latest(AuditResource.INTEGRATION_KEY, 2)] == [
        deleted.id,
        updated.id,
    ]


async def test_only_admins_read_the_log(repository: AuditRepository) -> None:
    with pytest.raises(ForbiddenError):
        await AuditLog(repository=repository).entries(
            RESPONDER, AuditFilter(), PageRequest(first=1)
        )
