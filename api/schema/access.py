"""Typed access to the request context from resolvers."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import strawberry

if TYPE_CHECKING:
    from api.context import Context


def context_of(info: strawberry.Info) -> Context:
    return cast("Context", info.context)
