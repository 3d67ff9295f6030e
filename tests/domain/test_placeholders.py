"""The one placeholder syntax of every template: checked when parsed, with a suggestion
for typos; each kind of template brings its own names."""

from __future__ import annotations

import pytest

from domain.errors import ValidationError
from domain.placeholders import Placeholders, render

NAMES = Placeholders(("incident.number", "incident.title", "service.name"))
VALUES = {"incident.number": "42", "incident.title": "Checkout p99 above 2s", "service.name": "api"}


def test_every_placeholder_is_replaced_by_its_value() -> None:
    text = " ".join(f"{{{name}}}" for name in NAMES.names)
    assert render(NAMES.parse(text), VALUES) == "42 Checkout p99 above 2s api"


def test_text_around_placeholders_is_kept_and_spaces_inside_braces_are_allowed() -> None:
    parts = NAMES.parse("We are looking into #{ incident.number } on {service.name}.")
    assert render(parts, VALUES) == "We are looking into #42 on api."


def test_doubled_braces_are_literal_braces() -> None:
    assert render(NAMES.parse("{{not a placeholder}} {{incident.title}}"), VALUES) == (
        "{not a placeholder} {incident.title}"
    )


def test_a_misspelt_placeholder_is_refused_with_the_closest_one_suggested() -> None:
    with pytest.raises(ValidationError) as raised:
        NAMES.parse("Still investigating {incident.titel}.")
    assert "{incident.titel}" in raised.value.message
    assert "Did you mean '{incident.title}'?" in raised.value.suggestion
    assert raised.value.field == "body"


def test_an_unknown_placeholder_without_a_close_one_lists_the_known_ones() -> None:
    with pytest.raises(ValidationError) as raised:
        NAMES.parse("{customer.count} customers affected")
    assert "Did you mean" not in raised.value.suggestion
    assert all(f"{{{name}}}" in raised.value.suggestion for name in NAMES.names)


def test_a_name_is_known_only_to_the_kind_of_template_that_lists_it() -> None:
    other = Placeholders(("impact.duration",))
    assert render(other.parse("{impact.duration}"), {"impact.duration": "5m"}) == "5m"
    with pytest.raises(ValidationError, match="unknown placeholder"):
        NAMES.parse("{impact.duration}")


@pytest.mark.parametrize("text", ["Broken { brace", "closing } alone", "{incident.title"])
def test_a_stray_brace_is_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="unmatched") as raised:
        NAMES.parse(text)
    assert "'{{'" in raised.value.suggestion


def test_the_field_named_in_the_error_is_the_one_parsed() -> None:
    with pytest.raises(ValidationError) as raised:
        NAMES.parse("{nope}", field="sections[2].body")
    assert raised.value.field == "sections[2].body"
