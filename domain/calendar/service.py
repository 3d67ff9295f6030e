"""Use cases for calendar feeds: issue a secret URL, revoke it, serve the feed behind it.

The secret is the credential, as calendar apps cannot send a token: whoever holds
the URL reads the shifts it covers, and nothing else. Anyone who may read a
schedule (a member of its team, or anyone when no team owns it) may subscribe to it;
a user's own feed is theirs (admins may make one for anybody). The creator or an admin
revokes a feed.

A feed reads with its creator's rights as they are now, not as they were when it was
made: once the creator may no longer read what it covers (they left the schedule's
team, or an admin who made a feed of someone else is an admin no more), it answers as
an unknown URL does.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.audit.model import AuditResource
from domain.audit.trail import AuditTrail
from domain.auth import Action, Principal
from domain.calendar.model import (
    CalendarFeed,
    FeedScope,
    FeedStatus,
    FeedWindow,
    IssuedCalendarFeed,
)
from domain.calendar.repository import CalendarFeedRepository
from domain.clock import Clock
from domain.errors import ForbiddenError, NotFoundError, ValidationError
from domain.ids import new_id
from domain.oncall.query import UserShift
from domain.schedule import ical
from domain.schedule.model import RenderedShift, Schedule
from domain.schedule.render import render
from domain.schedule.repository import ScheduleRepository
from domain.schedule.service import users_by_id
from domain.secrets import SecretKind, generate_secret, hash_secret
from domain.store.timestamps import to_ms
from domain.team.principals import user_principal
from domain.team.repository import TeamRepository
from domain.user.repository import UserRepository

_UNKNOWN = "No calendar feed has this URL."
EDGE = timedelta(days=31)
"""How far past the window a shift it cuts is followed, to give its real start and end."""


class CalendarFeeds:
    def __init__(
        self,
        *,
        repository: CalendarFeedRepository,
        schedules: ScheduleRepository,
        users: UserRepository,
        teams: TeamRepository,
        audit: AuditTrail,
        clock: Clock,
    ) -> None:
        self._repository = repository
        self._audit = audit
        self._schedules = schedules
        self._users = users
        self._teams = teams
        self._clock = clock

    async def create(
        self, principal: Principal, *, schedule_id: str | None, user_id: str | None
    ) -> IssuedCalendarFeed:
        """A feed of one schedule or of one user (exactly one of the two)."""
        principal.require(Action.READ)
        if (schedule_id is None) == (user_id is None):
            raise ValidationError(
                "Name either 'scheduleId' or 'userId', not both nor neither.",
                suggestion="A schedule's feed shows everyone's shifts; a user's feed theirs only.",
                field="scheduleId",
            )
        if schedule_id is not None:
            scope, target = FeedScope.SCHEDULE, schedule_id
        else:
            assert user_id is not None
            scope, target = FeedScope.USER, user_id
        await self._require_may_read(principal, scope, target)
        secret = generate_secret(SecretKind.CALENDAR_FEED)
        feed = CalendarFeed(
            id=new_id(),
            scope=scope,
            target_id=target,
            owner_id=principal.id,
            secret_hash=hash_secret(secret),
            status=FeedStatus.ACTIVE,
            created_at=self._clock.now(),
        )
        await self._repository.insert(feed)
        await self._audit.created(principal, AuditResource.CALENDAR_FEED, feed)
        return IssuedCalendarFeed(feed, secret)

    async def visible(self, principal: Principal) -> list[CalendarFeed]:
        """The caller's feeds; every feed for an admin."""
        principal.require(Action.READ)
        if principal.can(Action.CONFIGURE):
            return await self._repository.all()
        return await self._repository.where({"owner_id": principal.id})

    async def revoke(self, principal: Principal, feed_id: str) -> CalendarFeed:
        principal.require(Action.READ)
        feed = await self._repository.get(feed_id)
        if feed.owner_id != principal.id and not principal.can(Action.CONFIGURE):
            raise ForbiddenError(
                "Only the user who created a calendar feed, or an admin, may revoke it."
            )
        await self._repository.revoke(feed_id, to_ms(self._clock.now()))
        revoked = await self._repository.get(feed_id)
        await self._audit.updated(principal, AuditResource.CALENDAR_FEED, feed, revoked)
        return revoked

    async def render(self, secret: str, window: FeedWindow) -> bytes:
        """The iCalendar text behind a feed URL; NotFound for unknown or revoked secrets,
        and for feeds whose creator may no longer read what they cover."""
        feed = await self._repository.active_by_secret_hash(hash_secret(secret))
        if feed is None:
            raise NotFoundError(_UNKNOWN)
        creator = await self._users.by_id(feed.owner_id)
        try:
            if creator is None:
                raise NotFoundError(_UNKNOWN)
            principal = await user_principal(creator, self._teams)
            principal.require(Action.READ)
            schedule = await self._require_may_read(principal, feed.scope, feed.target_id)
        except (ForbiddenError, NotFoundError):
            # Say no more than for any other unknown URL (a deleted schedule included).
            raise NotFoundError(_UNKNOWN) from None
        now = self._clock.now()
        since = now - timedelta(days=window.past_days)
        until = now + timedelta(days=window.ahead_days)
        if schedule is not None:
            return await self._schedule_feed(schedule, since, until, now)
        return await self._user_feed(feed.target_id, since, until, now)

    async def _require_may_read(
        self, principal: Principal, scope: FeedScope, target_id: str
    ) -> Schedule | None:
        """Whether `principal` may have a feed of this: on creating one, and on every read
        with its creator's rights of the moment. Returns the schedule a schedule's feed
        covers."""
        if scope is FeedScope.SCHEDULE:
            schedule = await self._schedules.get(target_id)
            principal.require(Action.READ, schedule.team)
            return schedule
        # Your own feed needs no look-up: you exist.
        if target_id != principal.id:
            principal.require(Action.CONFIGURE)
            if await self._users.by_id(target_id) is None:
                raise NotFoundError(f"No user with id '{target_id}'.")
        return None

    async def _schedule_feed(
        self, schedule: Schedule, since: datetime, until: datetime, now: datetime
    ) -> bytes:
        shifts = _whole_shifts(schedule, since, until)
        names = await self._names({u for s in shifts for u in s.users})
        return ical.schedule_feed(schedule, shifts, generated_at=now, names=names)

    async def _user_feed(
        self, user_id: str, since: datetime, until: datetime, now: datetime
    ) -> bytes:
        entries = [
            UserShift(schedule.id, schedule.name, shift)
            for schedule in await self._schedules.with_user(user_id)
            for shift in _whole_shifts(schedule, since, until)
            if user_id in shift.users
        ]
        entries.sort(key=lambda e: (e.shift.start, e.schedule_name, e.schedule_id))
        names = await self._names({u for e in entries for u in e.shift.users} | {user_id})
        return ical.user_feed(user_id, entries, generated_at=now, names=names)

    async def _names(self, user_ids: set[str]) -> dict[str, str]:
        return {u.id: u.name for u in (await users_by_id(self._users, user_ids)).values()}


def _whole_shifts(schedule: Schedule, since: datetime, until: datetime) -> list[RenderedShift]:
    """The shifts overlapping [since, until), not cut at its edges.

    A shift cut at the window would start (or end) somewhere new on every refresh,
    and its UID, made from its start, would change with it: calendar apps would
    show a fresh copy each time.
    """
    return [
        shift
        for shift in render(schedule, since - EDGE, until + EDGE)
        if shift.end > since and shift.start < until
    ]
