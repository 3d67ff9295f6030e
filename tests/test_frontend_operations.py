"""The operations shipped for frontend developers are valid against the schema.

They are validated as one document, as graphql-codegen sees them: fragments are
shared across files and operation names must be unique.
"""

from __future__ import annotations

from pathlib import Path

from graphql import OperationDefinitionNode, parse, validate

from api.schema.schema import schema

OPERATIONS = Path(__file__).resolve().parent.parent / "frontend-schema" / "operations"


def test_operations_validate_against_the_schema() -> None:
    files = sorted(OPERATIONS.glob("*.graphql"))
    document = parse("\n".join(path.read_text() for path in files))
    errors = validate(schema._schema, document)
    assert not errors, [error.message for error in errors]
    names = [
        d.name.value
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode) and d.name
    ]
    assert len(names) >= 10
    assert {"Incidents", "IngestAlerts", "IncidentEvents", "AcknowledgeIncident"} <= set(names)
