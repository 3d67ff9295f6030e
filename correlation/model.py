"""The correlation model: pairwise weights, horizons and co-occurrence, as a JSON document.

Stored as a plain dict (a MongoDB document, a file) rather than a pickle: it
loads in any version of the code that knows its schema, and can be read by a
person. A logistic model is a weight per feature, so the engine scores a
candidate with a dot product instead of a call into scikit-learn.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from correlation.cooccurrence import Cooccurrence
from correlation.features import FEATURES

SCHEMA_VERSION = 1


class ModelError(ValueError):
    """A stored model this code cannot load."""


@dataclass(frozen=True, slots=True)
class Horizons:
    """How long, in event-time seconds, incidents stay joinable."""

    max_idle: float = 3600.0
    max_age: float = 6 * 3600.0
    recent: float = 60.0
    service_horizon: float = 900.0
    max_open: int = 5000


# Priors for a system with no reviewed history: close in time, on the same or a
# neighbouring service, or the same kind of alert again; during a burst of alerts,
# the incident the burst opened, never one from before it. Conservative on purpose:
# time alone (another service, no topology, no burst) is not enough to join.
DEFAULT_WEIGHTS: dict[str, float] = {
    "gap_30s": 2.0,
    "gap_5m": 1.0,
    "age": -3.0,
    "same_service": 2.0,
    "topology": 1.5,
    "service_cooccurrence": 1.5,
    "same_kind_5m": 1.5,
    "same_kind_1h": 1.0,
    "single_kind": 1.0,
    "template_similarity": 0.5,
    "template_cooccurrence": 1.0,
    "labels": 1.0,
    "size": 0.0,
    "newest": 0.5,
    "solo": -2.0,
    "burst": 4.0,
    "superseded": -8.0,
    # Both directions count alike in the priors (a callee's alert may be the root arriving
    # late); how much more a caller's counts is learned from history.
    "topology_caller": 0.0,
    # A kind of alert firing again minutes apart, alone in its incident, is flapping.
    "flapping": 1.5,
}
DEFAULT_BIAS = -4.5


@dataclass(frozen=True, slots=True)
class CorrelationModel:
    weights: Mapping[str, float]
    bias: float
    threshold: float = 0.5
    horizons: Horizons = Horizons()
    cooccurrence: Cooccurrence = field(default_factory=Cooccurrence.empty)
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def default(cls) -> CorrelationModel:
        return cls(dict(DEFAULT_WEIGHTS), DEFAULT_BIAS, metadata={"trained": False})

    def with_threshold(self, threshold: float) -> CorrelationModel:
        return CorrelationModel(
            self.weights, self.bias, threshold, self.horizons, self.cooccurrence, self.metadata
        )

    def weight_vector(self) -> list[float]:
        return [float(self.weights.get(name, 0.0)) for name in FEATURES]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "pairwise-logistic",
            "features": list(FEATURES),
            "weights": [float(self.weights.get(name, 0.0)) for name in FEATURES],
            "bias": self.bias,
            "threshold": self.threshold,
            "horizons": {
                "max_idle": self.horizons.max_idle,
                "max_age": self.horizons.max_age,
                "recent": self.horizons.recent,
                "service_horizon": self.horizons.service_horizon,
                "max_open": self.horizons.max_open,
            },
            "cooccurrence": self.cooccurrence.to_dict(),
            "metadata": dict(self.metadata),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CorrelationModel:
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise ModelError(
                f"model schema version {version!r} is not {SCHEMA_VERSION}; retrain the model"
            )
        try:
            names = [str(n) for n in data["features"]]
            values = [float(v) for v in data["weights"]]
            if len(names) != len(values):
                raise ModelError("model has a different number of features and weights")
            # Features this code does not know are dropped; ones the model lacks weigh 0.
            weights = {n: v for n, v in zip(names, values, strict=True) if n in FEATURES}
            horizons = data["horizons"]
            return cls(
                weights=weights,
                bias=float(data["bias"]),
                threshold=float(data["threshold"]),
                horizons=Horizons(
                    max_idle=float(horizons["max_idle"]),
                    max_age=float(horizons["max_age"]),
                    recent=float(horizons["recent"]),
                    service_horizon=float(horizons["service_horizon"]),
                    max_open=int(horizons["max_open"]),
                ),
                cooccurrence=Cooccurrence.from_dict(data["cooccurrence"]),
                metadata=dict(data.get("metadata") or {}),
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, ModelError):
                raise
            raise ModelError(f"model document is malformed: {exc!r}") from exc
