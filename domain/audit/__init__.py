"""The audit log: who changed which configuration, when, from what to what."""

from domain.audit.model import AuditAction, AuditActor, AuditEntry, AuditFilter
from domain.audit.trail import AuditLog, AuditTrail

__all__ = ["AuditAction", "AuditActor", "AuditEntry", "AuditFilter", "AuditLog", "AuditTrail"]
