"""The authenticator remembers principals briefly and loads each token once at a time."""

from __future__ import annotations

import asyncio

import pytest

from api.auth import USER_CACHE_SECONDS, Authenticator
from domain.auth import Principal, PrincipalKind, Role
from domain.errors import UnauthenticatedError
from domain.secrets import hash_secret
from domain.user.service import UserDirectory


class CountingDirectory:
    """Stands in for UserDirectory.authenticate only, to count loads and make them slow."""

    def __init__(self) -> None:
        self.loads = 0

    async def authenticate(self, secret: str) -> Principal:
        self.loads += 1
        await asyncio.sleep(0.05)
        return Principal(PrincipalKind.USER, "u1", "ann", role=Role.VIEWER)


def authenticator(directory: CountingDirectory, clock: list[float]) -> Authenticator:
    users: UserDirectory = directory  # type: ignore[assignment]  # only authenticate is used
    return Authenticator(users, monotonic=lambda: clock[0])


async def test_many_subscribers_rechecking_at_once_share_one_load() -> None:
    directory, clock = CountingDirectory(), [0.0]
    auth = authenticator(directory, clock)
    found = await asyncio.gather(*(auth.from_header("Bearer vgl_x") for _ in range(500)))
    assert directory.loads == 1
    assert {p.name for p in found} == {"ann"}


async def test_a_user_principal_is_loaded_again_after_two_seconds() -> None:
    directory, clock = CountingDirectory(), [0.0]
    auth = authenticator(directory, clock)
    await auth.from_header("Bearer vgl_x")
    clock[0] = USER_CACHE_SECONDS - 0.1
    await auth.from_header("Bearer vgl_x")
    assert directory.loads == 1
    clock[0] = USER_CACHE_SECONDS + 0.1
    await auth.from_header("Bearer vgl_x")
    assert directory.loads == 2


async def test_a_recheck_asks_for_a_fresher_principal() -> None:
    directory, clock = CountingDirectory(), [0.0]
    auth = authenticator(directory, clock)
    await auth.from_header("Bearer vgl_x")
    clock[0] = 1.5
    await auth.from_header("Bearer vgl_x", max_age_s=1.0)
    assert directory.loads == 2


async def test_a_waiter_that_gives_up_does_not_cancel_the_others() -> None:
    directory, clock = CountingDirectory(), [0.0]
    auth = authenticator(directory, clock)
    impatient = asyncio.ensure_future(auth.from_header("Bearer vgl_x"))
    patient = asyncio.ensure_future(auth.from_header("Bearer vgl_x"))
    await asyncio.sleep(0.01)
    impatient.cancel()
    assert (await patient).name == "ann"
    assert directory.loads == 1


class RevokingDirectory(CountingDirectory):
    """Knows the token until `revoked` is set."""

    revoked = False

    async def authenticate(self, secret: str) -> Principal:
        principal = await super().authenticate(secret)
        if self.revoked:
            raise UnauthenticatedError("The bearer token is unknown or was revoked.")
        return principal


async def test_a_live_recheck_never_waits_and_sees_a_revocation_after_the_reload() -> None:
    directory, clock = RevokingDirectory(), [0.0]
    auth = authenticator(directory, clock)
    assert auth.remembered("Bearer vgl_x", max_age_s=1.0) is None  # nothing yet: load it
    await asyncio.sleep(0.1)
    assert directory.loads == 1
    directory.revoked = True
    clock[0] = 1.5
    # Old enough to reload: answered from memory at once, reloaded in the background.
    assert auth.remembered("Bearer vgl_x", max_age_s=1.0) is not None
    await asyncio.sleep(0.1)
    assert directory.loads == 2
    with pytest.raises(UnauthenticatedError):
        auth.remembered("Bearer vgl_x", max_age_s=1.0)


class SlowToAnswerDirectory(CountingDirectory):
    """Reads the token at once, answers 0.05 s later: a revocation can fall in between."""

    revoked = False

    async def authenticate(self, secret: str) -> Principal:
        valid = not self.revoked
        principal = await super().authenticate(secret)
        if not valid:
            raise UnauthenticatedError("The bearer token is unknown or was revoked.")
        return principal


async def test_a_load_under_way_when_its_token_is_revoked_is_not_remembered() -> None:
    directory, clock = SlowToAnswerDirectory(), [0.0]
    auth = authenticator(directory, clock)
    in_flight = asyncio.ensure_future(auth.from_header("Bearer vgl_x"))
    await asyncio.sleep(0.01)  # the load has read the token, still valid
    directory.revoked = True
    auth.forget(hash_secret("vgl_x"))

    assert (await in_flight).name == "ann"  # began before the revocation
    with pytest.raises(UnauthenticatedError):
        await auth.from_header("Bearer vgl_x")
    assert directory.loads == 2
