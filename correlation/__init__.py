"""Alert correlation: which incident each new alert belongs to.

A library: plain records in, decisions with explanations out. No store, no
web, no wall-clock time: decisions depend on event time alone, so replaying
history gives the result living through it gave.
"""

from correlation.interface import AlertFacts, Correlator, Decision, OpenIncident
from correlation.time_window import TimeWindowCorrelator

__all__ = ["AlertFacts", "Correlator", "Decision", "OpenIncident", "TimeWindowCorrelator"]
