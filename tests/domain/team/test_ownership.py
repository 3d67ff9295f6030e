"""ServiceOwners on the real embedded store: which team owns each service, and so which
services' things a principal may read or act on."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime

import pytest

from domain.auth import Action, Principal, PrincipalKind, Role, TeamRole
from domain.errors import ForbiddenError
from domain.ids import new_id
from domain.service.model import Service
from domain.service.repository import ServiceRepository
from domain.store.database import Database
from domain.team.ownership import TTL_SECONDS, ServiceOwners
from tests.support import eventually


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def add_service(services: ServiceRepository, team: str | None) -> Service:
    service = Service(
        id=new_id(),
        name=f"svc-{new_id()}",
        description="",
        depends_on=(),
        created_at=datetime.now(UTC),
        team=team,
    )
    await services.insert(service)
    return service


def user(role: Role, **teams: TeamRole) -> Principal:
    return Principal(
        PrincipalKind.USER, new_id(), "ann", role=role, team_roles=tuple(teams.items())
    )


async def test_readable_services_are_the_teams_and_the_unowned(db: Database) -> None:
    services = ServiceRepository(db)
    owners = ServiceOwners(services)
    mine = await add_service(services, "payments")
    theirs = await add_service(services, "search")
    nobodys = await add_service(services, None)
    viewer = user(Role.VIEWER, payments=TeamRole.VIEWER)
    assert await owners.readable(viewer) == frozenset({mine.id, nobodys.id})
    assert await owners.readable(user(Role.ADMIN)) is None
    assert await owners.can(viewer, Action.READ, mine.id)
    assert not await owners.can(viewer, Action.READ, theirs.id)
    assert theirs.id not in (await owners.readable(user(Role.RESPONDER)) or set())


async def test_require_names_the_owning_team(db: Database) -> None:
    services = ServiceRepository(db)
    owners = ServiceOwners(services)
    service = await add_service(services, "payments")
    await owners.require(user(Role.VIEWER, payments=TeamRole.RESPONDER), Action.RESPOND, service.id)
    with pytest.raises(ForbiddenError) as raised:
        await owners.require(user(Role.RESPONDER), Action.RESPOND, service.id)
    assert "team 'payments'" in raised.value.message


async def test_a_service_created_elsewhere_is_found_at_once(db: Database) -> None:
    """A service missing from the cached map is read again, never taken as unowned."""
    services = ServiceRepository(db)
    ticks = Ticks()
    owners = ServiceOwners(services, monotonic=ticks)
    await owners.readable(user(Role.VIEWER))
    late = await add_service(services, "payments")
    assert await owners.owner_of(late.id) == "payments"
    assert not await owners.can(user(Role.RESPONDER), Action.RESPOND, late.id)


async def test_a_change_of_team_is_seen_once_the_map_expires_and_is_read_again(
    db: Database,
) -> None:
    services = ServiceRepository(db)
    ticks = Ticks()
    owners = ServiceOwners(services, monotonic=ticks)
    service = await add_service(services, "payments")
    assert await owners.owner_of(service.id) == "payments"
    await services.replace(dataclasses.replace(service, team="search"))
    assert await owners.owner_of(service.id) == "payments"
    ticks.now += TTL_SECONDS
    # The expired map still answers at once, while one read refreshes it.
    assert await owners.owner_of(service.id) == "payments"

    async def moved() -> bool:
        return await owners.owner_of(service.id) == "search"

    assert await eventually(moved, seconds=2)


async def test_forget_reads_the_owners_again(db: Database) -> None:
    services = ServiceRepository(db)
    owners = ServiceOwners(services, monotonic=Ticks())
    service = await add_service(services, "payments")
    assert await owners.owner_of(service.id) == "payments"
    await services.replace(dataclasses.replace(service, team=None))
    owners.forget()
    assert await owners.owner_of(service.id) is None


class CountingServices(ServiceRepository):
    """The real repository, counting how often the owner map is read."""

    reads = 0

    async def owners(self) -> dict[str, str | None]:
        self.reads += 1
        return await super().owners()


async def test_subscribers_checking_a_new_service_at_once_read_the_map_once(
    db: Database,
) -> None:
    services = CountingServices(db)
    owners = ServiceOwners(services, monotonic=Ticks())
    await owners.owner_of("warm")
    reads_before = services.reads
    # An alert registers a service this process has not seen; 500 live subscribers
    # check its first event in the same instant.
    fresh = await add_service(services, "payments")
    viewer = user(Role.VIEWER, payments=TeamRole.VIEWER)
    allowed = await asyncio.gather(*(owners.can(viewer, Action.READ, fresh.id) for _ in range(500)))
    assert all(allowed)
    assert services.reads - reads_before == 1
