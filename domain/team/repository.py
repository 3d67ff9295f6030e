"""The only code that reads and writes teams and their memberships."""

from __future__ import annotations

from collections.abc import Iterable

from pymongo.errors import DuplicateKeyError

from domain.auth import TeamRole
from domain.errors import ConflictError
from domain.store.database import Database
from domain.store.documents import DocumentRepository
from domain.team.model import Membership, Team

_OWNED_COLLECTIONS = {
    "services": "services",
    "schedules": "schedules",
    "escalation policies": "escalation_policies",
}


class TeamRepository(DocumentRepository[Team]):
    def __init__(self, db: Database) -> None:
        super().__init__(db, "teams", Team.from_document, noun="team")
        self._db = db
        self._memberships = db["team_members"]

    async def insert(self, item: Team) -> None:
        try:
            await super().insert(item)
        except DuplicateKeyError as exc:
            raise ConflictError(
                f"A team with slug '{item.slug}' already exists.",
                suggestion="Pick another slug; slugs never change once a team exists.",
            ) from exc

    async def existing(self, slugs: Iterable[str]) -> set[str]:
        cursor = self._collection.find({"_id": {"$in": list(set(slugs))}}, {"_id": 1})
        return {doc["_id"] async for doc in cursor}

    async def put_member(self, membership: Membership) -> Membership | None:
        """Add or change a membership; returns the one it replaced, if any."""
        before = await self._memberships.find_one_and_replace(
            {"_id": membership.id}, membership.to_document(), upsert=True
        )
        return Membership.from_document(before) if before else None

    async def remove_member(self, team: str, user_id: str) -> Membership | None:
        removed = await self._memberships.find_one_and_delete({"_id": f"{team}:{user_id}"})
        return Membership.from_document(removed) if removed else None

    async def members(self, team: str) -> list[Membership]:
        cursor = self._memberships.find({"team": team}).sort("_id", 1)
        return [Membership.from_document(doc) async for doc in cursor]

    async def memberships_of(self, user_id: str) -> list[Membership]:
        cursor = self._memberships.find({"user_id": user_id}).sort("_id", 1)
        return [Membership.from_document(doc) async for doc in cursor]

    async def roles_of(self, user_id: str) -> tuple[tuple[str, TeamRole], ...]:
        return tuple((m.team, m.role) for m in await self.memberships_of(user_id))

    async def remove_all_members(self, team: str) -> None:
        await self._memberships.delete_many({"team": team})

    async def owned_by(self, team: str) -> dict[str, int]:
        """How many of each owned kind name this team; a team is deleted only when none do.

        The owned kinds keep their owner in a `team` field, so counting them here saves
        each of their repositories a method that only team deletion would call."""
        counts = {
            kind: await self._db[collection].count_documents({"team": team})
            for kind, collection in _OWNED_COLLECTIONS.items()
        }
        return {kind: count for kind, count in counts.items() if count}
