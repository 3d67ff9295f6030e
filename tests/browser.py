"""Chromium driven by Playwright, for the tests that check pages in a real browser."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from playwright.async_api import Browser, Page, async_playwright

from tests.support import require_program

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """The system Chromium, or skip (fail under VIGIL_TEST_REQUIRE_ALL=1) when it is missing."""
    executable = require_program("chromium")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


async def keep_screenshot(page: Page, tmp_path: Path, name: str) -> Path:
    """A full-page screenshot, also copied to test-artifacts/ for people to look at."""
    screenshot = tmp_path / name
    await page.screenshot(path=str(screenshot), full_page=True)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(screenshot, ARTIFACTS / name)
    return screenshot
