# ruff: noqa: E501  (one document per line reads better than documents split over lines)
"""Who may call each operation of the GraphQL schema: the table the permission matrix test runs.

Every Query, Mutation and Subscription field has one entry: the least access that may call it,
the scope it is checked in, and a minimal document that reaches its permission check. A new
field without an entry fails tests/api/test_permission_matrix.py until one is added here.

Scope GLOBAL: the operation touches nothing a team owns (or lists, which are filtered per
caller): the global role decides, and the team callers (global role VIEWER) count as viewers.
Documents may pass ids of nothing (000000000000000000000000): a caller past the permission
check then gets NOT_FOUND or VALIDATION, which count as allowed; a caller before it gets
FORBIDDEN or UNAUTHENTICATED. Checks therefore have to come before lookups.

Scope TEAM: the operation touches something team T owns, named by `Fixture` variables the test
replaces with documents owned by T (a service, an incident of it, a schedule...): the caller's
role in T decides, and global admins may; global viewers and responders who are not members
of T, and managers of another team, are denied. Checks come after the lookup (an unknown id
stays NOT_FOUND) and before anything else (state, validation of the rest of the input).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Caller(StrEnum):
    """Who calls: every operation is run once as each of them."""

    ANONYMOUS = "anonymous"
    INTEGRATION_KEY = "integration_key"
    """Bound to no service."""
    VIEWER = "viewer"
    RESPONDER = "responder"
    ADMIN = "admin"
    TEAM_VIEWER = "team_viewer"
    """Viewer in team T; global role VIEWER, like every team caller."""
    TEAM_RESPONDER = "team_responder"
    TEAM_MANAGER = "team_manager"
    OTHER_TEAM_MANAGER = "other_team_manager"
    """Manager of another team, member of none else."""


class Access(StrEnum):
    """The least access an operation needs (domain/auth/principal.py Action, plus public)."""

    PUBLIC = "public"
    """Anyone, without credentials: the public status page."""
    INGEST = "ingest"
    """Integration keys, and users whose role may ingest."""
    READ = "read"
    RESPOND = "respond"
    CONFIGURE = "configure"


class Scope(StrEnum):
    GLOBAL = "global"
    """Decided by the global role."""
    TEAM = "team"
    """Decided by the role in team T, the owner of the fixtures the document names."""


_TEAM_CALLERS = frozenset(
    {Caller.TEAM_VIEWER, Caller.TEAM_RESPONDER, Caller.TEAM_MANAGER, Caller.OTHER_TEAM_MANAGER}
)

ALLOWED: dict[Access, frozenset[Caller]] = {
    Access.PUBLIC: frozenset(Caller),
    Access.INGEST: frozenset({Caller.INTEGRATION_KEY, Caller.RESPONDER, Caller.ADMIN}),
    Access.READ: frozenset({Caller.VIEWER, Caller.RESPONDER, Caller.ADMIN}) | _TEAM_CALLERS,
    Access.RESPOND: frozenset({Caller.RESPONDER, Caller.ADMIN}),
    Access.CONFIGURE: frozenset({Caller.ADMIN}),
}

TEAM_ALLOWED: dict[Access, frozenset[Caller]] = {
    Access.READ: frozenset(
        {Caller.TEAM_VIEWER, Caller.TEAM_RESPONDER, Caller.TEAM_MANAGER, Caller.ADMIN}
    ),
    Access.RESPOND: frozenset({Caller.TEAM_RESPONDER, Caller.TEAM_MANAGER, Caller.ADMIN}),
    Access.CONFIGURE: frozenset({Caller.TEAM_MANAGER, Caller.ADMIN}),
}


@dataclass(frozen=True)
class Operation:
    access: Access
    document: str
    """Calls exactly the field it is filed under, with the least selection that is valid."""
    variables: dict[str, Any] = field(default_factory=dict)
    scope: Scope = Scope.GLOBAL
    fresh: bool = False
    """It destroys or changes its fixtures: its test makes its own (except the team and user)."""

    def allows(self, caller: Caller) -> bool:
        table = TEAM_ALLOWED if self.scope is Scope.TEAM else ALLOWED
        return caller in table[self.access]


def team(
    access: Access, document: str, variables: dict[str, Any], *, fresh: bool = False
) -> Operation:
    """An operation on things team T owns, named by `variables`."""
    return Operation(access, document, variables, Scope.TEAM, fresh)


class Fixture(StrEnum):
    """A variable value the test replaces with the id of a document owned by team T (made
    once per module, or per test for `fresh` operations)."""

    TEAM = "<team>"
    """T's slug."""
    USER = "<user>"
    """A user who is none of the callers (participant, responder, new member)."""
    SERVICE = "<service>"
    INCIDENT = "<incident>"
    SECOND_INCIDENT = "<second incident>"
    ALERT = "<alert>"
    """An alert of INCIDENT."""
    TIMELINE_ENTRY = "<timeline entry>"
    """A note on INCIDENT."""
    POSTMORTEM = "<postmortem>"
    """Of INCIDENT."""
    ACTION_ITEM = "<action item>"
    SCHEDULE = "<schedule>"
    POLICY = "<policy>"
    INTEGRATION_KEY = "<integration key>"
    """Bound to SERVICE."""
    HEARTBEAT = "<heartbeat>"
    MAINTENANCE_WINDOW = "<maintenance window>"
    """Of SERVICE, in 2030 (it must not keep SERVICE's alerts out of incidents)."""


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
    "apiTokens": Operation(READ, "{ apiTokens { __typename } }"),
    "auditLog": Operation(CONFIGURE, "{ auditLog { __typename } }"),
    "backtestCorrelation": Operation(
        READ,
        '{ backtestCorrelation(from: "2026-11-01T00:00:00Z", settings: {engine: LEARNED}, to: "2026-11-26T10:00:00Z") { __typename } }',
    ),
    "calendarFeeds": Operation(READ, "{ calendarFeeds { __typename } }"),
    "changeEvents": team(
        READ,
        'query($id: ID!) { changeEvents(serviceId: $id, since: "2026-11-26T10:00:00Z") { __typename } }',
        {"id": Fixture.SERVICE},
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
    "escalationPolicy": team(
        READ,
        "query($id: ID!) { escalationPolicy(id: $id) { __typename } }",
        {"id": Fixture.POLICY},
    ),
    "eventRules": Operation(READ, "{ eventRules { __typename } }"),
    "heartbeats": Operation(READ, "{ heartbeats { __typename } }"),
    "incident": team(
        READ,
        "query($id: ID!) { incident(id: $id) { __typename } }",
        {"id": Fixture.INCIDENT},
    ),
    "incidentRoles": Operation(READ, "{ incidentRoles { __typename } }"),
    "incidentTypes": Operation(READ, "{ incidentTypes { __typename } }"),
    "incidents": Operation(READ, "{ incidents { __typename } }"),
    "maintenanceWindows": Operation(READ, "{ maintenanceWindows { __typename } }"),
    "me": Operation(READ, "{ me { __typename } }"),
    "myUpcomingShifts": Operation(READ, "{ myUpcomingShifts { __typename } }"),
    "notificationRules": Operation(READ, "{ notificationRules { __typename } }"),
    "oncall": team(
        READ,
        "query($id: ID!) { oncall(scheduleId: $id) { __typename } }",
        {"id": Fixture.SCHEDULE},
    ),
    "postmortem": team(
        READ,
        "query($id: ID!) { postmortem(id: $id) { __typename } }",
        {"id": Fixture.POSTMORTEM},
    ),
    "postmortemTemplates": Operation(READ, "{ postmortemTemplates { __typename } }"),
    "postmortems": Operation(READ, "{ postmortems { __typename } }"),
    "publicStatusPage": Operation(PUBLIC, '{ publicStatusPage(slug: "x") { __typename } }'),
    "renderStatusUpdateTemplate": team(
        READ,
        'query($id: ID!) { renderStatusUpdateTemplate(id: "000000000000000000000000", incidentId: $id) }',
        {"id": Fixture.INCIDENT},
    ),
    "schedule": team(
        READ,
        "query($id: ID!) { schedule(id: $id) { __typename } }",
        {"id": Fixture.SCHEDULE},
    ),
    "schedules": Operation(READ, "{ schedules { __typename } }"),
    "service": team(
        READ,
        "query($id: ID!) { service(id: $id) { __typename } }",
        {"id": Fixture.SERVICE},
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
    "whoIsOnCall": team(
        READ,
        "query($id: ID!) { whoIsOnCall(serviceId: $id) { __typename } }",
        {"id": Fixture.SERVICE},
    ),
    "team": Operation(READ, '{ team(slug: "matrix-none") { __typename } }'),
    "myTeams": Operation(READ, "{ myTeams { __typename } }"),
    "teams": Operation(READ, "{ teams { __typename } }"),
    "integrationKeys": team(
        CONFIGURE,
        "query($id: ID!) { integrationKeys(serviceId: $id) { __typename } }",
        {"id": Fixture.SERVICE},
    ),
}

MUTATIONS: dict[str, Operation] = {
    "acknowledgeIncident": team(
        RESPOND,
        "mutation($id: ID!) { acknowledgeIncident(id: $id) { __typename } }",
        {"id": Fixture.INCIDENT},
    ),
    "addIncidentNote": team(
        RESPOND,
        'mutation($id: ID!) { addIncidentNote(id: $id, body: "x") { __typename } }',
        {"id": Fixture.INCIDENT},
    ),
    "addIncidentResponder": team(
        RESPOND,
        "mutation($id: ID!, $user: ID!) { addIncidentResponder(incidentId: $id, userId: $user) { __typename } }",
        {"id": Fixture.INCIDENT, "user": Fixture.USER},
    ),
    "addScheduleLayer": team(
        CONFIGURE,
        'mutation($id: ID!) { addScheduleLayer(input: {name: "x", rotation: {handoff: "09:00", participants: ["000000000000000000000000"], shiftLength: {count: 1}, startsOn: "2026-11-26", timeZone: "UTC"}}, scheduleId: $id) { __typename } }',
        {"id": Fixture.SCHEDULE},
    ),
    "assignIncidentRole": team(
        RESPOND,
        'mutation($id: ID!, $user: ID!) { assignIncidentRole(incidentId: $id, roleId: "000000000000000000000000", userId: $user) { __typename } }',
        {"id": Fixture.INCIDENT, "user": Fixture.USER},
    ),
    "cancelMaintenance": Operation(
        RESPOND, 'mutation { cancelMaintenance(id: "000000000000000000000000") }'
    ),
    "changeEvents": Operation(
        INGEST,
        'mutation { changeEvents(input: [{summary: "x", service: "matrix"}]) { __typename } }',
    ),
    "changePostmortemState": team(
        RESPOND,
        "mutation($id: ID!) { changePostmortemState(id: $id, state: DRAFT) { __typename } }",
        {"id": Fixture.POSTMORTEM},
    ),
    "createActionItem": team(
        RESPOND,
        'mutation($id: ID!, $user: ID!) { createActionItem(input: {ownerId: $user, title: "x"}, postmortemId: $id) { __typename } }',
        {"id": Fixture.POSTMORTEM, "user": Fixture.USER},
    ),
    # The caller's own token; one for another user needs configure.
    "createApiToken": Operation(
        READ, 'mutation { createApiToken(input: {name: "x"}) { __typename } }'
    ),
    "createCalendarFeed": team(
        READ,
        "mutation($id: ID!) { createCalendarFeed(input: {scheduleId: $id}) { __typename } }",
        {"id": Fixture.SCHEDULE},
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
    "createEscalationPolicy": team(
        CONFIGURE,
        'mutation($team: String!) { createEscalationPolicy(input: {name: "x", team: $team, steps: [{escalateAfterMinutes: 1.0, targets: [{id: "000000000000000000000000", kind: SCHEDULE}]}]}) { __typename } }',
        {"team": Fixture.TEAM},
    ),
    "createEventRule": Operation(
        CONFIGURE,
        'mutation { createEventRule(input: {actions: {suppress: true}, matchers: [{name: "x", op: EQUAL, value: "x"}], name: "x"}) { __typename } }',
    ),
    "createHeartbeat": team(
        CONFIGURE,
        'mutation($id: ID!) { createHeartbeat(input: {intervalSeconds: 60, name: "x", serviceId: $id}) { __typename } }',
        {"id": Fixture.SERVICE},
    ),
    "createIncidentRole": Operation(
        CONFIGURE, 'mutation { createIncidentRole(input: {name: "x"}) { __typename } }'
    ),
    "createIncidentType": Operation(
        CONFIGURE, 'mutation { createIncidentType(input: {name: "x"}) { __typename } }'
    ),
    "createIntegrationKey": team(
        CONFIGURE,
        'mutation($id: ID!) { createIntegrationKey(input: {name: "x", serviceId: $id}) { __typename } }',
        {"id": Fixture.SERVICE},
    ),
    "createMaintenanceWindow": team(
        CONFIGURE,
        'mutation($id: ID!) { createMaintenanceWindow(input: {endsAt: "2030-01-02T00:00:00Z", startsAt: "2030-01-01T00:00:00Z", name: "x", serviceIds: [$id]}) { __typename } }',
        {"id": Fixture.SERVICE},
    ),
    "createNotificationRule": Operation(
        READ,
        'mutation { createNotificationRule(input: {contactMethodId: "000000000000000000000000", delayMinutes: 1}) { __typename } }',
    ),
    "createOverride": team(
        RESPOND,
        'mutation($id: ID!) { createOverride(input: {endsAt: "2030-01-01T00:00:00Z", kind: ADD, startsAt: "2026-11-26T10:00:00Z", userId: "000000000000000000000000"}, scheduleId: $id) { __typename } }',
        {"id": Fixture.SCHEDULE},
    ),
    "createPostmortem": team(
        RESPOND,
        "mutation($id: ID!) { createPostmortem(incidentId: $id) { __typename } }",
        {"id": Fixture.INCIDENT},
    ),
    "createPostmortemTemplate": Operation(
        CONFIGURE, 'mutation { createPostmortemTemplate(input: {name: "x"}) { __typename } }'
    ),
    "createSchedule": team(
        CONFIGURE,
        'mutation($team: String!) { createSchedule(input: {layers: [{name: "x", rotation: {handoff: "09:00", participants: ["000000000000000000000000"], shiftLength: {count: 1}, startsOn: "2026-11-26", timeZone: "UTC"}}], name: "x", team: $team}) { __typename } }',
        {"team": Fixture.TEAM},
    ),
    "createService": team(
        CONFIGURE,
        'mutation($team: String!) { createService(input: {name: "x", team: $team}) { __typename } }',
        {"team": Fixture.TEAM},
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
    "deleteActionItem": team(
        RESPOND,
        "mutation($id: ID!) { deleteActionItem(id: $id) }",
        {"id": Fixture.ACTION_ITEM},
        fresh=True,
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
    "deleteEscalationPolicy": team(
        CONFIGURE,
        "mutation($id: ID!) { deleteEscalationPolicy(id: $id) }",
        {"id": Fixture.POLICY},
        fresh=True,
    ),
    "deleteEventRule": Operation(
        CONFIGURE, 'mutation { deleteEventRule(id: "000000000000000000000000") }'
    ),
    "deleteHeartbeat": team(
        CONFIGURE,
        "mutation($id: ID!) { deleteHeartbeat(id: $id) }",
        {"id": Fixture.HEARTBEAT},
        fresh=True,
    ),
    "deleteIncidentRole": Operation(
        CONFIGURE, 'mutation { deleteIncidentRole(id: "000000000000000000000000") }'
    ),
    "deleteIncidentType": Operation(
        CONFIGURE, 'mutation { deleteIncidentType(id: "000000000000000000000000") }'
    ),
    "deleteMaintenanceWindow": team(
        CONFIGURE,
        "mutation($id: ID!) { deleteMaintenanceWindow(id: $id) }",
        {"id": Fixture.MAINTENANCE_WINDOW},
        fresh=True,
    ),
    "deleteNotificationRule": Operation(
        READ, 'mutation { deleteNotificationRule(id: "000000000000000000000000") }'
    ),
    "deleteOverride": team(
        RESPOND,
        'mutation($id: ID!) { deleteOverride(id: "000000000000000000000000", scheduleId: $id) }',
        {"id": Fixture.SCHEDULE},
    ),
    "deletePostmortemTemplate": Operation(
        CONFIGURE, 'mutation { deletePostmortemTemplate(id: "000000000000000000000000") }'
    ),
    "deleteSchedule": team(
        CONFIGURE,
        "mutation($id: ID!) { deleteSchedule(id: $id) }",
        {"id": Fixture.SCHEDULE},
        fresh=True,
    ),
    "deleteStatusPage": Operation(
        CONFIGURE, 'mutation { deleteStatusPage(id: "000000000000000000000000") }'
    ),
    "deleteStatusUpdateTemplate": Operation(
        CONFIGURE, 'mutation { deleteStatusUpdateTemplate(id: "000000000000000000000000") }'
    ),
    "escalateIncident": team(
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
    "mergeIncidents": team(
        RESPOND,
        "mutation($id: ID!, $source: ID!) { mergeIncidents(input: {sourceIds: [$source], targetId: $id}) { __typename } }",
        {"id": Fixture.INCIDENT, "source": Fixture.SECOND_INCIDENT},
        fresh=True,
    ),
    "openPublicIncident": Operation(
        RESPOND,
        'mutation { openPublicIncident(input: {body: "x", pageId: "000000000000000000000000", title: "x"}) { __typename } }',
    ),
    "pinTimelineEntry": team(
        RESPOND,
        "mutation($id: ID!) { pinTimelineEntry(id: $id) { __typename } }",
        {"id": Fixture.TIMELINE_ENTRY},
    ),
    "postPublicIncidentUpdate": Operation(
        RESPOND,
        'mutation { postPublicIncidentUpdate(body: "x", id: "000000000000000000000000") { __typename } }',
    ),
    "postStatusUpdate": team(
        RESPOND,
        'mutation($id: ID!) { postStatusUpdate(input: {audience: INTERNAL, body: "x", incidentId: $id}) { __typename } }',
        {"id": Fixture.INCIDENT},
    ),
    "reassignIncident": team(
        RESPOND,
        "mutation($id: ID!, $user: ID!) { reassignIncident(id: $id, input: {userIds: [$user]}) { __typename } }",
        {"id": Fixture.INCIDENT, "user": Fixture.USER},
    ),
    "removeIncidentResponder": team(
        RESPOND,
        "mutation($id: ID!, $user: ID!) { removeIncidentResponder(incidentId: $id, userId: $user) { __typename } }",
        {"id": Fixture.INCIDENT, "user": Fixture.USER},
    ),
    "removeScheduleLayer": team(
        CONFIGURE,
        "mutation($id: ID!) { removeScheduleLayer(index: 1, scheduleId: $id) { __typename } }",
        {"id": Fixture.SCHEDULE},
    ),
    "resolveIncident": team(
        RESPOND,
        "mutation($id: ID!) { resolveIncident(id: $id) { __typename } }",
        {"id": Fixture.INCIDENT},
    ),
    "retrainCorrelationModel": Operation(
        CONFIGURE, "mutation { retrainCorrelationModel { __typename } }"
    ),
    "revokeApiToken": Operation(
        READ, 'mutation { revokeApiToken(id: "000000000000000000000000") { __typename } }'
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
    "setIncidentCustomField": team(
        RESPOND,
        'mutation($id: ID!) { setIncidentCustomField(fieldId: "000000000000000000000000", incidentId: $id, value: null) { __typename } }',
        {"id": Fixture.INCIDENT},
    ),
    "setIncidentPriority": team(
        RESPOND,
        "mutation($id: ID!) { setIncidentPriority(incidentId: $id, priority: null) { __typename } }",
        {"id": Fixture.INCIDENT},
    ),
    "setIncidentType": team(
        RESPOND,
        "mutation($id: ID!) { setIncidentType(incidentId: $id, typeId: null) { __typename } }",
        {"id": Fixture.INCIDENT},
    ),
    "splitIncident": team(
        RESPOND,
        "mutation($id: ID!, $alert: ID!) { splitIncident(input: {alertIds: [$alert], incidentId: $id}) { __typename } }",
        {"id": Fixture.INCIDENT, "alert": Fixture.ALERT},
        fresh=True,
    ),
    "subscribeStakeholder": team(
        READ,
        'mutation($id: ID!) { subscribeStakeholder(input: {contactMethodId: "000000000000000000000000", incidentId: $id}) { __typename } }',
        {"id": Fixture.INCIDENT},
    ),
    "subscribeToStatusPage": Operation(
        PUBLIC,
        'mutation { subscribeToStatusPage(address: "matrix@example.com", kind: EMAIL, slug: "x") { __typename } }',
    ),
    "testEventRules": Operation(
        READ, 'mutation { testEventRules(alert: {summary: "x"}) { __typename } }'
    ),
    "unassignIncidentRole": team(
        RESPOND,
        'mutation($id: ID!) { unassignIncidentRole(incidentId: $id, roleId: "000000000000000000000000") { __typename } }',
        {"id": Fixture.INCIDENT},
    ),
    "unsubscribeStakeholder": Operation(
        READ, 'mutation { unsubscribeStakeholder(id: "000000000000000000000000") }'
    ),
    "updateActionItem": team(
        RESPOND,
        "mutation($id: ID!) { updateActionItem(id: $id, input: {}) { __typename } }",
        {"id": Fixture.ACTION_ITEM},
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
    "updateEscalationPolicy": team(
        CONFIGURE,
        'mutation($id: ID!) { updateEscalationPolicy(id: $id, input: {name: "x", steps: [{escalateAfterMinutes: 1.0, targets: [{id: "000000000000000000000000", kind: SCHEDULE}]}]}) { __typename } }',
        {"id": Fixture.POLICY},
    ),
    "updateEventRule": Operation(
        CONFIGURE,
        'mutation { updateEventRule(id: "000000000000000000000000", input: {actions: {suppress: true}, matchers: [{name: "x", op: EQUAL, value: "x"}], name: "x"}) { __typename } }',
    ),
    "updateHeartbeat": team(
        CONFIGURE,
        'mutation($id: ID!, $service: ID!) { updateHeartbeat(id: $id, input: {intervalSeconds: 60, name: "x", serviceId: $service}) { __typename } }',
        {"id": Fixture.HEARTBEAT, "service": Fixture.SERVICE},
    ),
    "updateIncidentRole": Operation(
        CONFIGURE,
        'mutation { updateIncidentRole(id: "000000000000000000000000", input: {name: "x"}) { __typename } }',
    ),
    "updateIncidentType": Operation(
        CONFIGURE,
        'mutation { updateIncidentType(id: "000000000000000000000000", input: {name: "x"}) { __typename } }',
    ),
    "updateMaintenanceWindow": team(
        CONFIGURE,
        'mutation($id: ID!, $service: ID!) { updateMaintenanceWindow(id: $id, input: {endsAt: "2030-01-02T00:00:00Z", startsAt: "2030-01-01T00:00:00Z", name: "x", serviceIds: [$service]}) { __typename } }',
        {"id": Fixture.MAINTENANCE_WINDOW, "service": Fixture.SERVICE},
    ),
    "updateNotificationRule": Operation(
        READ,
        'mutation { updateNotificationRule(id: "000000000000000000000000", input: {contactMethodId: "000000000000000000000000", delayMinutes: 1}) { __typename } }',
    ),
    "updatePostmortem": team(
        RESPOND,
        "mutation($id: ID!) { updatePostmortem(id: $id, input: {}) { __typename } }",
        {"id": Fixture.POSTMORTEM},
    ),
    "updatePostmortemTemplate": Operation(
        CONFIGURE,
        'mutation { updatePostmortemTemplate(id: "000000000000000000000000", input: {name: "x"}) { __typename } }',
    ),
    "updateSchedule": team(
        CONFIGURE,
        "mutation($id: ID!) { updateSchedule(id: $id, input: {}) { __typename } }",
        {"id": Fixture.SCHEDULE},
    ),
    "updateScheduleLayer": team(
        CONFIGURE,
        'mutation($id: ID!) { updateScheduleLayer(index: 1, input: {name: "x", rotation: {handoff: "09:00", participants: ["000000000000000000000000"], shiftLength: {count: 1}, startsOn: "2026-11-26", timeZone: "UTC"}}, scheduleId: $id) { __typename } }',
        {"id": Fixture.SCHEDULE},
    ),
    "updateService": team(
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
    "removeTeamMember": team(
        CONFIGURE,
        "mutation($team: ID!, $user: ID!) { removeTeamMember(slug: $team, userId: $user) { __typename } }",
        {"team": Fixture.TEAM, "user": Fixture.USER},
    ),
    "setTeamMember": team(
        CONFIGURE,
        "mutation($team: ID!, $user: ID!) { setTeamMember(role: VIEWER, slug: $team, userId: $user) { __typename } }",
        {"team": Fixture.TEAM, "user": Fixture.USER},
    ),
    "updateTeam": team(
        CONFIGURE,
        "mutation($team: ID!) { updateTeam(slug: $team, input: {}) { __typename } }",
        {"team": Fixture.TEAM},
    ),
    "deleteTeam": Operation(
        CONFIGURE, 'mutation { deleteTeam(slug: "matrix-none") { __typename } }'
    ),
    "createTeam": Operation(
        CONFIGURE, 'mutation { createTeam(input: {name: "x", slug: "matrix-new"}) { __typename } }'
    ),
    "deleteIntegrationKey": team(
        CONFIGURE,
        "mutation($id: ID!) { deleteIntegrationKey(id: $id) }",
        {"id": Fixture.INTEGRATION_KEY},
        fresh=True,
    ),
}

SUBSCRIPTIONS: dict[str, Operation] = {
    "incident": team(
        READ,
        "subscription($id: ID!) { incident(id: $id) { __typename } }",
        {"id": Fixture.INCIDENT},
    ),
    "incidentEvents": Operation(READ, "subscription { incidentEvents { __typename } }"),
    "statusPageEvents": Operation(
        PUBLIC, 'subscription { statusPageEvents(slug: "x") { __typename } }'
    ),
}
