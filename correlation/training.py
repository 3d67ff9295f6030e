"""Learning a correlation model from reviewed incidents.

History is a stream of alerts with the incident analysts settled on (after
their merges and splits). From it come co-occurrence statistics, horizons,
a pairwise logistic classifier and its decision threshold.

Busy periods are rarer in history than in the storms that matter, so the
classifier also learns from the same history replayed denser: each incident
keeps its own timing, but incidents start closer together and overlap. That
teaches it what separates two incidents at once, which quiet history cannot.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

from correlation.cooccurrence import Cooccurrence, key_item, service_item, template_item
from correlation.engine import CorrelationEngine, observation
from correlation.features import FEATURES
from correlation.interface import AlertFacts
from correlation.metrics import score
from correlation.model import SCHEMA_VERSION, CorrelationModel, Horizons
from correlation.templates import mask
from correlation.topology import Topology

Labelled = tuple[AlertFacts, str]
# How many times denser than history the replayed copies are.
DENSITIES = (1.0, 2.0, 4.0)
THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6)
PRIOR_THRESHOLDS = (0.3, 0.5, 0.7)
# Densities at which candidate models and thresholds are compared.
SELECTION_DENSITIES = (1.0, 2.0)


def learn_cooccurrence(history: Sequence[Labelled]) -> Cooccurrence:
    members: dict[str, set[str]] = {}
    sizes: dict[str, int] = {}
    for alert, incident in history:
        template = mask(alert.summary)
        members.setdefault(incident, set()).update(
            (
                service_item(alert.service),
                template_item(template),
                key_item(alert.service, template),
            )
        )
        sizes[incident] = sizes.get(incident, 0) + 1
    return Cooccurrence.learn((frozenset(items), sizes[i]) for i, items in sorted(members.items()))


def learn_horizons(history: Sequence[Labelled]) -> Horizons:
    """Idle and age limits from how long reviewed incidents lasted and paused."""
    times: dict[str, list[float]] = {}
    for alert, incident in history:
        times.setdefault(incident, []).append(alert.occurred_at.timestamp())
    durations: list[float] = []
    pauses: list[float] = []
    for moments in times.values():
        moments.sort()
        durations.append(moments[-1] - moments[0])
        pauses.extend(b - a for a, b in itertools.pairwise(moments))
    default = Horizons()
    if not pauses:
        return default
    pause = float(np.percentile(pauses, 99))
    duration = max(durations)
    return replace(
        default,
        max_idle=min(max(pause * 2.0, 300.0), 6 * 3600.0),
        max_age=min(max(duration * 1.25, 600.0), 24 * 3600.0),
    )


def densify(history: Sequence[Labelled], factor: float) -> list[Labelled]:
    """History with incidents starting ``factor`` times closer together, each kept intact."""
    if factor == 1.0:
        return list(history)
    starts: dict[str, float] = {}
    for alert, incident in history:
        moment = alert.occurred_at.timestamp()
        starts[incident] = min(starts.get(incident, moment), moment)
    origin = min(starts.values())
    suffix = f"~x{factor:g}"
    shifted = []
    for alert, incident in history:
        start = starts[incident]
        offset = (start - origin) / factor - (start - origin)
        shifted.append(
            (
                replace(
                    alert,
                    id=alert.id + suffix,
                    occurred_at=alert.occurred_at + timedelta(seconds=offset),
                ),
                incident + suffix,
            )
        )
    shifted.sort(key=lambda pair: (pair[0].occurred_at, pair[0].id))
    return shifted


def pairs(
    history: Sequence[Labelled], model: CorrelationModel, topology: Topology | None
) -> tuple[list[list[float]], list[int]]:
    """Feature rows of (alert, candidate incident) with 1 where analysts put them together.

    The working set grows with the true incidents, as if every earlier decision
    had been right: the classifier learns the question the engine asks.
    """
    engine = CorrelationEngine(model, topology)
    alerts = [alert for alert, _ in history]
    contexts = engine.contexts(alerts)
    items: dict[str, set[str]] = {}
    for context, (alert, incident) in zip(contexts, history, strict=True):
        template = engine.templates.text(context.template) or ""
        items.setdefault(incident, set()).update(
            (context.service_item, context.template_item, key_item(alert.service, template))
        )
    frozen = {incident: frozenset(found) for incident, found in items.items()}
    rows: list[list[float]] = []
    labels: list[int] = []
    order = sorted(range(len(history)), key=lambda i: (contexts[i].at, alerts[i].id))
    for index in order:
        context, incident_id = contexts[index], history[index][1]
        engine.features.exclude = frozen[incident_id]
        context = engine.features.context(
            context.alert_id,
            context.at,
            context.service,
            engine.templates.text(context.template) or "",
            context.template,
            context.labels,
        )
        candidates = engine.candidates(context)
        newest = candidates[-1].id if candidates else None
        for candidate in candidates:
            rows.append(engine.features.row(context, candidate, candidate.id == newest))
            labels.append(int(candidate.id == incident_id))
        known = engine.working_set.get(incident_id)
        if known is None:
            engine.working_set.open(incident_id, observation(context))
        else:
            engine.working_set.add(known, observation(context))
    return rows, labels


def replay(
    history: Sequence[Labelled], model: CorrelationModel, topology: Topology | None
) -> list[str]:
    engine = CorrelationEngine(model, topology)
    return [v.incident_id for v in engine.decide([alert for alert, _ in history])]


def train(
    history: Sequence[Labelled],
    topology: Topology | None = None,
    *,
    trained_at: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> CorrelationModel:
    """A model learned from reviewed history; ``trained_at`` is recorded, never read."""
    ordered = sorted(history, key=lambda pair: (pair[0].occurred_at, pair[0].id))
    if not ordered:
        return CorrelationModel.default()
    say = progress or (lambda _: None)
    say("co-occurrence")
    base = replace(
        CorrelationModel.default(),
        horizons=learn_horizons(ordered),
        cooccurrence=learn_cooccurrence(ordered),
    )
    rows: list[list[float]] = []
    labels: list[int] = []
    for factor in DENSITIES:
        say(f"pairs at {factor:g}x density")
        found_rows, found_labels = pairs(densify(ordered, factor), base, topology)
        rows.extend(found_rows)
        labels.extend(found_labels)
    if len(set(labels)) < 2:
        return replace(base, metadata={**base.metadata, "trained": False})
    say("classifier")
    classifier = LogisticRegression(C=1.0, max_iter=2000)
    classifier.fit(np.asarray(rows, dtype=float), np.asarray(labels, dtype=int))
    fitted = replace(
        base,
        weights={
            name: float(w) for name, w in zip(FEATURES, classifier.coef_[0].tolist(), strict=True)
        },
        bias=float(classifier.intercept_[0]),
    )
    say("threshold")
    # The classifier answers "does this alert belong to that incident?" one pair at a
    # time; what matters is the grouping. The priors (with the co-occurrence and horizons
    # learned here) stay in the running, and whichever groups history best, as it was and
    # replayed busier, is kept.
    threshold, f1 = _best_threshold(ordered, fitted, topology, THRESHOLDS)
    chosen = "classifier"
    prior_threshold, prior_f1 = _best_threshold(ordered, base, topology, PRIOR_THRESHOLDS)
    compared = {"classifier": round(f1, 4), "priors": round(prior_f1, 4)}
    if prior_f1 > f1:
        fitted, threshold, f1, chosen = base, prior_threshold, prior_f1, "priors"
    incidents = len({incident for _, incident in ordered})
    return replace(
        fitted,
        threshold=threshold,
        metadata={
            "trained": True,
            "schema_version": SCHEMA_VERSION,
            "trained_at": trained_at,
            "alerts": len(ordered),
            "incidents": incidents,
            "history_from": ordered[0][0].occurred_at.isoformat(),
            "history_to": ordered[-1][0].occurred_at.isoformat(),
            "pairs": len(labels),
            "positive_pairs": int(sum(labels)),
            "densities": list(DENSITIES),
            "topology": topology is not None,
            "history_pairwise_f1": round(f1, 4),
            "chosen": chosen,
            "history_pairwise_f1_by_model": compared,
            "scikit_learn": sklearn.__version__,
        },
    )


def _folds(history: Sequence[Labelled]) -> list[tuple[list[Labelled], list[Labelled]]]:
    """Two folds by time (incidents split at the median start): learn on one, score the other.

    Co-occurrence learned from the very incidents being replayed would vouch for them,
    so thresholds and models are compared on incidents the statistics did not see.
    """
    starts: dict[str, float] = {}
    for alert, incident in history:
        moment = alert.occurred_at.timestamp()
        starts[incident] = min(starts.get(incident, moment), moment)
    if len(starts) < 4:
        return [(list(history), list(history))]
    median = sorted(starts.values())[len(starts) // 2]
    early = [pair for pair in history if starts[pair[1]] < median]
    late = [pair for pair in history if starts[pair[1]] >= median]
    return [(early, late), (late, early)]


def _best_threshold(
    history: Sequence[Labelled],
    model: CorrelationModel,
    topology: Topology | None,
    thresholds: Sequence[float],
) -> tuple[float, float]:
    """The threshold with the best mean pairwise F1 over held-out history, as it was and
    denser."""
    trials: list[tuple[CorrelationModel, list[Labelled]]] = []
    for learn_on, score_on in _folds(history):
        held_out = replace(model, cooccurrence=learn_cooccurrence(learn_on))
        trials.extend((held_out, densify(score_on, factor)) for factor in SELECTION_DENSITIES)
    best, best_f1 = model.threshold, -math.inf
    for threshold in thresholds:
        f1s = [
            score(
                replay(stream, candidate.with_threshold(threshold), topology),
                [t for _, t in stream],
            ).pairwise_f1
            for candidate, stream in trials
        ]
        mean = sum(f1s) / len(f1s)
        # Ties go to the higher threshold: fewer wrong merges for the same F1.
        if mean >= best_f1 - 1e-9:
            best, best_f1 = threshold, mean
    return best, best_f1
