"""Reading alert streams (JSON lines) and topology files, with errors that name the place."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from correlation.interface import AlertFacts
from correlation.topology import Topology, TopologyError


class InputError(ValueError):
    """An input file the tools cannot use; the message says where and why."""


@dataclass(frozen=True, slots=True)
class StreamAlert:
    alert: AlertFacts
    truth: str | None


_REQUIRED = ("id", "occurred_at", "service", "summary")


def _parse_time(value: object, where: str) -> datetime:
    if not isinstance(value, str):
        raise InputError(f"{where}: 'occurred_at' must be an ISO 8601 string")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"{where}: 'occurred_at' is not ISO 8601: {value!r}") from exc
    if moment.tzinfo is None:
        raise InputError(f"{where}: 'occurred_at' must carry a time zone: {value!r}")
    return moment.astimezone(UTC)


def parse_alert(row: Mapping[str, Any], where: str) -> StreamAlert:
    for name in _REQUIRED:
        if not isinstance(row.get(name), str):
            raise InputError(f"{where}: '{name}' is required and must be a string")
    labels = row.get("labels") or {}
    if not isinstance(labels, Mapping):
        raise InputError(f"{where}: 'labels' must be an object")
    description = row.get("description")
    truth = row.get("truth")
    return StreamAlert(
        AlertFacts(
            id=row["id"],
            service=row["service"],
            occurred_at=_parse_time(row["occurred_at"], where),
            severity=str(row.get("severity") or "warning"),
            source=str(row.get("source") or ""),
            summary=row["summary"],
            labels={str(k): str(v) for k, v in labels.items()},
            description=description if isinstance(description, str) else None,
        ),
        truth if isinstance(truth, str) else None,
    )


def read_stream(path: Path) -> list[StreamAlert]:
    """All alerts of a stream, sorted by event time (ties by id); ids must be unique."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    alerts: list[StreamAlert] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: not valid JSON ({exc.msg})") from exc
            if not isinstance(row, Mapping):
                raise InputError(f"{where}: each line must be a JSON object")
            parsed = parse_alert(row, where)
            if parsed.alert.id in seen:
                raise InputError(f"{where}: alert id {parsed.alert.id!r} appears twice")
            seen.add(parsed.alert.id)
            alerts.append(parsed)
    alerts.sort(key=lambda a: (a.alert.occurred_at, a.alert.id))
    return alerts


def read_topology(path: Path, system: str | None) -> Topology:
    """A single ``{nodes, edges}`` object, or one system of a file of several."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from exc
    if not isinstance(data, Mapping):
        raise InputError(f"{path}: a topology file must hold a JSON object")
    if system is not None:
        systems = sorted(k for k, v in data.items() if isinstance(v, Mapping) and "edges" in v)
        if system not in systems:
            raise InputError(
                f"{path}: unknown system {system!r}; known: {', '.join(systems) or 'none'}"
            )
        data = data[system]
    elif "edges" not in data:
        raise InputError(f"{path}: holds several systems; pick one with --system")
    try:
        return Topology.from_dict(data)
    except TopologyError as exc:
        raise InputError(f"{path}: {exc}") from exc
