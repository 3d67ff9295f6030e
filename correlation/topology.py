"""Service topology: who calls whom, and how close two services are.

Edges are ``[caller, callee]``: a failing callee shows up as symptoms on its
callers, so closeness follows directed paths either way, decays with hops and
is weakened through hubs (a frontend calls everything, so linking through it
says little).
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Iterable, Mapping
from typing import Any

MAX_HOPS = 3
_HOP_WEIGHT = (1.0, 0.8, 0.45, 0.2)
_POD_SUFFIXES = (
    re.compile(r"-[a-z0-9]{6,10}-[a-z0-9]{5}$"),  # deployment pod: name-<hash>-<id>
    re.compile(r"-\d+$"),  # stateful set or numbered replica: name-0
    re.compile(r"\d+$"),  # a second deployment of the same service: name2
)


class TopologyError(ValueError):
    """A topology document that is not ``{nodes, edges}``."""


class Topology:
    def __init__(self, nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> None:
        self.nodes: frozenset[str] = frozenset(nodes)
        callees: dict[str, set[str]] = {n: set() for n in self.nodes}
        callers: dict[str, set[str]] = {n: set() for n in self.nodes}
        for caller, callee in edges:
            for end in (caller, callee):
                if end not in callees:
                    callees[end], callers[end] = set(), set()
            callees[caller].add(callee)
            callers[callee].add(caller)
        self.nodes = frozenset(callees)
        self._edges = sorted((a, b) for a, callee_set in callees.items() for b in callee_set)
        degrees = {n: len(callees[n]) + len(callers[n]) for n in self.nodes}
        connected = sorted(d for d in degrees.values() if d)
        typical = connected[len(connected) // 2] if connected else 1
        # Hub factor: 1 for a node of typical degree, 1/sqrt(k) for one k times as connected.
        self._hub = {n: min(1.0, math.sqrt(typical / d)) if d else 1.0 for n, d in degrees.items()}
        self._downstream: dict[str, dict[str, float]] = {}
        self._closeness = {n: self._reach(n, callees, callers) for n in self.nodes}
        self._spread = _spread(callees)
        self._node_of: dict[str, str | None] = {}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Topology:
        nodes, edges = data.get("nodes"), data.get("edges")
        if not isinstance(nodes, Mapping | list) or not isinstance(edges, list):
            raise TopologyError("a topology needs 'nodes' (object or list) and 'edges' (list)")
        pairs: list[tuple[str, str]] = []
        for index, edge in enumerate(edges):
            if (
                not isinstance(edge, list | tuple)
                or len(edge) != 2
                or not all(isinstance(end, str) for end in edge)
            ):
                raise TopologyError(f"edges[{index}] must be [caller, callee], got {edge!r}")
            pairs.append((edge[0], edge[1]))
        return cls([str(n) for n in nodes], pairs)

    def to_dict(self) -> dict[str, Any]:
        return {"nodes": sorted(self.nodes), "edges": [list(e) for e in self._edges]}

    def node_of(self, name: str) -> str | None:
        """The node a service or pod name stands for (``cartservice-1`` is ``cartservice``)."""
        if name in self._node_of:
            return self._node_of[name]
        found: str | None = name if name in self.nodes else None
        candidate = name
        for suffix in _POD_SUFFIXES:
            if found is not None:
                break
            candidate = suffix.sub("", candidate)
            if candidate in self.nodes:
                found = candidate
        if len(self._node_of) < 100_000:
            self._node_of[name] = found
        return found

    def closeness(self, a: str, b: str) -> float:
        """How related two nodes are, in [0, 1]: 1 for the same node, 0 for unrelated ones."""
        reach = self._closeness.get(a)
        return reach.get(b, 0.0) if reach is not None else 0.0

    def caller_closeness(self, caller: str, callee: str) -> float:
        """How close ``caller`` is to ``callee`` along calls (0 unless it calls it, at most
        ``MAX_HOPS`` away): where a failing callee's symptoms show up."""
        reach = self._downstream.get(caller)
        return reach.get(callee, 0.0) if reach is not None else 0.0

    def spread(self, node: str) -> float:
        """The share of the other nodes ``node`` calls, at any depth, in [0, 1].

        A failing callee shows symptoms on every caller above it, so a node that calls
        most of the system (a frontend, a load generator) shows every fault's symptoms:
        its alerts say little about which incident they belong to.
        """
        return self._spread.get(node, 0.0)

    def neighbours(self, node: str) -> tuple[str, ...]:
        """Nodes with any closeness to ``node``, closest first."""
        reach = self._closeness.get(node, {})
        return tuple(sorted(reach, key=lambda n: (-reach[n], n)))

    def _reach(
        self, start: str, callees: dict[str, set[str]], callers: dict[str, set[str]]
    ) -> dict[str, float]:
        reach: dict[str, float] = {start: 1.0}
        for graph in (callees, callers):
            along: dict[str, float] = {}
            hops = {start: 0}
            queue = deque([start])
            while queue:
                node = queue.popleft()
                if hops[node] == MAX_HOPS:
                    continue
                for nxt in sorted(graph[node]):
                    if nxt in hops:
                        continue
                    hops[nxt] = hops[node] + 1
                    queue.append(nxt)
                    weight = _HOP_WEIGHT[hops[nxt]] * min(self._hub[start], self._hub[nxt])
                    reach[nxt] = max(reach.get(nxt, 0.0), weight)
                    along[nxt] = weight
            if graph is callees:
                self._downstream[start] = along
        return reach


def _spread(callees: Mapping[str, set[str]]) -> dict[str, float]:
    others = max(1, len(callees) - 1)
    spread: dict[str, float] = {}
    for start in callees:
        seen = {start}
        stack = [start]
        while stack:
            for nxt in callees[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        spread[start] = (len(seen) - 1) / others
    return spread
