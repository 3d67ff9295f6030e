"""Who responded to an incident, read from its timeline alone.

The timeline names people two ways: as the actor of what they did ('user:<name>':
acknowledged, resolved, wrote a note) and by user id in the details of what happened
to them (paged; given a role or added as a responder by the response tools, whose
entries carry ``{"user_id": ..., "role": ...}``). Reading only the timeline keeps
postmortems independent of the code that writes those entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from domain.incident.model import TimelineEntry, TimelineKind
from domain.postmortem.model import Responder

_USER_ACTOR = "user:"
# Written by the incident response tools; compared by value so this module does not
# depend on when those kinds join TimelineKind.
_ROLE_ASSIGNED = "role_assigned"
_RESPONDER_ADDED = "responder_added"


@dataclass(frozen=True, slots=True)
class _Mention:
    user_id: str | None
    name: str | None
    what: str


def _mentions(entry: TimelineEntry) -> list[_Mention]:
    kind = entry.kind.value
    if kind in (_ROLE_ASSIGNED, _RESPONDER_ADDED):
        user_id = entry.details.get("user_id")
        if not isinstance(user_id, str):
            return []
        role = entry.details.get("role")
        what = f"role: {role}" if isinstance(role, str) and role else "responder"
        return [_Mention(user_id, None, what)]
    if entry.kind is TimelineKind.PAGED:
        ids = entry.details.get("user_ids") or []
        return [_Mention(i, None, "paged") for i in ids if isinstance(i, str)]
    if not entry.actor.startswith(_USER_ACTOR):
        return []
    name = entry.actor.removeprefix(_USER_ACTOR)
    if entry.kind is TimelineKind.NOTE_ADDED:
        return [_Mention(None, name, "wrote a note")]
    if entry.kind is TimelineKind.STATUS_CHANGED:
        status = entry.details.get("status")
        if status in ("acknowledged", "resolved"):
            return [_Mention(None, name, str(status))]
    return []


def people_named(entries: Iterable[TimelineEntry]) -> tuple[set[str], set[str]]:
    """The user ids and the user names the timeline mentions, to look up."""
    ids: set[str] = set()
    names: set[str] = set()
    for entry in entries:
        for mention in _mentions(entry):
            if mention.user_id is not None:
                ids.add(mention.user_id)
            if mention.name is not None:
                names.add(mention.name)
    return ids, names


def responders_of(
    entries: Iterable[TimelineEntry],
    *,
    names_by_id: Mapping[str, str],
    ids_by_name: Mapping[str, str],
) -> tuple[Responder, ...]:
    """Each person once, in order of first involvement, with everything they did."""
    found: dict[str, tuple[str | None, str, list[str]]] = {}
    for entry in sorted(entries, key=lambda e: e.at):
        for mention in _mentions(entry):
            user_id = mention.user_id or ids_by_name.get(mention.name or "")
            name = mention.name or names_by_id.get(mention.user_id or "") or mention.user_id
            assert name is not None
            identity = f"id:{user_id}" if user_id else f"name:{name}"
            _, _, involvement = found.setdefault(identity, (user_id, name, []))
            if mention.what not in involvement:
                involvement.append(mention.what)
    return tuple(
        Responder(user_id=user_id, name=name, involvement=tuple(involvement))
        for user_id, name, involvement in found.values()
    )
