"""Which services and alert templates travel together, learned from reviewed incidents.

This is what stands in for a topology where none is registered: two services that
keep showing up in the same reviewed incidents are related, whatever the catalog
says. Scores are Ochiai coefficients, ``n(a, b) / sqrt(n(a) n(b))``, counted over
incidents (not alerts), so one noisy incident cannot dominate.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Any

MAX_ITEMS = 20_000
MAX_PAIRS_PER_ITEM = 64


def service_item(service: str) -> str:
    return f"s:{service}"


def template_item(template: str) -> str:
    return f"t:{template}"


def key_item(service: str, template: str) -> str:
    return f"k:{service}|{template}"


class Cooccurrence:
    def __init__(
        self,
        items: Mapping[str, int],
        singles: Mapping[str, int],
        pairs: Mapping[tuple[str, str], int],
        incidents: int,
    ) -> None:
        self.items = dict(items)
        self.singles = dict(singles)
        self.pairs = dict(pairs)
        self.incidents = incidents
        self._neighbours: dict[str, tuple[str, ...]] = {}

    @classmethod
    def empty(cls) -> Cooccurrence:
        return cls({}, {}, {}, 0)

    @classmethod
    def learn(cls, incidents: Iterable[tuple[frozenset[str], int]]) -> Cooccurrence:
        """Count items and item pairs over incidents given as (items, number of alerts)."""
        items: Counter[str] = Counter()
        singles: Counter[str] = Counter()
        pairs: Counter[tuple[str, str]] = Counter()
        total = 0
        for members, size in incidents:
            total += 1
            items.update(members)
            if size == 1:
                singles.update(members)
            pairs.update(combinations(sorted(members), 2))
        kept_items = dict(items.most_common(MAX_ITEMS))
        per_item: dict[str, list[tuple[int, tuple[str, str]]]] = {}
        for pair, count in pairs.items():
            if pair[0] in kept_items and pair[1] in kept_items:
                for end in pair:
                    per_item.setdefault(end, []).append((count, pair))
        kept_pairs: dict[tuple[str, str], int] = {}
        for ranked in per_item.values():
            for count, pair in sorted(ranked, key=lambda e: (-e[0], e[1]))[:MAX_PAIRS_PER_ITEM]:
                kept_pairs[pair] = count
        kept_singles = {k: v for k, v in singles.items() if k in kept_items}
        return cls(kept_items, kept_singles, kept_pairs, total)

    def score(self, a: str, b: str, exclude: frozenset[str] | None = None) -> float:
        """Ochiai coefficient of two items; ``exclude`` leaves out one incident's items.

        Training scores pairs from the very incidents it learned from: leaving the
        alert's own incident out keeps the classifier from trusting a leak.
        """
        if a == b:
            return 1.0
        pair = (a, b) if a < b else (b, a)
        together = self.pairs.get(pair, 0)
        n_a, n_b = self.items.get(a, 0), self.items.get(b, 0)
        if exclude is not None:
            in_a, in_b = a in exclude, b in exclude
            n_a -= in_a
            n_b -= in_b
            together -= in_a and in_b
        if together <= 0 or n_a <= 0 or n_b <= 0:
            return 0.0
        return together / math.sqrt(n_a * n_b)

    def solo_rate(self, item: str, exclude: frozenset[str] | None = None) -> float:
        """How often an item was an incident on its own (smoothed toward one half)."""
        seen, alone = float(self.items.get(item, 0)), float(self.singles.get(item, 0))
        if exclude is not None and item in exclude:
            # The excluded incident's size is unknown here; its share is removed proportionally.
            alone_share = alone / seen if seen else 0.0
            seen -= 1
            alone -= alone_share
        return (alone + 1.0) / (seen + 2.0)

    def neighbours(self, item: str, minimum: float) -> tuple[str, ...]:
        """Items that scored at least ``minimum`` with ``item``."""
        cached = self._neighbours.get(item)
        if cached is not None:
            return cached
        found = sorted(
            other
            for pair in self.pairs
            if item in pair
            for other in pair
            if other != item and self.score(item, other) >= minimum
        )
        result = tuple(found)
        if len(self._neighbours) < MAX_ITEMS:
            self._neighbours[item] = result
        return result

    def to_dict(self) -> dict[str, Any]:
        return {
            "incidents": self.incidents,
            "items": dict(sorted(self.items.items())),
            "singles": dict(sorted(self.singles.items())),
            "pairs": [[a, b, n] for (a, b), n in sorted(self.pairs.items())],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Cooccurrence:
        pairs = {(str(a), str(b)): int(n) for a, b, n in data["pairs"]}
        return cls(
            {str(k): int(v) for k, v in data["items"].items()},
            {str(k): int(v) for k, v in data["singles"].items()},
            pairs,
            int(data["incidents"]),
        )
