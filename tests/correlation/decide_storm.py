"""Decide the overlapping storm with a learned model and a topology; print the verdicts
as JSON.

Run in a subprocess by ``test_native.py``, once on the compiled build and once on a
copy of the sources: a process loads the package one way only.
"""

from __future__ import annotations

import json
import sys

import correlation.engine
from correlation.engine import CorrelationEngine
from correlation.topology import Topology
from tests.correlation.streams import TOPOLOGY, learned_model, overlapping_storm


def main() -> int:
    topology = Topology.from_dict(TOPOLOGY)
    alerts = overlapping_storm()
    engine = CorrelationEngine(learned_model(topology), topology)
    verdicts = [
        [v.alert_id, v.incident_id, v.opened, v.score, v.linked_alert_id, list(v.values)]
        for start in range(0, len(alerts), 25)
        for v in engine.decide(alerts[start : start + 25])
    ]
    json.dump({"engine": correlation.engine.__file__, "verdicts": verdicts}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
