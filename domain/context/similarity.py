"""Similar past incidents: nearest neighbours (cosine) over what each incident was about.

An incident is profiled by three groups of features, each vectorised by TF-IDF and
normalised on its own, then weighted, so the cosine of two incidents is the weighted mean
of three cosines:

- its alerts' templates (correlation's masking: pods, numbers and ids replaced), as word
  unigrams and bigrams, weight 0.6: the kind of failure;
- its alerts' labels as `name=masked value` terms, weight 0.25: where and what exactly;
- its service, weight 0.15: the same failure elsewhere still counts, less.

TF-IDF makes what every incident shares (`env=prod`, "above") count little. The model is
pure: profiles in, ranked ids out; the context service reads the history and caches it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors

from correlation.templates import mask

TEMPLATE_WEIGHT = 0.6
LABEL_WEIGHT = 0.25
SERVICE_WEIGHT = 0.15
MIN_SIMILARITY = 0.05
"""Below this, an incident shares nothing but noise with the one asked about."""


@dataclass(frozen=True, slots=True)
class IncidentProfile:
    incident_id: str
    service_id: str
    templates: frozenset[str]
    labels: frozenset[str]

    @classmethod
    def of(
        cls,
        incident_id: str,
        service_id: str,
        alerts: Iterable[tuple[str, Mapping[str, str]]],
    ) -> IncidentProfile:
        """From its alerts' (summary, labels)."""
        templates: set[str] = set()
        labels: set[str] = set()
        for summary, alert_labels in alerts:
            templates.add(mask(summary))
            labels.update(f"{name}={mask(value)}" for name, value in alert_labels.items())
        return cls(incident_id, service_id, frozenset(templates), frozenset(labels))


def _template_terms(profile: IncidentProfile) -> list[str]:
    terms: list[str] = []
    for template in sorted(profile.templates):
        words = template.split()
        terms.extend(words)
        terms.extend(f"{a} {b}" for a, b in itertools.pairwise(words))
    return terms


def _label_terms(profile: IncidentProfile) -> list[str]:
    return sorted(profile.labels)


def _service_terms(profile: IncidentProfile) -> list[str]:
    return [profile.service_id]


_GROUPS = (
    (_template_terms, TEMPLATE_WEIGHT),
    (_label_terms, LABEL_WEIGHT),
    (_service_terms, SERVICE_WEIGHT),
)


class SimilarityModel:
    """Fitted on past incidents; answers which of them an incident resembles most."""

    def __init__(self, history: Sequence[IncidentProfile]) -> None:
        self._ids = [profile.incident_id for profile in history]
        self._vectorisers: list[tuple[TfidfVectorizer | None, float]] = []
        blocks = []
        for terms, weight in _GROUPS:
            vectoriser = TfidfVectorizer(analyzer=terms, sublinear_tf=True)
            try:
                block = vectoriser.fit_transform(history)
            except ValueError:  # no terms of this group in the whole history
                self._vectorisers.append((None, weight))
                continue
            self._vectorisers.append((vectoriser, weight))
            blocks.append(block * math.sqrt(weight))
        self._neighbours: NearestNeighbors | None = None
        if self._ids and blocks:
            self._neighbours = NearestNeighbors(metric="cosine", algorithm="brute")
            self._neighbours.fit(sp.hstack(blocks).tocsr())

    def __len__(self) -> int:
        return len(self._ids)

    def nearest(
        self, profile: IncidentProfile, k: int, exclude: frozenset[str] = frozenset()
    ) -> list[tuple[str, float]]:
        """Up to `k` (incident id, similarity in [0, 1]) most similar first, leaving out
        `exclude` and those under MIN_SIMILARITY."""
        if self._neighbours is None or k <= 0:
            return []
        query = sp.hstack(
            [
                vectoriser.transform([profile]) * math.sqrt(weight)
                for vectoriser, weight in self._vectorisers
                if vectoriser is not None
            ]
        ).tocsr()
        if query.nnz == 0:
            return []
        asked = min(len(self._ids), k + len(exclude))
        distances, indices = self._neighbours.kneighbors(query, n_neighbors=asked)
        found: list[tuple[str, float]] = []
        for distance, index in zip(distances[0].tolist(), indices[0].tolist(), strict=True):
            incident_id = self._ids[index]
            similarity = max(0.0, min(1.0, 1.0 - distance))
            if incident_id in exclude or similarity < MIN_SIMILARITY:
                continue
            found.append((incident_id, round(similarity, 4)))
        return found[:k]
