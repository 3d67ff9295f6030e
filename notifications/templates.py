"""What a page says, once, for every channel to shape in its own format."""

from __future__ import annotations

from dataclasses import dataclass

from notifications.outbox import PageContent

SMS_LIMIT = 160


@dataclass(frozen=True, slots=True)
class Message:
    content: PageContent
    incident_url: str | None
    ack_url: str | None
    notification_id: str

    @property
    def is_test(self) -> bool:
        return self.content.incident_id is None

    @property
    def headline(self) -> str:
        if self.is_test:
            return "Vigil test notification"
        c = self.content
        return f"#{c.incident_number} [{c.severity.upper()}] {c.incident_title}"

    @property
    def subject(self) -> str:
        return f"[Vigil] {self.headline}"

    @property
    def facts(self) -> list[tuple[str, str]]:
        c = self.content
        if self.is_test:
            return [("Message", "Your contact method works: Vigil can page you here.")]
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
        lines = [self.headline, ""]
        lines += [f"{name}: {value}" for name, value in self.facts]
        if self.links:
            lines.append("")
            lines += [f"{name}: {url}" for name, url in self.links]
        return "\n".join(lines) + "\n"

    @property
    def short(self) -> str:
        """For SMS: the headline, cut to fit one message, then the acknowledge link."""
        tail = f" Ack: {self.ack_url}" if self.ack_url else ""
        room = max(SMS_LIMIT - len(tail), 40)
        head = self.headline if len(self.headline) <= room else self.headline[: room - 1] + "…"
        return head + tail
