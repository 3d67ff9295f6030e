"""What a page or a stakeholder update says, once, for every channel to shape in its own format."""

from __future__ import annotations

from dataclasses import dataclass

from notifications.outbox import Notice, PageContent, UpdateContent

SMS_LIMIT = 160


@dataclass(frozen=True, slots=True)
class Message:
    content: PageContent
    incident_url: str | None
    ack_url: str | None
    notification_id: str
    update: UpdateContent | None = None
    """Set for a stakeholder update: its body is the message, and nothing is acknowledged."""
    notice: Notice | None = None
    """Set for a status page message: sent exactly as its sender wrote it."""

    @property
    def is_test(self) -> bool:
        return self.content.incident_id is None

    @property
    def headline(self) -> str:
        if self.notice is not None:
            return self.notice.subject
        if self.is_test:
            return "Vigil test notification"
        c = self.content
        if self.update is not None:
            state = f" [{self.update.state.upper()}]" if self.update.state else ""
            return f"Update on #{c.incident_number}{state} {c.incident_title}"
        return f"#{c.incident_number} [{c.severity.upper()}] {c.incident_title}"

    @property
    def subject(self) -> str:
        return self.headline if self.notice is not None else f"[Vigil] {self.headline}"

    @property
    def body(self) -> str | None:
        """A stakeholder update's text; None for a page."""
        return None if self.update is None else self.update.body

    @property
    def facts(self) -> list[tuple[str, str]]:
        c = self.content
        if self.is_test:
            return [("Message", "Your contact method works: Vigil can page you here.")]
        if self.update is not None:
            return [
                ("Incident", f"#{c.incident_number}"),
                ("Status", self.update.incident_status),
                ("Service", c.service_name),
                ("Posted by", self.update.author),
            ]
        return [
            ("Incident", f"#{c.incident_number}"),
            ("Severity", c.severity),
            ("Service", c.service_name),
            ("Alerts", str(c.alert_count)),
        ]

    @property
    def links(self) -> list[tuple[str, str]]:
        """(text, url): the incident, and the one-click acknowledge."""
        found = []
        if self.incident_url:
            found.append(("Open incident", self.incident_url))
        if self.ack_url:
            found.append(("Acknowledge", self.ack_url))
        return found

    @property
    def text(self) -> str:
        if self.notice is not None:
            return self.notice.text
        lines = [self.headline, ""]
        if self.body is not None:
            lines += [self.body, ""]
        lines += [f"{name}: {value}" for name, value in self.facts]
        if self.links:
            lines.append("")
            lines += [f"{name}: {url}" for name, url in self.links]
        return "\n".join(lines) + "\n"

    @property
    def short(self) -> str:
        """For SMS: the headline (and an update's text), cut to fit one message, then the
        acknowledge link."""
        tail = f" Ack: {self.ack_url}" if self.ack_url else ""
        room = max(SMS_LIMIT - len(tail), 40)
        head = self.headline if self.body is None else f"{self.headline}: {self.body}"
        head = head if len(head) <= room else head[: room - 1] + "…"
        return head + tail
