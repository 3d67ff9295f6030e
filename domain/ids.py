"""Identifiers: 24-hex ObjectId strings, ordered by creation time."""

from bson import ObjectId


def new_id() -> str:
    return str(ObjectId())
