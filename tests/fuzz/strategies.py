"""Hypothesis strategies for what clients send: GraphQL scalar literals and JSON bodies."""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

import graphql
from hypothesis import strategies as st
from hypothesis_graphql import nodes

# Keys and texts that break naive code: dots and dollars (store operators), NUL, very long.
_AWKWARD_TEXT = st.sampled_from(["", "$where", "a.b", "\x00", "💥", "x" * 5000, "null", " "])
TEXT = st.one_of(st.text(max_size=40), _AWKWARD_TEXT)

JSON: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=20,
)
"""Any JSON value, integers beyond 64 bits included (the store refuses those)."""


def value_node(value: Any) -> graphql.ValueNode:
    """`value` as a GraphQL literal, as a client would inline it."""
    if value is None:
        return nodes.Null
    if isinstance(value, bool):
        return nodes.Boolean(value)
    if isinstance(value, int):
        return nodes.Int(value)
    if isinstance(value, float):
        return nodes.Float(value)
    if isinstance(value, str):
        return nodes.String(value)
    if isinstance(value, list):
        return nodes.List([value_node(item) for item in value])
    return nodes.Object(
        [
            graphql.ObjectFieldNode(name=graphql.NameNode(value=key), value=value_node(item))
            for key, item in value.items()
        ]
    )


_NAME = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,20}", fullmatch=True)
"""GraphQL object literal keys must be names; any other key is sent in variables."""


def _literal_object(values: st.SearchStrategy[Any]) -> st.SearchStrategy[graphql.ValueNode]:
    return st.dictionaries(_NAME, values, max_size=5).map(value_node)


def _iso(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[graphql.ValueNode]:
    # Mostly well-formed, sometimes any text: the scalar must refuse it as a client error.
    return st.one_of(strategy.map(lambda value: value.isoformat()), TEXT).map(nodes.String)


CUSTOM_SCALARS: dict[str, st.SearchStrategy[graphql.ValueNode]] = {
    "Date": _iso(st.dates()),
    "DateTime": _iso(st.datetimes(timezones=st.just(UTC)) | st.datetimes()),
    "Time": _iso(st.times()),
    "Labels": _literal_object(TEXT) | JSON.map(value_node),
    "JSONObject": _literal_object(JSON) | JSON.map(value_node),
}


# --- webhook bodies --------------------------------------------------------------------------

_DELETE = object()
"""A mutation that removes the key instead of replacing its value."""
_DEEP = "__vigil_fuzz_deep__"


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _set(document: Any, path: tuple[Any, ...], replacement: Any) -> None:
    parent = document
    for step in path[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return  # an earlier mutation replaced the way there
    last = path[-1]
    if isinstance(parent, dict) and replacement is _DELETE:
        parent.pop(last, None)
    elif isinstance(parent, dict) or (
        isinstance(parent, list) and isinstance(last, int) and last < len(parent)
    ):
        parent[last] = None if replacement is _DELETE else replacement


_REPLACEMENTS: st.SearchStrategy[Any] = st.one_of(
    JSON,
    st.just(_DELETE),
    st.just(_DEEP),
    # Long, but inside the 512 KB body limit: the fields' own limits must answer.
    st.sampled_from([1_000, 70_000, 300_000]).map(lambda size: "x" * size),
)


def mutated(sample: Any) -> st.SearchStrategy[Any]:
    """`sample` with one to three of its values replaced by anything, or removed."""
    paths = _paths(sample)

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        document = json.loads(json.dumps(sample))
        for path in draw(st.lists(st.sampled_from(paths), min_size=1, max_size=3)):
            _set(document, path, draw(_REPLACEMENTS))
        return document

    return build()


def encoded(document: Any, depth: int) -> bytes:
    """`document` as JSON, a deep-nesting marker in it replaced by `depth` nested arrays."""
    text = json.dumps(document, ensure_ascii=False)
    return text.replace(f'"{_DEEP}"', "[" * depth + "]" * depth).encode()


_DEPTHS = st.sampled_from([1, 50, 101, 1_000, 100_000])


def bodies(sample: Any) -> st.SearchStrategy[bytes]:
    """Bodies a broken or hostile monitor could send where `sample` belongs."""
    return st.one_of(
        st.builds(encoded, mutated(sample), _DEPTHS),
        st.builds(encoded, JSON, _DEPTHS),
        _DEPTHS.map(lambda depth: ("[" * depth).encode()),
        st.binary(max_size=64),
        mutated(sample).map(lambda document: json.dumps(document).encode("utf-16")),
        mutated(sample).map(lambda document: json.dumps(document).encode()[:-1]),
        st.just(b"x" * (600 * 1024)),
    )


CONTENT_TYPES = st.sampled_from(
    [
        "application/json",
        "application/json",
        "application/json; charset=utf-8",
        "APPLICATION/JSON",
        "application/json; charset=utf-16",
        "text/plain",
        "application/x-www-form-urlencoded",
        "",
    ]
)
