"""Incident roles, responders, priority, types, custom fields and pinned notes."""
