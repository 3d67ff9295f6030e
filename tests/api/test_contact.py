"""Contact methods and notification rules in GraphQL: own ones, anyone's for admins."""

from __future__ import annotations

from domain.store.embedded import free_loopback_port
from tests.api.helpers import open_incident
from tests.notifications.scene import CREATE_METHOD, CREATE_RULE, Person, contact, person
from tests.support import GraphQLClient

METHODS = """query($u: ID) { contactMethods(userId: $u) { id kind address label userId } }"""
RULES = """query($u: ID) { notificationRules(userId: $u) { id contactMethodId delayMinutes } }"""
UPDATE_METHOD = """mutation($id: ID!, $input: UpdateContactMethodInput!) {
  updateContactMethod(id: $id, input: $input) { id kind address label } }"""
DELETE_METHOD = """mutation($id: ID!) { deleteContactMethod(id: $id) }"""
UPDATE_RULE = """mutation($id: ID!, $input: NotificationRuleInput!) {
  updateNotificationRule(id: $id, input: $input) { id delayMinutes } }"""
DELETE_RULE = """mutation($id: ID!) { deleteNotificationRule(id: $id) }"""
TEST = """mutation($id: ID!) { sendTestNotification(contactMethodId: $id) {
  status channel incidentId attempts { outcome error statusCode } } }"""
INCIDENT_NOTIFICATIONS = """query($id: ID!) { incident(id: $id) { notifications { id } } }"""


async def test_users_manage_their_own_methods_and_rules(client: GraphQLClient) -> None:
    who = await person(client, "VIEWER")
    email = await contact(client, who, "EMAIL", "me@example.com", delay=0)
    sms = await contact(client, who, "SMS", "+44 20 7946 0000", delay=None)
    assert email["signingSecret"] is None
    assert sms["contactMethod"]["address"] == "+442079460000"
    methods = (await client.data(METHODS, token=who.token))["contactMethods"]
    assert [(m["kind"], m["userId"]) for m in methods] == [("EMAIL", who.id), ("SMS", who.id)]

    sms_id = sms["contactMethod"]["id"]
    rule = (
        await client.data(
            CREATE_RULE, {"input": {"contactMethodId": sms_id, "delayMinutes": 5}}, token=who.token
        )
    )["createNotificationRule"]
    updated = await client.data(
        UPDATE_RULE,
        {"id": rule["id"], "input": {"contactMethodId": sms_id, "delayMinutes": 15}},
        token=who.token,
    )
    assert updated["updateNotificationRule"]["delayMinutes"] == 15
    changed = await client.data(
        UPDATE_METHOD, {"id": sms_id, "input": {"label": "work phone"}}, token=who.token
    )
    assert changed["updateContactMethod"] == {
        "id": sms_id,
        "kind": "SMS",
        "address": "+442079460000",
        "label": "work phone",
    }
    rules = (await client.data(RULES, token=who.token))["notificationRules"]
    assert sorted(r["delayMinutes"] for r in rules) == [0, 15]

    assert (await client.data(DELETE_METHOD, {"id": sms_id}, token=who.token))[
        "deleteContactMethod"
    ]
    rules = (await client.data(RULES, token=who.token))["notificationRules"]
    assert [r["contactMethodId"] for r in rules] == [email["contactMethod"]["id"]]
    assert await client.data(DELETE_RULE, {"id": rules[0]["id"]}, token=who.token)
    assert (await client.data(RULES, token=who.token))["notificationRules"] == []


async def test_webhook_secrets_are_shown_once_at_creation(client: GraphQLClient) -> None:
    who = await person(client)
    created = await contact(client, who, "WEBHOOK", "https://hooks.example.com/vigil")
    assert created["signingSecret"].startswith("vws_")
    body = await client.execute("query { contactMethods { signingSecret } }", token=who.token)
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION"


async def test_invalid_addresses_and_delays_are_validation_errors(client: GraphQLClient) -> None:
    who = await person(client)
    body = await client.execute(
        CREATE_METHOD, {"input": {"kind": "SMS", "address": "0151 234"}}, token=who.token
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "VALIDATION"
    assert error["extensions"]["field"] == "address"
    assert "country code" in error["extensions"]["suggestion"]
    method = await contact(client, who, "EMAIL", "x@example.com", delay=None)
    code = await client.error_code(
        CREATE_RULE,
        {"input": {"contactMethodId": method["contactMethod"]["id"], "delayMinutes": -5}},
        token=who.token,
    )
    assert code == "VALIDATION"


async def test_others_methods_are_for_admins_only(client: GraphQLClient) -> None:
    owner, other = await person(client), await person(client)
    method = (await contact(client, owner, "EMAIL", "o@example.com", delay=None))["contactMethod"]
    forbidden = [
        (METHODS, {"u": owner.id}),
        (RULES, {"u": owner.id}),
        (UPDATE_METHOD, {"id": method["id"], "input": {"label": "mine now"}}),
        (DELETE_METHOD, {"id": method["id"]}),
        (TEST, {"id": method["id"]}),
        (CREATE_RULE, {"input": {"contactMethodId": method["id"], "delayMinutes": 0}}),
        (
            CREATE_METHOD,
            {"input": {"kind": "EMAIL", "address": "x@example.com", "userId": owner.id}},
        ),
    ]
    for query, variables in forbidden:
        assert await client.error_code(query, variables, token=other.token) == "FORBIDDEN"

    # The admin (the client's own token) manages anyone's.
    made = await client.data(
        CREATE_METHOD,
        {"input": {"kind": "SLACK", "address": "https://hooks.slack.com/x", "userId": owner.id}},
    )
    assert made["createContactMethod"]["contactMethod"]["userId"] == owner.id
    listed = (await client.data(METHODS, {"u": owner.id}))["contactMethods"]
    assert [m["kind"] for m in listed] == ["EMAIL", "SLACK"]


async def test_a_test_notification_reports_its_first_attempt(client: GraphQLClient) -> None:
    who: Person = await person(client)
    closed = f"http://127.0.0.1:{free_loopback_port()}/nobody-listens"
    method = (await contact(client, who, "WEBHOOK", closed, delay=None))["contactMethod"]
    sent = (await client.data(TEST, {"id": method["id"]}, token=who.token))["sendTestNotification"]
    assert sent["channel"] == "WEBHOOK"
    assert sent["incidentId"] is None
    assert sent["status"] == "PENDING"  # retried later, like any notification
    [attempt] = sent["attempts"]
    assert attempt["outcome"] == "FAILED"
    assert attempt["statusCode"] is None
    assert "Connect" in attempt["error"]


async def test_incidents_list_their_notifications(client: GraphQLClient) -> None:
    viewer = await person(client, "VIEWER")
    opened = await open_incident(client)
    found = await client.data(INCIDENT_NOTIFICATIONS, {"id": opened["id"]}, token=viewer.token)
    assert found["incident"]["notifications"] == []
