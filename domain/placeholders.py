"""Template text with `{incident.title}`-style placeholders: one syntax for every kind of
template (stakeholder updates, postmortems), each kind with its own list of names.

A template is checked when it is saved, so a typo is caught by the admin who wrote
it rather than by a responder in the middle of an incident. `{{` and `}}` stand for
literal braces, as in Python's format strings; spaces inside the braces are allowed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from domain.errors import ValidationError

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


@dataclass(frozen=True, slots=True)
class Literal:
    text: str


@dataclass(frozen=True, slots=True)
class Placeholder:
    name: str


Part = Literal | Placeholder


@dataclass(frozen=True, slots=True)
class Placeholders:
    """The placeholders one kind of template may name."""

    names: tuple[str, ...]

    def parse(self, text: str, *, field: str = "body") -> tuple[Part, ...]:
        """The text's parts; ValidationError for an unknown placeholder or a stray brace."""
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
                parts.append(Placeholder(self._known(match.group(1).strip(), field)))
            else:
                raise ValidationError(
                    f"'{field}' has an unmatched '{token}' at character {match.start() + 1}.",
                    suggestion="Close the placeholder, or write '{{' and '}}' for literal braces.",
                    field=field,
                )
        if position < len(text):
            parts.append(Literal(text[position:]))
        return tuple(parts)

    def _known(self, name: str, field: str) -> str:
        if name in self.names:
            return name
        close = difflib.get_close_matches(name, self.names, n=1, cutoff=0.6)
        known = ", ".join(f"{{{p}}}" for p in self.names)
        hint = f"Did you mean '{{{close[0]}}}'? " if close else ""
        raise ValidationError(
            f"'{field}' has an unknown placeholder '{{{name}}}'.",
            suggestion=f"{hint}Placeholders are {known}.",
            field=field,
        )


def render(parts: tuple[Part, ...], values: Mapping[str, str]) -> str:
    """The text with each placeholder replaced; `values` covers the parsing list's names."""
    return "".join(p.text if isinstance(p, Literal) else values[p.name] for p in parts)
