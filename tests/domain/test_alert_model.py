"""Alert drafts, fingerprints, open keys and the stored form of an alert."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.alert.explanation import CorrelationExplanation
from domain.alert.model import (
    MAX_LABEL_KEY,
    MAX_LABEL_VALUE,
    MAX_LABELS,
    Alert,
    AlertDraft,
    AlertFilter,
    AlertStatus,
    Severity,
    closed_key,
    fingerprint,
    open_key,
)
from domain.errors import ErrorCode, ValidationError

T0 = datetime(2026, 11, 26, 15, 4, 5, 123000, tzinfo=UTC)


def draft(**overrides: Any) -> AlertDraft:
    values: dict[str, Any] = {"summary": "CPU above 90%", "service": "checkout-api"}
    values.update(overrides)
    return AlertDraft(**values)


def validation_error(**overrides: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        draft(**overrides)
    assert caught.value.code is ErrorCode.VALIDATION
    return caught.value


# --- AlertDraft validation -------------------------------------------------------------


def test_valid_draft_keeps_its_values_and_trims_text() -> None:
    alert = draft(summary="  disk full  ", labels={"host": "db-1"}, dedup_key=" k1 ")
    assert alert.summary == "disk full"
    assert alert.dedup_key == "k1"
    assert alert.labels == {"host": "db-1"}
    assert alert.severity is Severity.ERROR
    assert alert.status is AlertStatus.FIRING
    assert alert.source == "api"


@pytest.mark.parametrize("summary", ["", "   ", "\n\t"])
def test_empty_summary_is_rejected(summary: str) -> None:
    error = validation_error(summary=summary)
    assert error.field == "summary"
    assert "must not be empty" in error.message


def test_summary_of_1024_characters_is_accepted() -> None:
    assert len(draft(summary="x" * 1024).summary) == 1024


def test_too_long_summary_is_rejected() -> None:
    error = validation_error(summary="x" * 1025)
    assert error.field == "summary"
    assert "1025" in error.message and "1024" in error.message


def test_naive_occurred_at_is_rejected_with_code_validation_and_field() -> None:
    error = validation_error(occurred_at=datetime(2026, 11, 26, 15, 4, 5))
    assert error.code is ErrorCode.VALIDATION
    assert error.field == "occurredAt"
    assert error.extensions == {
        "code": "VALIDATION",
        "suggestion": error.suggestion,
        "field": "occurredAt",
    }
    assert "time zone" in error.message


def test_aware_occurred_at_is_normalised_to_utc_milliseconds() -> None:
    paris = timezone(timedelta(hours=1))
    alert = draft(occurred_at=datetime(2026, 11, 26, 16, 4, 5, 123456, tzinfo=paris))
    assert alert.occurred_at == T0
    assert alert.occurred_at is not None and alert.occurred_at.utcoffset() == timedelta(0)
    assert alert.occurred_at.microsecond == 123000


@pytest.mark.parametrize("value", [8080, 1.5, None, True, ["a"]])
def test_label_values_must_be_strings(value: object) -> None:
    error = validation_error(labels={"port": value})
    assert error.field == "labels"
    assert "port" in error.message


def test_too_long_label_value_is_rejected() -> None:
    assert validation_error(labels={"k": "v" * (MAX_LABEL_VALUE + 1)}).field == "labels"


@pytest.mark.parametrize("key", ["", "k" * (MAX_LABEL_KEY + 1)])
def test_label_names_must_be_1_to_128_characters(key: str) -> None:
    assert validation_error(labels={key: "v"}).field == "labels"


def test_labels_must_be_a_mapping() -> None:
    assert validation_error(labels=[("k", "v")]).field == "labels"


def test_64_labels_are_accepted() -> None:
    labels = {f"k{i}": "v" for i in range(MAX_LABELS)}
    assert len(draft(labels=labels).labels) == MAX_LABELS


def test_too_many_labels_are_rejected() -> None:
    error = validation_error(labels={f"k{i}": "v" for i in range(MAX_LABELS + 1)})
    assert error.field == "labels"
    assert str(MAX_LABELS + 1) in error.message


@pytest.mark.parametrize(
    "service", ["Checkout", "checkout_api", "-checkout", "checkout-", "", "a" * 64, "check out"]
)
def test_invalid_service_slug_is_rejected(service: str) -> None:
    error = validation_error(service=service)
    assert error.field == "service"
    assert "slug" in error.message


@pytest.mark.parametrize("service", ["a", "checkout-api", "svc-2", "a" * 63])
def test_valid_service_slugs_are_accepted(service: str) -> None:
    assert draft(service=service).service == service


def test_empty_source_and_too_long_dedup_key_are_rejected() -> None:
    assert validation_error(source=" ").field == "source"
    assert validation_error(dedup_key="k" * 256).field == "dedupKey"


# --- fingerprint ------------------------------------------------------------------------


def test_fingerprint_is_stable() -> None:
    labels = {"host": "db-1", "region": "eu"}
    first = fingerprint("prometheus", "checkout-api", labels, "CPU above 90%")
    assert first == fingerprint("prometheus", "checkout-api", dict(labels), "CPU above 90%")
    assert first.startswith("fp:")
    assert len(first) == len("fp:") + 32
    int(first.removeprefix("fp:"), 16)


def test_fingerprint_does_not_depend_on_label_order() -> None:
    ordered = {"a": "1", "b": "2", "c": "3"}
    reversed_order = {"c": "3", "b": "2", "a": "1"}
    assert list(ordered) != list(reversed_order)
    assert fingerprint("api", "svc", ordered, "s") == fingerprint("api", "svc", reversed_order, "s")


def test_different_summary_gives_a_different_fingerprint() -> None:
    assert fingerprint("api", "svc", {}, "disk full") != fingerprint("api", "svc", {}, "disk ok")


@pytest.mark.parametrize(
    "other",
    [
        ("prometheus", "svc", {"a": "1"}, "s"),
        ("api", "other", {"a": "1"}, "s"),
        ("api", "svc", {"a": "2"}, "s"),
        ("api", "svc", {"b": "1"}, "s"),
        ("api", "svc", {}, "s"),
    ],
)
def test_fingerprint_changes_with_source_service_and_labels(
    other: tuple[str, str, dict[str, str], str],
) -> None:
    assert fingerprint("api", "svc", {"a": "1"}, "s") != fingerprint(*other)


def test_fingerprint_fields_cannot_be_shifted_into_each_other() -> None:
    assert fingerprint("a", "b|c", {}, "s") != fingerprint("a|b", "c", {}, "s")


def test_fingerprints_stored_before_stay_the_same() -> None:
    # Computed by the json.dumps form this code had before 2026-11-27 (see `fingerprint`):
    # a different value would let every firing alert of an upgraded Vigil fire twice.
    labels = {"pod": "checkout-7f9c", "alertname": "HighCPU", "note": 'café "quoted" \\ ✓'}
    assert (
        fingerprint("prometheus", "checkout-api", labels, "CPU above 90% — on checkout")
        == "fp:73e0e7222305a090eb84447a88e55a75"
    )


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.text(), min_size=3, max_size=3),
    labels=st.dictionaries(st.text(), st.text(), max_size=6),
)
def test_fingerprint_hashes_the_canonical_json(texts: list[str], labels: dict[str, str]) -> None:
    source, service, summary = texts
    canonical = json.dumps(
        [source, service, sorted(labels.items()), summary], separators=(",", ":")
    )
    expected = "fp:" + hashlib.sha256(canonical.encode()).hexdigest()[:32]
    assert fingerprint(source, service, labels, summary) == expected


# --- open keys --------------------------------------------------------------------------


def test_open_key_is_scoped_to_the_service() -> None:
    assert open_key("svc1", "disk") == "svc1|disk"
    assert open_key("svc1", "disk") != open_key("svc2", "disk")


def test_closed_key_is_unique_per_alert() -> None:
    assert closed_key("a1") == "closed|a1"
    assert closed_key("a1") != closed_key("a2")


def make_alert(**overrides: Any) -> Alert:
    values: dict[str, Any] = {
        "id": "665f1c2e9b1e8a0001a1b2c3",
        "service_id": "665f1c2e9b1e8a0001000001",
        "service": "checkout-api",
        "source": "prometheus",
        "summary": "CPU above 90%",
        "description": "on db-1",
        "severity": Severity.CRITICAL,
        "labels": {"host": "db-1"},
        "dedup_key": "cpu-db-1",
        "occurred_at": T0,
        "received_at": T0 + timedelta(seconds=1),
        "status": AlertStatus.FIRING,
        "count": 3,
        "first_seen_at": T0,
        "last_seen_at": T0 + timedelta(minutes=2),
        "resolved_at": None,
        "incident_id": "665f1c2e9b1e8a0001ffffff",
    }
    values.update(overrides)
    return Alert(**values)


def test_firing_alert_open_key_is_service_and_dedup_key() -> None:
    alert = make_alert()
    assert alert.open_key == open_key(alert.service_id, alert.dedup_key)


def test_resolved_alert_open_key_is_its_closed_key() -> None:
    alert = make_alert(status=AlertStatus.RESOLVED, resolved_at=T0 + timedelta(minutes=3))
    assert alert.open_key == closed_key(alert.id)


# --- stored form ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "alert",
    [
        make_alert(),
        make_alert(
            status=AlertStatus.RESOLVED,
            resolved_at=T0 + timedelta(minutes=3),
            incident_id=None,
            labels={},
            severity=Severity.INFO,
        ),
    ],
)
def test_to_document_from_document_round_trip(alert: Alert) -> None:
    doc = alert.to_document()
    assert doc["_id"] == alert.id
    assert doc["open_key"] == alert.open_key
    assert doc["severity"] == alert.severity.value and isinstance(doc["severity"], str)
    assert doc["status"] == alert.status.value
    restored = Alert.from_document(doc)
    assert restored == alert
    assert restored.severity is alert.severity
    assert restored.status is alert.status


def test_from_document_fills_optional_fields() -> None:
    alert = make_alert(incident_id=None)
    doc = alert.to_document()
    del doc["description"], doc["labels"]
    for key in [key for key, value in doc.items() if value is None]:
        del doc[key]  # e.g. a resolution time or incident never set
    assert Alert.from_document(doc) == replace(alert, description="", labels={})


def test_a_correlation_explanation_is_stored_as_a_string_and_read_in_either_form() -> None:
    explanation = CorrelationExplanation(
        score=0.8125,
        reason="same service, 30 s apart",
        engine="learned",
        linked_alert_id="665f1c2e9b1e8a0001a1b2c4",
        signals={"same_service": 1.25, "gap_30s": 0.5},
        model_version=7,
    )
    alert = make_alert(correlation=explanation)

    doc = alert.to_document()

    assert isinstance(doc["correlation"], str)
    restored = Alert.from_document(doc).correlation
    assert restored == explanation
    assert list(restored.signals) == ["same_service", "gap_30s"], "strongest first, as given"
    # Alerts stored before the string held the explanation as a sub-document.
    older = {**doc, "correlation": json.loads(doc["correlation"])}
    assert Alert.from_document(older) == alert


def test_severity_rank_orders_severities() -> None:
    ranked = sorted(Severity, key=lambda s: s.rank)
    assert ranked == [Severity.INFO, Severity.WARNING, Severity.ERROR, Severity.CRITICAL]


def test_filter_by_one_status_is_an_equality_and_by_several_an_in() -> None:
    assert AlertFilter(statuses=(AlertStatus.FIRING,)).to_query() == {"status": "firing"}
    assert AlertFilter(statuses=(AlertStatus.FIRING, AlertStatus.RESOLVED)).to_query() == {
        "status": {"$in": ["firing", "resolved"]}
    }
