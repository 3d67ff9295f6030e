"""The public status page in a real browser (Debian's Chromium, driven by Playwright).

The issue's acceptance: the page renders, a public update posted through GraphQL appears
on it, and the same update reaches a confirmed subscriber's local SMTP inbox.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, ViewportSize, expect

from tests.api.statuspage import (
    POST_UPDATE,
    SET_STATUSES,
    confirmed_subscriber,
    mail_to,
    make_page,
    open_public,
    status_server,
)
from tests.browser import keep_screenshot
from tests.notifications.receivers import SmtpReceiver
from tests.support import GraphQLClient, LiveServer

PHONE = ViewportSize(width=375, height=740)


@pytest.fixture(scope="module")
async def server(
    tmp_path_factory: pytest.TempPathFactory, smtp: SmtpReceiver
) -> AsyncIterator[LiveServer]:
    async with status_server(tmp_path_factory.mktemp("vigil-status-browser"), smtp) as running:
        yield running


async def test_a_public_update_shows_on_the_page_and_reaches_a_subscriber(
    browser: Browser, client: GraphQLClient, server: LiveServer, smtp: SmtpReceiver, tmp_path: Path
) -> None:
    page_, (api, _) = await make_page(client)
    subscriber = await confirmed_subscriber(server, client, smtp, page_["slug"])
    # A phone, with JavaScript off: the page must need none.
    context = await browser.new_context(viewport=PHONE, java_script_enabled=False)
    tab = await context.new_page()
    url = f"{server.url}/status/{page_['slug']}"
    await tab.goto(url)
    await expect(tab.get_by_role("heading", level=1)).to_have_text(page_["title"])
    await expect(tab.locator("#overall")).to_have_text("All systems operational")
    await expect(tab.get_by_role("heading", name="Active incidents")).to_be_visible()
    await expect(tab.get_by_role("main")).to_be_visible()

    await client.data(
        SET_STATUSES, {"statuses": [{"componentId": api["id"], "status": "MAJOR_OUTAGE"}]}
    )
    opened = await open_public(
        client,
        page_["id"],
        "Sign-in failures",
        "Some customers cannot sign in.",
        impact="MAJOR",
        componentIds=[api["id"]],
    )
    await client.data(
        POST_UPDATE,
        {"id": opened["id"], "body": "A fix is being rolled out.", "state": "IDENTIFIED"},
    )

    await tab.reload()
    await expect(tab.locator("#overall")).to_have_text("Major outage")
    incident = tab.get_by_role("article", name="Sign-in failures")
    await expect(incident).to_contain_text("Identified — A fix is being rolled out.")
    await expect(incident).to_contain_text("Investigating — Some customers cannot sign in.")
    await expect(incident).to_contain_text("Affects: API")
    # The status is written out, not only coloured.
    component = tab.locator(f'[data-component="{api["id"]}"]')
    await expect(component).to_contain_text("Major outage")
    await expect(component.get_by_role("img")).to_have_attribute(
        "aria-label", re.compile(r"^API: [0-9.]+ % uptime over the last 90 days$")
    )
    # Readable on a phone: nothing wider than the screen.
    assert await tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert await tab.locator("script").count() == 0

    mail = await mail_to(smtp, subscriber, "A fix is being rolled out.")
    assert "Identified: A fix is being rolled out." in mail
    assert "/unsubscribe/" in mail

    screenshot = await keep_screenshot(tab, tmp_path, "status-page.png")
    assert screenshot.stat().st_size > 10_000
    await context.close()
