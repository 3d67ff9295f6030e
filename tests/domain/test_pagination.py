"""Opaque keyset cursors and page requests."""

from __future__ import annotations

import base64
import json

import pytest

from domain.errors import ErrorCode, ValidationError
from domain.store.pagination import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    Page,
    PageRequest,
    decode_cursor,
    encode_cursor,
    parse_cursor,
)

ITEM = "665f1c2e9b1e8a0001a1b2c3"


def test_cursor_round_trip() -> None:
    assert decode_cursor(encode_cursor(ITEM)) == ITEM


def test_cursor_is_opaque_and_url_safe() -> None:
    cursor = encode_cursor(ITEM)
    assert ITEM not in cursor
    assert "=" not in cursor
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_distinct_ids_give_distinct_cursors() -> None:
    assert encode_cursor(ITEM) != encode_cursor(ITEM[:-1] + "4")


def _raw_cursor(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor!",
        "",
        "x",
        encode_cursor(ITEM)[:-3],  # truncated
        encode_cursor(ITEM)[5:],  # cut at the front
        _raw_cursor([]),  # too short
        _raw_cursor([ITEM, "extra"]),  # too long
        _raw_cursor({"id": ITEM}),  # wrong shape
        _raw_cursor(42),
        _raw_cursor([12345]),  # id not a string
        base64.urlsafe_b64encode(b"\xff\xfe\x00").decode(),  # not UTF-8 JSON
    ],
)
def test_tampered_cursor_raises_validation_error(cursor: str) -> None:
    with pytest.raises(ValidationError) as caught:
        decode_cursor(cursor)
    error = caught.value
    assert error.code is ErrorCode.VALIDATION
    assert error.field == "after"
    assert "cursor" in error.message


def test_a_cursor_may_carry_where_its_item_stood() -> None:
    assert parse_cursor(encode_cursor(ITEM, 41)).position == 41
    assert parse_cursor(encode_cursor(ITEM)).position is None
    assert decode_cursor(encode_cursor(ITEM, 41)) == ITEM


@pytest.mark.parametrize("position", [-1, 1.5, True, "3", None])
def test_a_position_that_is_not_a_count_is_refused(position: object) -> None:
    with pytest.raises(ValidationError):
        parse_cursor(_raw_cursor([ITEM, position]))


def test_page_request_defaults() -> None:
    request = PageRequest()
    assert request.first == DEFAULT_PAGE_SIZE
    assert request.after is None


@pytest.mark.parametrize("first", [1, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE])
def test_page_request_accepts_sizes_within_bounds(first: int) -> None:
    assert PageRequest(first=first).first == first


@pytest.mark.parametrize("first", [0, -1, MAX_PAGE_SIZE + 1, 10_000])
def test_page_request_rejects_sizes_out_of_bounds(first: int) -> None:
    with pytest.raises(ValidationError) as caught:
        PageRequest(first=first)
    assert caught.value.code is ErrorCode.VALIDATION
    assert caught.value.field == "first"
    assert str(first) in caught.value.message
    assert str(MAX_PAGE_SIZE) in caught.value.suggestion


def test_page_end_cursor_is_the_last_cursor() -> None:
    assert Page(items=["a", "b"], cursors=["c1", "c2"], has_next_page=True).end_cursor == "c2"
    empty: Page[str] = Page(items=[], cursors=[], has_next_page=False)
    assert empty.end_cursor is None
