"""An operation's cost: about how many fields it resolves, before it runs.

Each field costs one per object it is resolved on. A field taking a list size (`first`,
`limit`, ...) or a batch (a list argument, such as `ingestAlerts(alerts:)`) multiplies
what is selected under it by that size, so nesting pages multiplies: `incidents(first:
100) { edges { node { alerts(first: 100) { ... } } } }` costs about 100 x 100 per field of
an alert. Sizes come from literals, variables or the argument's default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
)
from graphql.type.introspection import SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef
from graphql.utilities import get_operation_ast

SIZE_ARGUMENTS = frozenset({"first", "last", "limit", "similar", "history"})
"""Arguments that say how many items a list field returns."""


def estimate_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walk = _Walk(schema, fragments, dict(variables or {}))
    return walk.selections(operation.selection_set, root, 1, frozenset())


class _Walk:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def selections(
        self,
        selection_set: SelectionSetNode,
        parent: GraphQLNamedType,
        times: int,
        spread: frozenset[str],
    ) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, times, spread)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(selection.selection_set, target or parent, times, spread)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                # A cycle is a validation error reported elsewhere; do not loop on it here.
                if fragment is None or name in spread:
                    continue
                target = self.schema.get_type(fragment.type_condition.name.value) or parent
                total += self.selections(fragment.selection_set, target, times, spread | {name})
        return total

    def field(
        self, node: FieldNode, parent: GraphQLNamedType, times: int, spread: frozenset[str]
    ) -> int:
        definition = self.definition(parent, node.name.value)
        if definition is None:
            return times  # unknown: validation reports it
        cost = times
        if node.selection_set is not None:
            inner = times * self.size(definition, node)
            cost += self.selections(
                node.selection_set, get_named_type(definition.type), inner, spread
            )
        return cost

    def definition(self, parent: GraphQLNamedType, name: str) -> GraphQLField | None:
        if name == "__typename":
            return TypeNameMetaFieldDef
        if parent is self.schema.query_type and name in ("__schema", "__type"):
            return SchemaMetaFieldDef if name == "__schema" else TypeMetaFieldDef
        if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            found: GraphQLField | None = parent.fields.get(name)
            return found
        return None

    def size(self, definition: GraphQLField, node: FieldNode) -> int:
        sent = {argument.name.value: argument.value for argument in node.arguments or ()}
        sizes = [1]
        for name, argument in definition.args.items():
            value = self.value(sent[name]) if name in sent else argument.default_value
            if isinstance(value, list):
                sizes.append(len(value))
            elif name in SIZE_ARGUMENTS and isinstance(value, int) and not isinstance(value, bool):
                sizes.append(value)
        return max(sizes)

    def value(self, node: ValueNode) -> object:
        """Just enough of a value to size it; wrong types fail validation elsewhere."""
        if isinstance(node, VariableNode):
            return self.variables.get(node.name.value)
        if isinstance(node, ListValueNode):
            return list(node.values)
        if isinstance(node, IntValueNode):
            return int(node.value)
        return None
