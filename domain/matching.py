"""Matchers, as Alertmanager writes them: `name=value`, `!=`, `=~` and `!~`.

Regular expressions are anchored at both ends, as in Alertmanager, so
`service=~"cart"` matches "cart" and not "cartography".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from domain.errors import ValidationError
from domain.store.database import Document

MAX_MATCHERS = 32
ALERT_FIELDS = ("summary", "description", "source", "service", "severity")
"""Matchers see an alert's labels and these fields, which win over a label of the same name."""


class MatchOp(StrEnum):
    EQUAL = "="
    NOT_EQUAL = "!="
    REGEX = "=~"
    NOT_REGEX = "!~"


@dataclass(frozen=True, slots=True)
class Matcher:
    name: str
    op: MatchOp
    value: str
    _pattern: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "op", MatchOp(self.op))
        if not self.name or len(self.name) > 200:
            raise ValidationError(
                "A matcher needs a name of 1 to 200 characters.", field="matchers"
            )
        if self.op in (MatchOp.REGEX, MatchOp.NOT_REGEX):
            try:
                object.__setattr__(self, "_pattern", re.compile(self.value))
            except re.error as exc:
                raise ValidationError(
                    f"Matcher '{self.name}{self.op}{self.value}' is not a valid regular "
                    f"expression: {exc}.",
                    field="matchers",
                ) from None

    def matches(self, value: str | None) -> bool:
        """A missing value counts as the empty string, as in Alertmanager."""
        actual = value or ""
        if self.op is MatchOp.EQUAL:
            return actual == self.value
        if self.op is MatchOp.NOT_EQUAL:
            return actual != self.value
        assert self._pattern is not None
        found = self._pattern.fullmatch(actual) is not None
        return found if self.op is MatchOp.REGEX else not found

    def to_document(self) -> Document:
        return {"name": self.name, "op": self.op.value, "value": self.value}

    @classmethod
    def from_document(cls, doc: Document) -> Matcher:
        return cls(doc["name"], MatchOp(doc["op"]), doc["value"])


def matchable(labels: Mapping[str, str], fields: Mapping[str, str]) -> dict[str, str]:
    """The names and values matchers see: labels, then the alert's own fields."""
    return {**labels, **{name: fields[name] for name in ALERT_FIELDS if name in fields}}


def all_match(matchers: tuple[Matcher, ...], values: Mapping[str, str]) -> bool:
    return all(m.matches(values.get(m.name)) for m in matchers)


def check_matchers(matchers: tuple[Matcher, ...], *, require_one: bool) -> None:
    if require_one and not matchers:
        raise ValidationError(
            "At least one matcher is required.",
            field="matchers",
            suggestion='Match on a label such as service="checkout".',
        )
    if len(matchers) > MAX_MATCHERS:
        raise ValidationError(f"At most {MAX_MATCHERS} matchers are allowed.", field="matchers")
