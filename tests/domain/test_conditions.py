"""Query conditions shaped for both stores."""

from __future__ import annotations

from domain.store.conditions import one_of


def test_one_value_is_an_equality_and_several_an_in() -> None:
    assert one_of(["firing"]) == "firing"
    assert one_of(("triggered", "acknowledged")) == {"$in": ["triggered", "acknowledged"]}
