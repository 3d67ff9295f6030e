"""The committed SDL is the schema: frontend developers never read the Python."""

from __future__ import annotations

from pathlib import Path

from api.schema.schema import sdl

ROOT = Path(__file__).resolve().parent.parent


def test_committed_sdl_matches_the_schema() -> None:
    committed = (ROOT / "frontend-schema" / "schema.graphql").read_text()
    assert committed == sdl(), "schema changed: run 'make schema' and commit the SDL"
