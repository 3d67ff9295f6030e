"""Decide a small storm with a learned model and a topology; print the verdicts as JSON.

Run in a subprocess by ``test_native.py``, once compiled and once from the sources
(``VIGIL_CORRELATION_NATIVE=off``): a process loads the package one way only.
"""

from __future__ import annotations

import json
import sys

import correlation.engine
from correlation.engine import CorrelationEngine
from correlation.streams import parse_alert
from correlation.topology import Topology
from correlation.training import train
from tests.correlation.streams import TOPOLOGY, incident_rows


def main() -> int:
    topology = Topology.from_dict(TOPOLOGY)
    history = [
        parse_alert(row, "history").alert
        for row in incident_rows(seed=8, incidents=30, spacing=60, prefix="h")
    ]
    model = train([(a, a.id.split("-")[0]) for a in history], topology)
    rows = incident_rows(seed=5, incidents=40, spacing=50)
    rows += incident_rows(seed=6, incidents=40, spacing=70, start=5, prefix="b")
    alerts = [parse_alert(row, "storm").alert for row in rows]
    engine = CorrelationEngine(model, topology)
    verdicts = [
        [v.alert_id, v.incident_id, v.opened, v.score, v.linked_alert_id, list(v.values)]
        for start in range(0, len(alerts), 25)
        for v in engine.decide(alerts[start : start + 25])
    ]
    json.dump({"engine": correlation.engine.__file__, "verdicts": verdicts}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
