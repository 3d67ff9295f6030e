"""Channels: how a message reaches one kind of contact method."""

from __future__ import annotations

from typing import Protocol

from domain.contact.model import ContactMethod
from notifications.templates import Message


class DeliveryError(Exception):
    """The receiver refused or could not be reached; worth another try later."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class Channel(Protocol):
    async def send(self, method: ContactMethod, message: Message) -> int | None:
        """Deliver, or raise DeliveryError; return the receiver's status code."""
        ...
