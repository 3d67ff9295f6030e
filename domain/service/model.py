"""Services: what alerts are about, and the topology correlation uses."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime

from domain.alert.model import AlertLink
from domain.errors import ValidationError
from domain.store.database import Document
from domain.validation import require_slug, require_text

MAX_DEPENDENCIES = 200
MIN_ALERT_TIMEOUT_S = 60
MAX_ALERT_TIMEOUT_S = 30 * 86400
MAX_RUNBOOKS = 20


@dataclass(frozen=True, slots=True)
class Runbook:
    """A link a responder follows when this service has an incident."""

    href: str
    text: str = ""

    def __post_init__(self) -> None:
        # The same rules as an alert's links (http(s), length), reported as the service's field.
        try:
            link = AlertLink(self.href, self.text)
        except ValidationError as exc:
            raise ValidationError(
                f"Runbook {self.href[:100]!r}: {exc.message}",
                suggestion="Give each runbook a full http(s) URL and a text of at most 256 "
                "characters.",
                field="href",
            ) from None
        object.__setattr__(self, "text", link.text)

    def to_document(self) -> Document:
        return {"href": self.href, "text": self.text}


def check_runbooks(runbooks: tuple[Runbook, ...]) -> tuple[Runbook, ...]:
    """At most MAX_RUNBOOKS; a repeated href is kept once, at its first place."""
    first: dict[str, Runbook] = {}
    for runbook in runbooks:
        first.setdefault(runbook.href, runbook)
    unique = tuple(first.values())
    if len(unique) > MAX_RUNBOOKS:
        raise ValidationError(
            f"A service may have at most {MAX_RUNBOOKS} runbooks, got {len(unique)}.",
            suggestion="Link an index page that lists the others.",
            field="runbooks",
        )
    return unique


@dataclass(frozen=True, slots=True)
class Service:
    id: str
    name: str
    description: str
    depends_on: tuple[str, ...]
    """Names of the services this one calls."""
    created_at: datetime
    auto_resolve: bool = True
    """Resolve an incident when its last firing alert resolves."""
    alert_timeout_s: int | None = None
    """Resolve a firing alert not seen again for this long; None: never."""
    escalation_policy_id: str | None = None
    """Who is paged when an incident triggers; None: nobody is."""
    team: str | None = None
    """A team slug for analytics grouping; issue 7 turns it into real team ownership."""
    runbooks: tuple[Runbook, ...] = ()

    def to_document(self) -> Document:
        return {
            "_id": self.id,
            "name": self.name,
            "description": self.description,
            "depends_on": list(self.depends_on),
            "created_at": self.created_at,
            # A string: the embedded store writes booleans as 1/0.
            "auto_resolve": "on" if self.auto_resolve else "off",
            "alert_timeout_s": self.alert_timeout_s,
            "escalation_policy_id": self.escalation_policy_id,
            "team": self.team,
            "runbooks": [runbook.to_document() for runbook in self.runbooks],
        }

    @classmethod
    def from_document(cls, doc: Document) -> Service:
        return cls(
            id=doc["_id"],
            name=doc["name"],
            description=doc.get("description", ""),
            depends_on=tuple(doc.get("depends_on", ())),
            created_at=doc["created_at"],
            auto_resolve=doc.get("auto_resolve", "on") == "on",
            alert_timeout_s=doc.get("alert_timeout_s"),
            escalation_policy_id=doc.get("escalation_policy_id"),
            team=doc.get("team"),
            runbooks=tuple(
                Runbook(link["href"], link.get("text", "")) for link in doc.get("runbooks") or ()
            ),
        )


@dataclass(frozen=True, slots=True)
class ServiceDraft:
    """A service as requested, validated on construction."""

    name: str
    description: str = ""
    depends_on: tuple[str, ...] = field(default_factory=tuple)
    escalation_policy_id: str | None = None
    team: str | None = None
    runbooks: tuple[Runbook, ...] = ()

    def __post_init__(self) -> None:
        require_slug(self.name, field="name")
        object.__setattr__(self, "runbooks", check_runbooks(self.runbooks))
        if self.team is not None:
            require_slug(self.team, field="team")
        description = require_text(
            self.description, field="description", max_length=2000, allow_empty=True
        )
        object.__setattr__(self, "description", description)
        if len(self.depends_on) > MAX_DEPENDENCIES:
            raise ValidationError(
                f"A service may depend on at most {MAX_DEPENDENCIES} services.",
                field="dependsOn",
            )
        for dependency in self.depends_on:
            require_slug(dependency, field="dependsOn")
        if self.name in self.depends_on:
            raise ValidationError(
                f"Service '{self.name}' cannot depend on itself.", field="dependsOn"
            )
        # Order kept as given, repeats dropped.
        object.__setattr__(self, "depends_on", tuple(dict.fromkeys(self.depends_on)))


@dataclass(frozen=True, slots=True)
class ServiceChanges:
    """What an update may change; None leaves a field as it is. Names never change."""

    description: str | None = None
    depends_on: tuple[str, ...] | None = None
    auto_resolve: bool | None = None
    alert_timeout_s: int | None = None
    clear_alert_timeout: bool = False
    escalation_policy_id: str | None = None
    clear_escalation_policy: bool = False
    team: str | None = None
    clear_team: bool = False
    runbooks: tuple[Runbook, ...] | None = None
    """The whole new list; an empty one removes them all."""

    def __post_init__(self) -> None:
        if self.runbooks is not None:
            object.__setattr__(self, "runbooks", check_runbooks(self.runbooks))
        if self.team is not None:
            require_slug(self.team, field="team")
        if self.alert_timeout_s is not None and not (
            MIN_ALERT_TIMEOUT_S <= self.alert_timeout_s <= MAX_ALERT_TIMEOUT_S
        ):
            raise ValidationError(
                f"'alertTimeoutSeconds' must be between {MIN_ALERT_TIMEOUT_S} and "
                f"{MAX_ALERT_TIMEOUT_S}.",
                field="alertTimeoutSeconds",
            )

    def apply(self, service: Service) -> Service:
        draft = ServiceDraft(
            name=service.name,
            description=service.description if self.description is None else self.description,
            depends_on=service.depends_on if self.depends_on is None else self.depends_on,
        )
        timeout = (
            None
            if self.clear_alert_timeout
            else (
                self.alert_timeout_s
                if self.alert_timeout_s is not None
                else service.alert_timeout_s
            )
        )
        return dataclasses.replace(
            service,
            description=draft.description,
            depends_on=draft.depends_on,
            auto_resolve=service.auto_resolve if self.auto_resolve is None else self.auto_resolve,
            alert_timeout_s=timeout,
            escalation_policy_id=None
            if self.clear_escalation_policy
            else (self.escalation_policy_id or service.escalation_policy_id),
            team=None if self.clear_team else (self.team or service.team),
            runbooks=service.runbooks if self.runbooks is None else self.runbooks,
        )
