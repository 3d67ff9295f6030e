"""Alert correlation: which incident each new alert belongs to.

A library: plain records in, decisions with explanations out. No store, no
web, no wall-clock time: decisions depend on event time alone, so replaying
history gives the result living through it gave.

The engine's hot modules run compiled when a fresh build is there (see ``native.py``).
"""

from correlation import native

# Before any module of the package is imported: a fresh build's modules are found first.
native.activate(__path__)

from correlation.interface import AlertFacts, Correlator, Decision, OpenIncident  # noqa: E402
from correlation.time_window import TimeWindowCorrelator  # noqa: E402

__all__ = ["AlertFacts", "Correlator", "Decision", "OpenIncident", "TimeWindowCorrelator"]
