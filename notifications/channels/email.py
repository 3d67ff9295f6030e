"""E-mail over SMTP (aiosmtplib), plain text with the links written out."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

import aiosmtplib

from domain.contact.model import ContactMethod
from notifications.channels import DeliveryError
from notifications.config import SmtpConfig
from notifications.templates import Message


class EmailChannel:
    def __init__(self, config: SmtpConfig, *, timeout_s: float) -> None:
        self._config = config
        self._timeout_s = timeout_s

    async def send(self, method: ContactMethod, message: Message) -> int | None:
        mail = EmailMessage()
        mail["From"] = self._config.sender
        mail["To"] = method.address
        mail["Subject"] = message.subject
        mail["Message-ID"] = make_msgid(idstring=message.notification_id)
        # Lets a mail client thread every page of one incident together.
        mail["X-Vigil-Notification"] = message.notification_id
        mail.set_content(message.text)
        try:
            await aiosmtplib.send(
                mail,
                hostname=self._config.host,
                port=self._config.port,
                username=self._config.username,
                password=self._config.password,
                start_tls=self._config.starttls,
                timeout=self._timeout_s,
            )
        except aiosmtplib.SMTPResponseException as exc:
            raise DeliveryError(f"SMTP {exc.code}: {exc.message}", status_code=exc.code) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP: {exc}") from exc
        return None
