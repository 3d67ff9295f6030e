# ruff: noqa: E501  (one document per line reads better than documents split over lines)
"""Who may call each operation of the GraphQL schema: the table the permission matrix test runs.

Every Query, Mutation and Subscription field has one entry: the least access that may call it
and a minimal document that reaches its permission check. A new field without an entry fails
tests/api/test_permission_matrix.py until one is added here.

Most documents pass ids of nothing (000000000000000000000000): a caller past the permission check then gets
NOT_FOUND or VALIDATION, which count as allowed; a caller before it gets FORBIDDEN or
UNAUTHENTICATED. Checks therefore have to come before lookups, as the domain services do.

Teams will add a dimension: an entry then also says which team owns what it touches, and
`Caller` gains callers related to that team (member, other team); `allows` takes both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Caller(StrEnum):
    """Who calls: every operation is run once as each of them."""

    ANONYMOUS = "anonymous"
    INTEGRATION_KEY = "integration_key"
    VIEWER = "viewer"
    RESPONDER = "responder"
    ADMIN = "admin"


class Access(StrEnum):
    """The least access an operation needs (domain/auth/principal.py Action, plus public)."""

    PUBLIC = "public"
    """Anyone, without credentials: the public status page."""
    INGEST = "ingest"
    """Integration keys, and users whose role may ingest."""
    READ = "read"
    RESPOND = "respond"
    CONFIGURE = "configure"


ALLOWED: dict[Access, frozenset[Caller]] = {
    Access.PUBLIC: frozenset(Caller),
    Access.INGEST: frozenset({Caller.INTEGRATION_KEY, Caller.RESPONDER, Caller.ADMIN}),
    Access.READ: frozenset({Caller.VIEWER, Caller.RESPONDER, Caller.ADMIN}),
    Access.RESPOND: frozenset({Caller.RESPONDER, Caller.ADMIN}),
    Access.CONFIGURE: frozenset({Caller.ADMIN}),
}


@dataclass(frozen=True)
class Operation:
    access: Access
    document: str
    """Calls exactly the field it is filed under, with the least selection that is valid."""
    variables: dict[str, Any] = field(default_factory=dict)

    def allows(self, caller: Caller) -> bool:
        return caller in ALLOWED[self.access]


class Fixture(StrEnum):
    """A variable value the test replaces with the id of a document it created, for
    operations worth checking on something that exists as well as on nothing."""

    INCIDENT = "<incident>"
    SERVICE = "<service>"


READ, INGEST, RESPOND, CONFIGURE, PUBLIC = (
    Access.READ,
    Access.INGEST,
    Access.RESPOND,
    Access.CONFIGURE,
    Access.PUBLIC,
)

QUERIES: dict[str, Operation] = {
    "actionItems": Operation(READ, "{ actionItems { __typename } }"),
    "alerts": Operation(READ, "{ alerts { __typename } }"),
    "analytics": Operation(
        READ,
        '{ analytics(from: "2026-11-01T00:00:00Z", until: "2026-11-26T10:00:00Z") { __typename } }',
    ),
    "auditLog": Operation(CONFIGURE, "{ auditLog { __typename } }"),
    "backtestCorrelation": Operation(
        READ,
        '{ backtestCorrelation(from: "2026-11-01T00:00:00Z", settings: {engine: LEARNED}, to: "2026-11-26T10:00:00Z") { __typename } }',
    ),
    "calendarFeeds": Operation(READ, "{ calendarFeeds { __typename } }"),
    "changeEvents": Operation(
        READ,
        '{ changeEvents(serviceId: "000000000000000000000000", since: "2026-11-26T10:00:00Z") { __typename } }',
    ),
    "contactMethods": Operation(READ, "{ contactMethods { __typename } }"),
    "correlationModel": Operation(READ, "{ correlationModel { __typename } }"),
    "correlationReport": Operation(
        READ,
        '{ correlationReport(from: "2026-11-01T00:00:00Z", to: "2026-11-26T10:00:00Z") { __typename } }',
    ),
    "correlationSettings": Operation(READ, "{ correlationSettings { __typename } }"),
    "correlationSettingsHistory": Operation(READ, "{ correlationSettingsHistory { __typename } }"),
    "customFieldDefinitions": Operation(READ, "{ customFieldDefinitions { __typename } }"),
    "escalationPolicies": Operation(READ, "{ escalationPolicies { __typename } }"),
    "escalationPolicy": Operation(
        READ, '{ escalationPolicy(id: "000000000000000000000000") { __typename } }'
    ),
    "eventRules": Operation(READ, "{ eventRules { __typename } }"),
    "heartbeats": Operation(READ, "{ heartbeats { __typename } }"),
    "incident": Operation(
        READ, "query($id: ID!) { incident(id: $id) { __typename } }", {"id": Fixture.INCIDENT}
    ),
    "incidentRoles": Operation(READ, "{ incidentRoles { __typename } }"),
    "incidentTypes": Operation(READ, "{ incidentTypes { __typename } }"),
    "incidents": Operation(READ, "{ incidents { __typename } }"),
    "maintenanceWindows": Operation(READ, "{ maintenanceWindows { __typename } }"),
    "me": Operation(READ, "{ me { __typename } }"),
    "myUpcomingShifts": Operation(READ, "{ myUpcomingShifts { __typename } }"),
    "notificationRules": Operation(READ, "{ notificationRules { __typename } }"),
    "oncall": Operation(READ, '{ oncall(scheduleId: "000000000000000000000000") { __typename } }'),
    "postmortem": Operation(READ, '{ postmortem(id: "000000000000000000000000") { __typename } }'),
    "postmortemTemplates": Operation(READ, "{ postmortemTemplates { __typename } }"),
    "postmortems": Operation(READ, "{ postmortems { __typename } }"),
    "publicStatusPage": Operation(PUBLIC, '{ publicStatusPage(slug: "x") { __typename } }'),
    "renderStatusUpdateTemplate": Operation(
        READ,
        '{ renderStatusUpdateTemplate(id: "000000000000000000000000", incidentId: "000000000000000000000000") }',
    ),
    "schedule": Operation(READ, '{ schedule(id: "000000000000000000000000") { __typename } }'),
    "schedules": Operation(READ, "{ schedules { __typename } }"),
    "service": Operation(
        READ, "query($id: ID!) { service(id: $id) { __typename } }", {"id": Fixture.SERVICE}
    ),
    "services": Operation(READ, "{ services { __typename } }"),
    "silences": Operation(READ, "{ silences { __typename } }"),
    "stakeholderSubscriptions": Operation(READ, "{ stakeholderSubscriptions { __typename } }"),
    "statusPage": Operation(READ, '{ statusPage(id: "000000000000000000000000") { __typename } }'),
    "statusPages": Operation(READ, "{ statusPages { __typename } }"),
    "statusUpdateTemplates": Operation(READ, "{ statusUpdateTemplates { __typename } }"),
    "upcomingShifts": Operation(
        READ, '{ upcomingShifts(userId: "000000000000000000000000") { __typename } }'
    ),
    "whoIsOnCall": Operation(
        READ,
        "query($id: ID!) { whoIsOnCall(serviceId: $id) { __typename } }",
        {"id": Fixture.SERVICE},
    ),
}

MUTATIONS: dict[str, Operation] = {
    "acknowledgeIncident": Operation(
        RESPOND,
        "mutation($id: ID!) { acknowledgeIncident(id: $id) { __typename } }",
        {"id": Fixture.INCIDENT},
    ),
    "addIncidentNote": Operation(
        RESPOND,
        'mutation($id: ID!) { addIncidentNote(id: $id, body: "x") { __typename } }',
        {"id": Fixture.INCIDENT},
    ),
    "addIncidentResponder": Operation(
        RESPOND,
        'mutation { addIncidentResponder(incidentId: "000000000000000000000000", userId: "000000000000000000000000") { __typename } }',
    ),
    "addScheduleLayer": Operation(
        CONFIGURE,
        'mutation { addScheduleLayer(input: {name: "x", rotation: {handoff: "09:00", participants: ["000000000000000000000000"], shiftLength: {count: 1}, startsOn: "2026-11-26", timeZone: "UTC"}}, scheduleId: "000000000000000000000000") { __typename } }',
    ),
    "assignIncidentRole": Operation(
        RESPOND,
        'mutation { assignIncidentRole(incidentId: "000000000000000000000000", roleId: "000000000000000000000000", userId: "000000000000000000000000") { __typename } }',
    ),
    "cancelMaintenance": Operation(
        RESPOND, 'mutation { cancelMaintenance(id: "000000000000000000000000") }'
    ),
    "changeEvents": Operation(
        INGEST,
        'mutation { changeEvents(input: [{summary: "x", service: "matrix"}]) { __typename } }',
    ),
    "changePostmortemState": Operation(
        RESPOND,
        'mutation { changePostmortemState(id: "000000000000000000000000", state: DRAFT) { __typename } }',
    ),
    "createActionItem": Operation(
        RESPOND,
        'mutation { createActionItem(input: {ownerId: "000000000000000000000000", title: "x"}, postmortemId: "000000000000000000000000") { __typename } }',
    ),
    # The caller's own token; one for another user needs configure.
    "createApiToken": Operation(
        READ, 'mutation { createApiToken(input: {name: "x"}) { __typename } }'
    ),
    "createCalendarFeed": Operation(
        READ,
        'mutation { createCalendarFeed(input: {scheduleId: "000000000000000000000000"}) { __typename } }',
    ),
    "createComponent": Operation(
        CONFIGURE,
        'mutation { createComponent(input: {name: "x"}, pageId: "000000000000000000000000") { __typename } }',
    ),
    "createComponentGroup": Operation(
        CONFIGURE,
        'mutation { createComponentGroup(name: "x", pageId: "000000000000000000000000") { __typename } }',
    ),
    "createContactMethod": Operation(
        READ,
        'mutation { createContactMethod(input: {address: "matrix@example.com", kind: EMAIL}) { __typename } }',
    ),
    "createCustomField": Operation(
        CONFIGURE, 'mutation { createCustomField(input: {kind: TEXT, name: "x"}) { __typename } }'
    ),
    "createEscalationPolicy": Operation(
        CONFIGURE,
        'mutation { createEscalationPolicy(input: {name: "x", steps: [{escalateAfterMinutes: 1.0, targets: [{id: "000000000000000000000000", kind: SCHEDULE}]}]}) { __typename } }',
    ),
    "createEventRule": Operation(
        CONFIGURE,
        'mutation { createEventRule(input: {actions: {suppress: true}, matchers: [{name: "x", op: EQUAL, value: "x"}], name: "x"}) { __typename } }',
    ),
    "createHeartbeat": Operation(
        CONFIGURE,
        'mutation { createHeartbeat(input: {intervalSeconds: 60, name: "x", serviceId: "000000000000000000000000"}) { __typename } }',
    ),
    "createIncidentRole": Operation(
        CONFIGURE, 'mutation { createIncidentRole(input: {name: "x"}) { __typename } }'
    ),
    "createIncidentType": Operation(
        CONFIGURE, 'mutation { createIncidentType(input: {name: "x"}) { __typename } }'
    ),
    "createIntegrationKey": Operation(
        CONFIGURE, 'mutation { createIntegrationKey(input: {name: "x"}) { __typename } }'
    ),
    "createMaintenanceWindow": Operation(
        RESPOND,
        'mutation { createMaintenanceWindow(input: {endsAt: "2030-01-01T00:00:00Z", name: "x", serviceIds: ["000000000000000000000000"], startsAt: "2026-11-26T10:00:00Z"}) { __typename } }',
    ),
    "createNotificationRule": Operation(
        READ,
        'mutation { createNotificationRule(input: {contactMethodId: "000000000000000000000000", delayMinutes: 1}) { __typename } }',
    ),
    "createOverride": Operation(
        RESPOND,
        'mutation { createOverride(input: {endsAt: "2030-01-01T00:00:00Z", kind: ADD, startsAt: "2026-11-26T10:00:00Z", userId: "000000000000000000000000"}, scheduleId: "000000000000000000000000") { __typename } }',
    ),
    "createPostmortem": Operation(
        RESPOND,
        "mutation($id: ID!) { createPostmortem(incidentId: $id) { __typename } }",
        {"id": Fixture.INCIDENT},
    ),
    "createPostmortemTemplate": Operation(
        CONFIGURE, 'mutation { createPostmortemTemplate(input: {name: "x"}) { __typename } }'
    ),
    "createSchedule": Operation(
        CONFIGURE,
        'mutation { createSchedule(input: {layers: [{name: "x", rotation: {handoff: "09:00", participants: ["000000000000000000000000"], shiftLength: {count: 1}, startsOn: "2026-11-26", timeZone: "UTC"}}], name: "x"}) { __typename } }',
    ),
    "createService": Operation(
        CONFIGURE, 'mutation { createService(input: {name: "x"}) { __typename } }'
    ),
    "createSilence": Operation(
        RESPOND,
        'mutation { createSilence(input: {comment: "x", endsAt: "2030-01-01T00:00:00Z", matchers: [{name: "x", op: EQUAL, value: "x"}]}) { __typename } }',
    ),
    "createStatusPage": Operation(
        CONFIGURE, 'mutation { createStatusPage(input: {slug: "x", title: "x"}) { __typename } }'
    ),
    "createStatusUpdateTemplate": Operation(
        CONFIGURE,
        'mutation { createStatusUpdateTemplate(input: {body: "x", name: "x"}) { __typename } }',
    ),
    "createUser": Operation(
        CONFIGURE,
        'mutation { createUser(input: {email: "matrix@example.com", name: "matrix", role: VIEWER}) { __typename } }',
    ),
    "deleteActionItem": Operation(
        RESPOND, 'mutation { deleteActionItem(id: "000000000000000000000000") }'
    ),
    "deleteComponent": Operation(
        CONFIGURE, 'mutation { deleteComponent(id: "000000000000000000000000") }'
    ),
    "deleteComponentGroup": Operation(
        CONFIGURE, 'mutation { deleteComponentGroup(id: "000000000000000000000000") }'
    ),
    "deleteContactMethod": Operation(
        READ, 'mutation { deleteContactMethod(id: "000000000000000000000000") }'
    ),
    "deleteCustomField": Operation(
        CONFIGURE, 'mutation { deleteCustomField(id: "000000000000000000000000") }'
    ),
    "deleteEscalationPolicy": Operation(
        CONFIGURE, 'mutation { deleteEscalationPolicy(id: "000000000000000000000000") }'
    ),
    "deleteEventRule": Operation(
        CONFIGURE, 'mutation { deleteEventRule(id: "000000000000000000000000") }'
    ),
    "deleteHeartbeat": Operation(
        CONFIGURE, 'mutation { deleteHeartbeat(id: "000000000000000000000000") }'
    ),
    "deleteIncidentRole": Operation(
        CONFIGURE, 'mutation { deleteIncidentRole(id: "000000000000000000000000") }'
    ),
    "deleteIncidentType": Operation(
        CONFIGURE, 'mutation { deleteIncidentType(id: "000000000000000000000000") }'
    ),
    "deleteMaintenanceWindow": Operation(
        RESPOND, 'mutation { deleteMaintenanceWindow(id: "000000000000000000000000") }'
    ),
    "deleteNotificationRule": Operation(
        READ, 'mutation { deleteNotificationRule(id: "000000000000000000000000") }'
    ),
    "deleteOverride": Operation(
        RESPOND,
        'mutation { deleteOverride(id: "000000000000000000000000", scheduleId: "000000000000000000000000") }',
    ),
    "deletePostmortemTemplate": Operation(
        CONFIGURE, 'mutation { deletePostmortemTemplate(id: "000000000000000000000000") }'
    ),
    "deleteSchedule": Operation(
        CONFIGURE, 'mutation { deleteSchedule(id: "000000000000000000000000") }'
    ),
    "deleteStatusPage": Operation(
        CONFIGURE, 'mutation { deleteStatusPage(id: "000000000000000000000000") }'
    ),
    "deleteStatusUpdateTemplate": Operation(
        CONFIGURE, 'mutation { deleteStatusUpdateTemplate(id: "000000000000000000000000") }'
    ),
    "escalateIncident": Operation(
        RESPOND,
        "mutation($id: ID!) { escalateIncident(id: $id) { __typename } }",
        {"id": Fixture.INCIDENT},
    ),
    "expireSilence": Operation(
        RESPOND, 'mutation { expireSilence(id: "000000000000000000000000") { __typename } }'
    ),
    "ingestAlerts": Operation(
        INGEST,
        "mutation($alerts: [AlertInput!]!) { ingestAlerts(alerts: $alerts) { __typename } }",
        {"alerts": [{"summary": "x", "service": "matrix", "labels": {"pod": "matrix-1"}}]},
    ),
    "mergeIncidents": Operation(
        RESPOND,
        'mutation { mergeIncidents(input: {sourceIds: ["000000000000000000000000"], targetId: "000000000000000000000001"}) { __typename } }',
    ),
    "openPublicIncident": Operation(
        RESPOND,
        'mutation { openPublicIncident(input: {body: "x", pageId: "000000000000000000000000", title: "x"}) { __typename } }',
    ),
    "pinTimelineEntry": Operation(
        RESPOND, 'mutation { pinTimelineEntry(id: "000000000000000000000000") { __typename } }'
    ),
    "postPublicIncidentUpdate": Operation(
        RESPOND,
        'mutation { postPublicIncidentUpdate(body: "x", id: "000000000000000000000000") { __typename } }',
    ),
    "postStatusUpdate": Operation(
        RESPOND,
        'mutation { postStatusUpdate(input: {audience: INTERNAL, body: "x", incidentId: "000000000000000000000000"}) { __typename } }',
    ),
    "reassignIncident": Operation(
        RESPOND,
        'mutation { reassignIncident(id: "000000000000000000000000", input: {userIds: ["000000000000000000000000"]}) { __typename } }',
    ),
    "removeIncidentResponder": Operation(
        RESPOND,
        'mutation { removeIncidentResponder(incidentId: "000000000000000000000000", userId: "000000000000000000000000") { __typename } }',
    ),
    "removeScheduleLayer": Operation(
        CONFIGURE,
        'mutation { removeScheduleLayer(index: 1, scheduleId: "000000000000000000000000") { __typename } }',
    ),
    "resolveIncident": Operation(
        RESPOND,
        "mutation($id: ID!) { resolveIncident(id: $id) { __typename } }",
        {"id": Fixture.INCIDENT},
    ),
    "retrainCorrelationModel": Operation(
        CONFIGURE, "mutation { retrainCorrelationModel { __typename } }"
    ),
    "revokeCalendarFeed": Operation(
        READ, 'mutation { revokeCalendarFeed(id: "000000000000000000000000") { __typename } }'
    ),
    "scheduleMaintenance": Operation(
        RESPOND,
        'mutation { scheduleMaintenance(input: {endsAt: "2030-01-01T00:00:00Z", pageId: "000000000000000000000000", startsAt: "2026-11-26T10:00:00Z", title: "x"}) { __typename } }',
    ),
    "sendTestNotification": Operation(
        READ,
        'mutation { sendTestNotification(contactMethodId: "000000000000000000000000") { __typename } }',
    ),
    "setComponentStatuses": Operation(
        RESPOND,
        'mutation { setComponentStatuses(statuses: [{componentId: "000000000000000000000000", status: DEGRADED_PERFORMANCE}]) { __typename } }',
    ),
    "setIncidentCustomField": Operation(
        RESPOND,
        'mutation { setIncidentCustomField(fieldId: "000000000000000000000000", incidentId: "000000000000000000000000", value: null) { __typename } }',
    ),
    "setIncidentPriority": Operation(
        RESPOND,
        "mutation($id: ID!) { setIncidentPriority(incidentId: $id, priority: null) { __typename } }",
        {"id": Fixture.INCIDENT},
    ),
    "setIncidentType": Operation(
        RESPOND,
        'mutation { setIncidentType(incidentId: "000000000000000000000000", typeId: null) { __typename } }',
    ),
    "splitIncident": Operation(
        RESPOND,
        'mutation { splitIncident(input: {alertIds: ["000000000000000000000000"], incidentId: "000000000000000000000000"}) { __typename } }',
    ),
    "subscribeStakeholder": Operation(
        READ,
        'mutation { subscribeStakeholder(input: {contactMethodId: "000000000000000000000000", incidentId: "000000000000000000000000"}) { __typename } }',
    ),
    "subscribeToStatusPage": Operation(
        PUBLIC,
        'mutation { subscribeToStatusPage(address: "matrix@example.com", kind: EMAIL, slug: "x") { __typename } }',
    ),
    "testEventRules": Operation(
        READ, 'mutation { testEventRules(alert: {summary: "x"}) { __typename } }'
    ),
    "unassignIncidentRole": Operation(
        RESPOND,
        'mutation { unassignIncidentRole(incidentId: "000000000000000000000000", roleId: "000000000000000000000000") { __typename } }',
    ),
    "unsubscribeStakeholder": Operation(
        READ, 'mutation { unsubscribeStakeholder(id: "000000000000000000000000") }'
    ),
    "updateActionItem": Operation(
        RESPOND,
        'mutation { updateActionItem(id: "000000000000000000000000", input: {}) { __typename } }',
    ),
    "updateComponent": Operation(
        CONFIGURE,
        'mutation { updateComponent(id: "000000000000000000000000", input: {name: "x"}) { __typename } }',
    ),
    "updateContactMethod": Operation(
        READ,
        'mutation { updateContactMethod(id: "000000000000000000000000", input: {}) { __typename } }',
    ),
    "updateCorrelationSettings": Operation(
        CONFIGURE, "mutation { updateCorrelationSettings(input: {engine: LEARNED}) { __typename } }"
    ),
    "updateCustomField": Operation(
        CONFIGURE,
        'mutation { updateCustomField(id: "000000000000000000000000", input: {kind: TEXT, name: "x"}) { __typename } }',
    ),
    "updateEscalationPolicy": Operation(
        CONFIGURE,
        'mutation { updateEscalationPolicy(id: "000000000000000000000000", input: {name: "x", steps: [{escalateAfterMinutes: 1.0, targets: [{id: "000000000000000000000000", kind: SCHEDULE}]}]}) { __typename } }',
    ),
    "updateEventRule": Operation(
        CONFIGURE,
        'mutation { updateEventRule(id: "000000000000000000000000", input: {actions: {suppress: true}, matchers: [{name: "x", op: EQUAL, value: "x"}], name: "x"}) { __typename } }',
    ),
    "updateHeartbeat": Operation(
        CONFIGURE,
        'mutation { updateHeartbeat(id: "000000000000000000000000", input: {intervalSeconds: 60, name: "x", serviceId: "000000000000000000000000"}) { __typename } }',
    ),
    "updateIncidentRole": Operation(
        CONFIGURE,
        'mutation { updateIncidentRole(id: "000000000000000000000000", input: {name: "x"}) { __typename } }',
    ),
    "updateIncidentType": Operation(
        CONFIGURE,
        'mutation { updateIncidentType(id: "000000000000000000000000", input: {name: "x"}) { __typename } }',
    ),
    "updateMaintenanceWindow": Operation(
        RESPOND,
        'mutation { updateMaintenanceWindow(id: "000000000000000000000000", input: {endsAt: "2030-01-01T00:00:00Z", name: "x", serviceIds: ["000000000000000000000000"], startsAt: "2026-11-26T10:00:00Z"}) { __typename } }',
    ),
    "updateNotificationRule": Operation(
        READ,
        'mutation { updateNotificationRule(id: "000000000000000000000000", input: {contactMethodId: "000000000000000000000000", delayMinutes: 1}) { __typename } }',
    ),
    "updatePostmortem": Operation(
        RESPOND,
        'mutation { updatePostmortem(id: "000000000000000000000000", input: {}) { __typename } }',
    ),
    "updatePostmortemTemplate": Operation(
        CONFIGURE,
        'mutation { updatePostmortemTemplate(id: "000000000000000000000000", input: {name: "x"}) { __typename } }',
    ),
    "updateSchedule": Operation(
        CONFIGURE,
        'mutation { updateSchedule(id: "000000000000000000000000", input: {}) { __typename } }',
    ),
    "updateScheduleLayer": Operation(
        CONFIGURE,
        'mutation { updateScheduleLayer(index: 1, input: {name: "x", rotation: {handoff: "09:00", participants: ["000000000000000000000000"], shiftLength: {count: 1}, startsOn: "2026-11-26", timeZone: "UTC"}}, scheduleId: "000000000000000000000000") { __typename } }',
    ),
    "updateService": Operation(
        CONFIGURE,
        "mutation($id: ID!) { updateService(id: $id, input: {}) { __typename } }",
        {"id": Fixture.SERVICE},
    ),
    "updateStatusPage": Operation(
        CONFIGURE,
        'mutation { updateStatusPage(id: "000000000000000000000000", input: {}) { __typename } }',
    ),
    "updateStatusUpdateTemplate": Operation(
        CONFIGURE,
        'mutation { updateStatusUpdateTemplate(id: "000000000000000000000000", input: {body: "x", name: "x"}) { __typename } }',
    ),
    # Another user's profile; anyone may change their own (tests/api/test_analytics.py).
    "updateUser": Operation(
        CONFIGURE,
        'mutation { updateUser(id: "000000000000000000000000", input: {}) { __typename } }',
    ),
}

SUBSCRIPTIONS: dict[str, Operation] = {
    "incident": Operation(
        READ,
        "subscription($id: ID!) { incident(id: $id) { __typename } }",
        {"id": Fixture.INCIDENT},
    ),
    "incidentEvents": Operation(READ, "subscription { incidentEvents { __typename } }"),
    "statusPageEvents": Operation(
        PUBLIC, 'subscription { statusPageEvents(slug: "x") { __typename } }'
    ),
}
