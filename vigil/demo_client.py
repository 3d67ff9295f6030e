"""The GraphQL client `vigil demo` talks to a running server with: one call, plain errors."""

from __future__ import annotations

from typing import Any

import httpx

from domain.errors import UnauthenticatedError, VigilError


class ServerError(VigilError):
    """The server could not be reached or refused a request."""

    default_suggestion = "Start the server with 'make run' and check --url and --token."


class DemoClient:
    def __init__(self, http: httpx.AsyncClient, url: str, token: str) -> None:
        self._http = http
        self._endpoint = f"{url.rstrip('/')}/graphql"
        self._headers = {"Authorization": f"Bearer {token}"}

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """`data` of a response without errors; a ServerError naming the first one otherwise."""
        try:
            response = await self._http.post(
                self._endpoint,
                json={"query": query, "variables": variables or {}},
                headers=self._headers,
            )
        except httpx.HTTPError as exc:
            raise ServerError(f"cannot reach {self._endpoint}: {exc}") from exc
        if response.status_code != 200:
            raise ServerError(f"{self._endpoint} answered HTTP {response.status_code}")
        body: dict[str, Any] = response.json()
        errors = body.get("errors")
        if errors:
            extensions = errors[0].get("extensions") or {}
            message = f"the server refused the request: {errors[0].get('message')}"
            if extensions.get("code") == "UNAUTHENTICATED":
                raise UnauthenticatedError(
                    message, suggestion="Pass an admin API token with --token or VIGIL_ADMIN_TOKEN."
                )
            raise ServerError(message, suggestion=extensions.get("suggestion"))
        data: dict[str, Any] = body["data"]
        return data

    async def has_mutation(self, name: str) -> bool:
        """Whether this server's schema has the mutation (features arrive release by release)."""
        data = await self.data('{ __type(name: "Mutation") { fields { name } } }')
        return any(field["name"] == name for field in data["__type"]["fields"])
