"""Update templates: text with `{incident.title}`-style placeholders.

A template is checked when it is saved, so a typo is caught by the admin who wrote
it rather than by a responder in the middle of an incident. `{{` and `}}` stand for
literal braces, as in Python's format strings.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from domain.errors import ValidationError

PLACEHOLDERS: tuple[str, ...] = (
    "incident.id",
    "incident.number",
    "incident.title",
    "incident.status",
    "incident.severity",
    "service.name",
)

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


@dataclass(frozen=True, slots=True)
class Literal:
    text: str


@dataclass(frozen=True, slots=True)
class Placeholder:
    name: str


Part = Literal | Placeholder


def parse(text: str, *, field: str = "body") -> tuple[Part, ...]:
    """The template's parts; ValidationError for an unknown placeholder or a stray brace."""
    parts: list[Part] = []
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            parts.append(Literal(text[position : match.start()]))
        position = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            parts.append(Literal(token[0]))
        elif match.group(1) is not None:
            parts.append(Placeholder(_known(match.group(1).strip(), field)))
        else:
            raise ValidationError(
                f"'{field}' has an unmatched '{token}' at character {match.start() + 1}.",
                suggestion="Close the placeholder, or write '{{' and '}}' for literal braces.",
                field=field,
            )
    if position < len(text):
        parts.append(Literal(text[position:]))
    return tuple(parts)


def render(parts: tuple[Part, ...], values: Mapping[str, str]) -> str:
    return "".join(p.text if isinstance(p, Literal) else values[p.name] for p in parts)


def _known(name: str, field: str) -> str:
    if name in PLACEHOLDERS:
        return name
    close = difflib.get_close_matches(name, PLACEHOLDERS, n=1, cutoff=0.6)
    known = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
    hint = f"Did you mean '{{{close[0]}}}'? " if close else ""
    raise ValidationError(
        f"'{field}' has an unknown placeholder '{{{name}}}'.",
        suggestion=f"{hint}Placeholders are {known}.",
        field=field,
    )
