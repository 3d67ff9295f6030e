"""The allow-list of persisted operations (VIGIL_PERSISTED_OPERATIONS).

Two sources: a JSON file mapping sha256 hashes to documents (what persisted-query tooling
such as Apollo's or graphql-codegen's writes), or a directory of .graphql files (such as
frontend-schema/operations), where fragments may be shared across files. Documents are
compared after normalising (parsed and printed, definitions in name order), so whitespace,
comments and definition order do not matter. A request may also send only
`extensions.persistedQuery.sha256Hash`, of a key of the JSON file or of the normalised text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from graphql import (
    DefinitionNode,
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    Node,
    OperationDefinitionNode,
    parse,
    print_ast,
    visit,
)
from graphql.language import Visitor

from vigil.settings import ConfigError

_SUGGESTION = (
    "Point VIGIL_PERSISTED_OPERATIONS at a JSON object of sha256 -> document, or at "
    "a directory of .graphql files."
)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _name(definition: DefinitionNode) -> str:
    name = getattr(definition, "name", None)
    return name.value if name is not None else ""


def normalised(document: DocumentNode) -> str:
    """One text per document, whatever its layout and definition order."""
    ordered = sorted(document.definitions, key=lambda d: (type(d).__name__, _name(d)))
    return print_ast(DocumentNode(definitions=tuple(ordered)))


class _Spreads(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
        self.names.add(node.name.value)


def _spreads(node: Node) -> set[str]:
    visitor = _Spreads()
    visit(node, visitor)
    return visitor.names


def _operation_documents(document: DocumentNode) -> Iterable[DocumentNode]:
    """Each operation of `document` with the fragments it uses, as a client sends it."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    for operation in document.definitions:
        if not isinstance(operation, OperationDefinitionNode):
            continue
        needed: dict[str, FragmentDefinitionNode] = {}
        pending = _spreads(operation)
        while pending:
            name = pending.pop()
            if name in needed or name not in fragments:
                continue
            needed[name] = fragments[name]
            pending |= _spreads(fragments[name])
        yield DocumentNode(definitions=(operation, *needed.values()))


@dataclass(frozen=True, slots=True)
class PersistedOperations:
    by_hash: Mapping[str, str]
    """sha256 -> the document's text."""
    allowed: frozenset[str]
    """Normalised texts of every allowed document."""

    def document_for(self, hash_: str) -> str | None:
        return self.by_hash.get(hash_.lower())

    def allows(self, document: DocumentNode) -> bool:
        return normalised(document) in self.allowed

    @classmethod
    def of(cls, documents: Mapping[str, str]) -> PersistedOperations:
        """From hash -> text; every text (and each of its operations) is also findable by the
        hash of its own text and of its normalised text."""
        by_hash: dict[str, str] = {}
        allowed: set[str] = set()
        for key, text in documents.items():
            for operation in _operation_documents(_parse(text, key)):
                normal = normalised(operation)
                allowed.add(normal)
                by_hash[sha256(normal)] = normal
            whole = normalised(_parse(text, key))
            allowed.add(whole)
            by_hash[sha256(whole)] = text
            by_hash[sha256(text)] = text
            by_hash[key.lower()] = text
        return cls(by_hash=by_hash, allowed=frozenset(allowed))


def _parse(text: str, where: str) -> DocumentNode:
    try:
        return parse(text)
    except GraphQLError as exc:
        raise ConfigError(
            f"VIGIL_PERSISTED_OPERATIONS: {where} is not a GraphQL document: {exc.message}",
            suggestion="Fix or remove that document.",
            field="VIGIL_PERSISTED_OPERATIONS",
        ) from None


def load(path: Path) -> PersistedOperations:
    """Read the allow-list, failing start-up with a clear error if it is unusable."""
    if path.is_dir():
        files = sorted(path.glob("*.graphql"))
        if not files:
            raise _config_error(f"the directory {path} holds no .graphql files.")
        # One document, as graphql-codegen sees them: fragments are shared across files.
        combined = "\n".join(f.read_text() for f in files)
        return PersistedOperations.of({sha256(combined): combined})
    try:
        raw = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise _config_error(f"{path} is not a readable JSON file: {exc}.") from None
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise _config_error(f"{path} must be a JSON object of sha256 -> document text.")
    return PersistedOperations.of(raw)


def _config_error(message: str) -> ConfigError:
    return ConfigError(
        f"VIGIL_PERSISTED_OPERATIONS: {message}",
        suggestion=_SUGGESTION,
        field="VIGIL_PERSISTED_OPERATIONS",
    )
