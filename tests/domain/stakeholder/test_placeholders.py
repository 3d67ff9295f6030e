"""Update templates: placeholders are checked when parsed, with a suggestion for typos."""

from __future__ import annotations

import pytest

from domain.errors import ValidationError
from domain.stakeholder.placeholders import PLACEHOLDERS, parse, render

VALUES = {
    "incident.id": "65f0",
    "incident.number": "42",
    "incident.title": "Checkout p99 above 2s",
    "incident.status": "acknowledged",
    "incident.severity": "critical",
    "service.name": "checkout",
}


def test_every_placeholder_is_replaced_by_its_value() -> None:
    text = " ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    assert render(parse(text), VALUES) == " ".join(VALUES[name] for name in PLACEHOLDERS)


def test_text_around_placeholders_is_kept_and_spaces_inside_braces_are_allowed() -> None:
    parts = parse("We are looking into #{ incident.number } on {service.name}.")
    assert render(parts, VALUES) == "We are looking into #42 on checkout."


def test_doubled_braces_are_literal_braces() -> None:
    assert render(parse("{{not a placeholder}} {incident.status}"), VALUES) == (
        "{not a placeholder} acknowledged"
    )


def test_a_misspelt_placeholder_is_refused_with_the_closest_one_suggested() -> None:
    with pytest.raises(ValidationError) as raised:
        parse("Still investigating {incident.titel}.")
    assert "{incident.titel}" in raised.value.message
    assert "Did you mean '{incident.title}'?" in raised.value.suggestion
    assert raised.value.field == "body"


def test_an_unknown_placeholder_without_a_close_one_lists_the_known_ones() -> None:
    with pytest.raises(ValidationError) as raised:
        parse("{customer.count} customers affected")
    assert "Did you mean" not in raised.value.suggestion
    assert all(f"{{{name}}}" in raised.value.suggestion for name in PLACEHOLDERS)


@pytest.mark.parametrize("text", ["Broken { brace", "closing } alone", "{incident.title"])
def test_a_stray_brace_is_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="unmatched") as raised:
        parse(text)
    assert "'{{'" in raised.value.suggestion


def test_the_field_named_in_the_error_is_the_one_parsed() -> None:
    with pytest.raises(ValidationError) as raised:
        parse("{nope}", field="template.body")
    assert raised.value.field == "template.body"
