"""Translating monitors' vocabularies: severities, service names, times, links, field paths."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from api.webhooks.common import FieldNames
from api.webhooks.mapping import (
    MAX_SUMMARY,
    clip,
    event_time,
    labels_key,
    links,
    service_slug,
    severity_from,
)
from api.webhooks.schemas import field_path
from domain.alert.model import MAX_LINKS, Severity
from domain.errors import ValidationError


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("critical", Severity.CRITICAL),
        ("P1", Severity.CRITICAL),
        ("page", Severity.CRITICAL),
        ("Error", Severity.ERROR),
        ("high", Severity.ERROR),
        ("major", Severity.ERROR),
        ("warning", Severity.WARNING),
        ("WARN", Severity.WARNING),
        ("medium", Severity.WARNING),
        ("info", Severity.INFO),
        ("low", Severity.INFO),
        (" none ", Severity.INFO),
    ],
)
def test_severity_words_map_onto_four_levels(word: str, expected: Severity) -> None:
    assert severity_from(word) is expected


def test_missing_or_unknown_severity_gets_the_default() -> None:
    assert severity_from(None) is Severity.ERROR
    assert severity_from("sev-banana") is Severity.ERROR
    assert severity_from("sev-banana", Severity.WARNING) is Severity.WARNING


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("checkout", "checkout"),
        ("Node_Exporter", "node-exporter"),
        ("kubernetes-pods/api", "kubernetes-pods-api"),
        ("__weird__", "weird"),
        ("___", None),
        (None, None),
        ("a" * 70 + "-b", "a" * 63),
    ],
)
def test_label_values_become_service_slugs(label: str | None, slug: str | None) -> None:
    assert service_slug(label) == slug


def test_event_time_reads_go_times_and_skips_the_zero_time() -> None:
    assert event_time("2018-08-03T09:52:26.739266876+02:00", "startsAt") == datetime(
        2018, 8, 3, 9, 52, 26, 739266, tzinfo=timezone(timedelta(hours=2))
    )
    assert event_time("2015-07-17T08:42:58.315+0000", "t") == datetime(
        2015, 7, 17, 8, 42, 58, 315000, tzinfo=UTC
    )
    assert event_time("0001-01-01T00:00:00Z", "endsAt") is None
    assert event_time(None, "startsAt") is None
    assert event_time("", "startsAt") is None


def test_unreadable_time_names_its_field() -> None:
    with pytest.raises(ValidationError) as caught:
        event_time("yesterday", "startsAt")
    assert caught.value.field == "startsAt"


def test_clip_marks_cut_text() -> None:
    assert clip("  short  ", MAX_SUMMARY) == "short"
    cut = clip("x" * 2000, MAX_SUMMARY)
    assert len(cut) == MAX_SUMMARY
    assert cut.endswith("…")


def test_links_drop_empty_unusable_and_repeated_urls() -> None:
    found = links(
        ("https://a.example/graph", "Graph"),
        ("", "Empty"),
        (None, "Missing"),
        ("ftp://files.example/x", "Not http"),
        ("https://a.example/graph", "Again"),
        ("http://b.example/" + "x" * 3000, "Too long"),
        ("https://c.example/", "t" * 500),
    )
    assert [(link.href, link.text) for link in found] == [
        ("https://a.example/graph", "Graph"),
        ("https://c.example/", "t" * 255 + "…"),
    ]


def test_links_keep_at_most_the_domain_limit() -> None:
    many = [(f"https://x.example/{i}", str(i)) for i in range(MAX_LINKS + 5)]
    assert len(links(*many)) == MAX_LINKS


def test_labels_key_ignores_label_order() -> None:
    assert labels_key({"a": "1", "b": "2"}) == labels_key({"b": "2", "a": "1"})
    assert labels_key({"a": "1"}) != labels_key({"a": "2"})


def test_field_paths_quote_keys_that_are_not_identifiers() -> None:
    assert field_path(["alerts", 0, "labels", "port"]) == "alerts[0].labels.port"
    assert field_path(["payload", "custom_details", "free space"]) == (
        'payload.custom_details["free space"]'
    )
    assert field_path([]) == ""


def test_field_names_translate_domain_fields_into_the_senders() -> None:
    alertmanager = FieldNames({"occurredAt": "startsAt"})
    assert alertmanager.payload_field("alerts[3].occurredAt") == "alerts[3].startsAt"
    assert alertmanager.payload_field("alerts[3].links.text") == "alerts[3].links.text"
    single = FieldNames({"occurredAt": "payload.timestamp"}, single=True)
    assert single.payload_field("alerts[0].occurredAt") == "payload.timestamp"
    assert single.payload_field("occurredAt") == "payload.timestamp"
