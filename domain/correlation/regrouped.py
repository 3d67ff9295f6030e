"""Where people moved alerts lately, for restoring a correlator that remembers.

With several replicas, a learned engine learns what the others decided from the
decision log (`domain/ingest/decisions.py`), whose entries name the incidents as they
were decided. An entry read after a merge or a split would put its alerts back where
people took them from: the merged-away incident, or the one alerts were split out of.
So the live correlator keeps the recent regroupings and restores each alert into the
incident it belongs to now.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

KEPT = 10_000
"""Regroupings remembered (of each kind): people make a few a day, and the decision log
a replica may still read spans minutes."""


class RegroupingMemory:
    def __init__(self) -> None:
        self._merged_into: OrderedDict[str, str] = OrderedDict()
        self._moved_to: OrderedDict[str, str] = OrderedDict()

    def merged(self, into: str, others: Iterable[str]) -> None:
        for other in others:
            if other != into:
                _remember(self._merged_into, other, into)

    def split(self, alert_ids: Iterable[str], new_incident_id: str) -> None:
        for alert_id in alert_ids:
            _remember(self._moved_to, alert_id, new_incident_id)

    def incident_of(self, alert_id: str, decided: str) -> str:
        """The incident an alert decided into `decided` belongs to after the regroupings."""
        incident_id = self._moved_to.get(alert_id, decided)
        followed = {incident_id}
        while (into := self._merged_into.get(incident_id)) is not None and into not in followed:
            followed.add(into)
            incident_id = into
        return incident_id


def _remember(memory: OrderedDict[str, str], key: str, value: str) -> None:
    memory[key] = value
    memory.move_to_end(key)
    if len(memory) > KEPT:
        memory.popitem(last=False)
