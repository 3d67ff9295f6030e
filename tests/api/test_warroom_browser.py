"""The war-room page in a real browser (Debian's Chromium, driven by Playwright)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Browser, ConsoleMessage, Page, WebSocketRoute, expect

from tests.api.helpers import open_incident
from tests.api.queries import INGEST
from tests.browser import keep_screenshot
from tests.support import ADMIN_TOKEN, GraphQLClient, LiveServer, unique

# Updates travel store -> hub -> websocket -> DOM; generous for a loaded 2-core machine.
LIVE_MS = 15_000


async def _ingest(client: GraphQLClient, service: str, summary: str) -> str:
    data = await client.data(INGEST, {"alerts": [{"summary": summary, "service": service}]})
    incident_id: str = data["ingestAlerts"][0]["incident"]["id"]
    return incident_id


async def _log_in(page: Page, server: LiveServer) -> None:
    await page.goto(f"{server.url}/warroom")
    await page.get_by_label("API token").fill(ADMIN_TOKEN)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.locator("#connection")).to_have_text("Live", timeout=LIVE_MS)


async def test_the_page_follows_an_incident_live_without_reloading(
    browser: Browser, client: GraphQLClient, server: LiveServer, tmp_path: Path
) -> None:
    service = unique("warroom")
    incident = await open_incident(client, service, summary="checkout latency above 2 s")
    page = await browser.new_page(viewport={"width": 1600, "height": 900})
    console_errors: list[str] = []

    def keep_errors(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    page.on("console", keep_errors)
    await _log_in(page, server)
    row = page.locator(f'[data-incident-row="{incident["id"]}"]')
    await expect(row).to_be_visible(timeout=LIVE_MS)
    await expect(row.locator('[data-field="alerts"]')).to_have_text("1 (1 firing)")
    await expect(row.locator('[data-field="status"]')).to_have_text("triggered")
    # whoIsOnCall answers for every service; this one has no escalation policy.
    await expect(row.locator('[data-field="oncall"]')).to_have_text("nobody", timeout=LIVE_MS)
    # A reload would drop this marker: it proves every later change arrived live.
    await page.evaluate("window.stillTheSamePage = true")

    joined = await _ingest(client, service, "checkout error rate above 5%")
    assert joined == incident["id"], "precondition: the second alert joins the incident"
    await expect(row.locator('[data-field="alerts"]')).to_have_text("2 (2 firing)", timeout=LIVE_MS)

    await row.get_by_role("button").click()
    detail = page.locator("#detail")
    await expect(detail.locator("#alerts li")).to_have_count(2, timeout=LIVE_MS)
    await expect(detail.locator("#alerts")).to_contain_text("Why here:")
    await page.get_by_role("button", name="Acknowledge").click()
    await expect(row.locator('[data-field="status"]')).to_have_text("acknowledged", timeout=LIVE_MS)
    await expect(page.locator("#announcer")).to_contain_text(
        f"Incident #{incident['number']} acknowledged"
    )
    await page.get_by_label("Note for the timeline").fill("rolling back checkout to v41")
    await page.get_by_role("button", name="Add note").click()
    await expect(detail.locator("#timeline")).to_contain_text(
        "rolling back checkout to v41", timeout=LIVE_MS
    )
    assert await page.evaluate("window.stillTheSamePage") is True

    screenshot = await keep_screenshot(page, tmp_path, "warroom.png")
    assert screenshot.stat().st_size > 10_000
    await page.get_by_role("button", name="Resolve").click()
    await expect(row).to_have_count(0, timeout=LIVE_MS)
    # The strict Content-Security-Policy would report any inline script or style here.
    assert console_errors == []


async def test_the_page_catches_up_after_a_dropped_connection(
    browser: Browser, client: GraphQLClient, server: LiveServer
) -> None:
    service = unique("warroom")
    incident = await open_incident(client, service, summary="cart service restarts")
    page = await browser.new_page()
    # Every websocket goes through this route, so the test can cut the line and hold it cut.
    cut = False
    connections: list[WebSocketRoute] = []

    async def route(ws: WebSocketRoute) -> None:
        if cut:
            await ws.close(code=1001, reason="network down")
            return
        ws.connect_to_server()
        connections.append(ws)

    await page.route_web_socket(re.compile(r"/graphql$"), route)
    await _log_in(page, server)
    row = page.locator(f'[data-incident-row="{incident["id"]}"]')
    await expect(row.locator('[data-field="alerts"]')).to_have_text("1 (1 firing)", timeout=LIVE_MS)

    cut = True
    await connections[-1].close(code=1001, reason="server going away")
    await expect(page.locator("#connection")).to_contain_text("retrying", timeout=LIVE_MS)
    await _ingest(client, service, "cart service out of memory")
    cut = False

    await expect(page.locator("#connection")).to_have_text("Live", timeout=LIVE_MS)
    await expect(row.locator('[data-field="alerts"]')).to_have_text("2 (2 firing)", timeout=LIVE_MS)
    await expect(page.locator("#announcer")).to_contain_text("Reconnected")


async def test_a_link_in_a_page_opens_the_incident(
    browser: Browser, client: GraphQLClient, server: LiveServer
) -> None:
    incident = await open_incident(client, unique("warroom"), summary="payments failing")
    page = await browser.new_page()
    # The link a notification carries (notifications/delivery.py), opened before logging in.
    await page.goto(f"{server.url}/warroom#incident={incident['id']}")
    await page.get_by_label("API token").fill(ADMIN_TOKEN)
    await page.get_by_role("button", name="Log in").click()
    await expect(page.locator("#detail-heading")).to_contain_text(
        "payments failing", timeout=LIVE_MS
    )
