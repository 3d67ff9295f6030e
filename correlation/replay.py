"""Replaying alerts through a correlator, as the live path would, without a store.

Backtests use it: the same ``assign`` the ingest path calls, over stored alerts in
event-time order, with nothing open beforehand.
"""

from __future__ import annotations

from collections.abc import Sequence

from correlation.interface import AlertFacts, Correlator


def replay_groups(correlator: Correlator, alerts: Sequence[AlertFacts]) -> list[str]:
    """One group label per alert, in the order given: alerts with one label share an
    incident."""
    ordered = sorted(alerts, key=lambda a: (a.occurred_at, a.id))
    decisions = correlator.assign(ordered, [])
    label = {
        d.alert_id: d.incident_id if d.incident_id is not None else f"new-{d.new_incident}"
        for d in decisions
    }
    return [label[a.id] for a in alerts]
