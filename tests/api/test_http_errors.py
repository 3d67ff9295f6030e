"""One status and one JSON body for errors on the HTTP routes (api/http_errors.py)."""

from __future__ import annotations

import json

from api.http_errors import HTTP_STATUS, error_body, error_response, status_of
from domain.errors import (
    ErrorCode,
    NotFoundError,
    StoreUnavailableError,
    UnauthenticatedError,
    ValidationError,
    VigilError,
)


def test_each_error_gets_its_codes_status() -> None:
    assert status_of(ValidationError("bad", field="days")) == 422
    assert status_of(NotFoundError("gone")) == 404
    assert status_of(StoreUnavailableError("down")) == 503
    assert status_of(VigilError("unexpected")) == 500
    assert {status for status in HTTP_STATUS.values()} <= {401, 403, 404, 409, 413, 422, 429, 503}
    assert ErrorCode.INTERNAL not in HTTP_STATUS


def test_the_body_carries_code_message_suggestion_and_field() -> None:
    body = error_body(ValidationError("'days' must be a number.", field="days"))
    assert body["code"] == "VALIDATION" and body["field"] == "days"
    assert body["message"] == "'days' must be a number." and body["suggestion"]
    assert "field" not in error_body(NotFoundError("gone"))


def test_a_401_names_the_bearer_scheme() -> None:
    response = error_response(UnauthenticatedError("who?"))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert json.loads(bytes(response.body))["code"] == "UNAUTHENTICATED"
    assert "WWW-Authenticate" not in error_response(NotFoundError("gone")).headers
    assert error_response(NotFoundError("gone"), 410).status_code == 410
