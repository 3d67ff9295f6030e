"""The only code that reads and writes users and API tokens."""

from __future__ import annotations

from collections.abc import Iterable

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from domain.errors import ConflictError
from domain.store.database import Database
from domain.user.model import ApiToken, User, UserChanges


class UserRepository:
    def __init__(self, db: Database) -> None:
        self._users = db["users"]
        self._tokens = db["api_tokens"]

    async def insert(self, user: User) -> None:
        try:
            await self._users.insert_one(user.to_document())
        except DuplicateKeyError as exc:
            raise ConflictError(f"A user named '{user.name}' already exists.") from exc

    async def by_id(self, user_id: str) -> User | None:
        doc = await self._users.find_one({"_id": user_id})
        return User.from_document(doc) if doc else None

    async def by_ids(self, user_ids: Iterable[str]) -> dict[str, User]:
        cursor = self._users.find({"_id": {"$in": list(set(user_ids))}})
        return {doc["_id"]: User.from_document(doc) async for doc in cursor}

    async def update(self, user_id: str, changes: UserChanges) -> User | None:
        """Apply the changes; None when there is no such user."""
        fields = {"email": changes.email, "time_zone": changes.time_zone}
        doc = await self._users.find_one_and_update(
            {"_id": user_id},
            {"$set": {name: value for name, value in fields.items() if value is not None}},
            return_document=ReturnDocument.AFTER,
        )
        return User.from_document(doc) if doc else None

    async def by_name(self, name: str) -> User | None:
        doc = await self._users.find_one({"name": name})
        return User.from_document(doc) if doc else None

    async def count_admins(self) -> int:
        return await self._users.count_documents({"role": "admin"})

    async def insert_token(self, token: ApiToken) -> None:
        await self._tokens.insert_one(token.to_document())

    async def tokens_of(self, user_id: str) -> list[ApiToken]:
        """A user's API tokens, oldest first."""
        cursor = self._tokens.find({"user_id": user_id}).sort("_id", 1)
        return [ApiToken.from_document(doc) async for doc in cursor]

    async def token(self, token_id: str) -> ApiToken | None:
        doc = await self._tokens.find_one({"_id": token_id})
        return ApiToken.from_document(doc) if doc else None

    async def delete_token(self, token_id: str) -> None:
        await self._tokens.delete_one({"_id": token_id})

    async def has_token_hash(self, secret_hash: str) -> bool:
        return await self._tokens.find_one({"secret_hash": secret_hash}, {"_id": 1}) is not None

    async def user_for_token_hash(self, secret_hash: str) -> User | None:
        token = await self._tokens.find_one({"secret_hash": secret_hash}, {"user_id": 1})
        if token is None:
            return None
        return await self.by_id(token["user_id"])
