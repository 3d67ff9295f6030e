"""GraphQL documents the API tests share."""

CREATE_SERVICE = """
mutation($input: CreateServiceInput!) {
  createService(input: $input) { id name description dependsOn }
}"""

CREATE_KEY = """
mutation($input: CreateIntegrationKeyInput!) {
  createIntegrationKey(input: $input) { id name secret serviceId }
}"""

CREATE_USER = """
mutation($input: CreateUserInput!) { createUser(input: $input) { id name role } }"""

CREATE_TOKEN = """
mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { id secret userId } }"""

INGEST = """
mutation($alerts: [AlertInput!]!) {
  ingestAlerts(alerts: $alerts) {
    outcome deduplicated
    alert { id count status dedupKey occurredAt receivedAt serviceName labels severity }
    incident { id number status alertCount openAlertCount severity title }
  }
}"""

INCIDENT = """
query($id: ID!) {
  incident(id: $id) {
    id number title status severity alertCount openAlertCount
    acknowledgedAt acknowledgedBy resolvedAt resolvedBy
    service { id name }
    alerts(first: 50) { edges { node { id summary status count } } }
    timeline(first: 50) { edges { node { kind actor message alertIds } } }
  }
}"""

ACKNOWLEDGE = "mutation($id: ID!) { acknowledgeIncident(id: $id) { id status acknowledgedBy } }"
RESOLVE = "mutation($id: ID!) { resolveIncident(id: $id) { id status resolvedBy } }"
ADD_NOTE = """
mutation($id: ID!, $body: String!) {
  addIncidentNote(id: $id, body: $body) { kind message actor }
}"""
