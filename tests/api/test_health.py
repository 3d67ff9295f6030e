from __future__ import annotations

import httpx

from tests.support import LiveServer


async def test_healthz_reports_server_and_store(server: LiveServer) -> None:
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{server.url}/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["store"]["status"] == "up"
    assert body["store"]["embedded"] is True
