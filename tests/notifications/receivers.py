"""Real receivers for notifications: an HTTP server (uvicorn) and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from typing import Any

import uvicorn
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from domain.store.embedded import free_loopback_port


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    """Wall-clock seconds."""
    status: int
    """What the receiver answered."""

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class HttpReceiver:
    """Records every POST; `fail(path, n)` makes the next n POSTs to `path` answer 500."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)

    def fail(self, path: str, times: int) -> None:
        self.failures[path] = times

    def to(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]

    def delivered(self, path: str) -> list[Received]:
        return [r for r in self.to(path) if r.status == 200]

    async def _receive(self, request: Request) -> JSONResponse:
        path = request.url.path
        status = 500 if self.failures.get(path, 0) > 0 else 200
        if status == 500:
            self.failures[path] -= 1
        self.requests.append(
            Received(path, dict(request.headers), await request.body(), time.time(), status)
        )
        return JSONResponse({"ok": status == 200}, status_code=status)


@asynccontextmanager
async def http_receiver() -> AsyncIterator[HttpReceiver]:
    receiver = HttpReceiver()
    app = Starlette(routes=[Route("/{path:path}", receiver._receive, methods=["POST"])])
    port = free_loopback_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    receiver.url = f"http://127.0.0.1:{port}"
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task


@dataclass
class SmtpReceiver:
    port: int = 0
    messages: list[tuple[Envelope, Message]] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content
        assert isinstance(content, bytes)
        self.messages.append((envelope, message_from_bytes(content)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [message for envelope, message in self.messages if address in envelope.rcpt_tos]


@contextmanager
def smtp_receiver() -> Iterator[SmtpReceiver]:
    receiver = SmtpReceiver(port=free_loopback_port())
    controller = Controller(receiver, hostname="127.0.0.1", port=receiver.port)
    controller.start()
    try:
        yield receiver
    finally:
        controller.stop()
