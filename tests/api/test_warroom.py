"""The war-room page as served: strict headers, no inline code, the shipped operations."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests.support import LiveServer

ROOT = Path(__file__).resolve().parents[2]


async def test_the_page_is_served_with_a_strict_content_security_policy(
    server: LiveServer,
) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        response = await http.get("/warroom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_page_has_no_inline_script_or_style() -> None:
    html = (ROOT / "api" / "warroom" / "index.html").read_text()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all("src=" in tag for tag in scripts)
    assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html), "a script element with inline code"
    assert not re.search(r"\son[a-z]+\s*=", html), "an inline event handler"
    assert "<style" not in html and " style=" not in html


async def test_the_assets_are_served_and_nothing_else(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:
        script = await http.get("/warroom/app.js")
        sheet = await http.get("/warroom/style.css")
        operations = await http.get("/warroom/operations.graphql")
        missing = await http.get("/warroom/..%2Fapp.py")
    assert script.headers["content-type"].startswith("text/javascript")
    assert sheet.headers["content-type"].startswith("text/css")
    assert "subscription WarRoomIncidentEvents" in operations.text
    assert missing.status_code == 404


def test_the_page_sends_the_operations_frontend_developers_see() -> None:
    # The page ships inside the Python package (api/warroom/), where frontend-schema/ is
    # not installed: the package holds a link to the published file (packaging copies it).
    shipped = ROOT / "api" / "warroom" / "operations.graphql"
    published = ROOT / "frontend-schema" / "operations" / "warroom.graphql"
    assert shipped.resolve() == published.resolve()


def test_the_page_uses_only_operations_of_the_file() -> None:
    script = (ROOT / "api" / "warroom" / "app.js").read_text()
    operations = (ROOT / "frontend-schema" / "operations" / "warroom.graphql").read_text()
    defined = set(re.findall(r"^(?:query|mutation|subscription) (\w+)", operations, re.M))
    used = set(re.findall(r"\"(WarRoom\w+)\"", script))
    assert used, "the page names no operation"
    assert used <= defined, used - defined
