"""Narrowing a store query to the readable services, intersecting what the caller asked."""

from __future__ import annotations

import pytest

from domain.store.scope import within_services


def test_no_limit_leaves_the_query_alone() -> None:
    query = {"status": "open"}
    assert within_services(query, None) is query


def test_a_limit_is_added_when_the_query_names_no_service() -> None:
    assert within_services({"status": "open"}, {"b", "a"}) == {
        "status": "open",
        "service_id": {"$in": ["a", "b"]},
    }


def test_services_asked_for_are_intersected_with_the_readable_ones() -> None:
    asked = {"service_id": {"$in": ["a", "x"]}}
    assert within_services(asked, {"a", "b"}) == {"service_id": {"$in": ["a"]}}
    assert within_services({"service_id": "x"}, {"a"}) == {"service_id": {"$in": []}}


def test_another_field_can_be_limited() -> None:
    assert within_services({}, ["i1"], field="incident_id") == {"incident_id": {"$in": ["i1"]}}


def test_a_condition_it_cannot_narrow_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot narrow"):
        within_services({"service_id": {"$ne": "a"}}, {"a"})
