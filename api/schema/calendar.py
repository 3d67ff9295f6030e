"""Calendar feeds in GraphQL: issue and revoke the secret URLs calendar apps subscribe to."""

from __future__ import annotations

from datetime import datetime

import strawberry

from api.calendar import feed_path
from api.schema.access import context_of
from domain.calendar import model
from domain.store.timestamps import optional_from_ms

strawberry.enum(model.FeedScope, name="CalendarFeedScope")
strawberry.enum(model.FeedStatus, name="CalendarFeedStatus")


@strawberry.type
class CalendarFeed:
    id: strawberry.ID
    scope: model.FeedScope
    target_id: strawberry.ID = strawberry.field(description="The schedule's or the user's id.")
    owner_id: strawberry.ID = strawberry.field(description="Who created it.")
    status: model.FeedStatus
    created_at: datetime
    revoked_at: datetime | None

    @classmethod
    def from_domain(cls, feed: model.CalendarFeed) -> CalendarFeed:
        return cls(
            id=strawberry.ID(feed.id),
            scope=feed.scope,
            target_id=strawberry.ID(feed.target_id),
            owner_id=strawberry.ID(feed.owner_id),
            status=feed.status,
            created_at=feed.created_at,
            revoked_at=optional_from_ms(feed.revoked_at_ms),
        )


@strawberry.type(description="A new calendar feed. `url` and `path` hold its secret: shown once.")
class CreatedCalendarFeed:
    feed: CalendarFeed
    url: str = strawberry.field(
        description="Subscribe to it in a calendar app (as https:// or webcal://), built on "
        "VIGIL_PUBLIC_URL. Optional query: ?past=<days 0-31>&days=<days 1-366>."
    )
    path: str = strawberry.field(description="The same, without the server's address.")


@strawberry.input(description="Exactly one of the two.")
class CreateCalendarFeedInput:
    schedule_id: strawberry.ID | None = strawberry.field(
        default=None, description="Everyone's shifts on this schedule."
    )
    user_id: strawberry.ID | None = strawberry.field(
        default=None, description="This user's shifts on every schedule (yours, unless admin)."
    )


@strawberry.type
class CalendarQuery:
    @strawberry.field(description="Your calendar feeds; every feed for admins.")
    async def calendar_feeds(self, info: strawberry.Info) -> list[CalendarFeed]:
        context = context_of(info)
        feeds = await context.container.calendar_feeds.visible(context.principal)
        return [CalendarFeed.from_domain(f) for f in feeds]


@strawberry.type
class CalendarMutation:
    @strawberry.mutation
    async def create_calendar_feed(
        self, info: strawberry.Info, input: CreateCalendarFeedInput
    ) -> CreatedCalendarFeed:
        context = context_of(info)
        issued = await context.container.calendar_feeds.create(
            context.principal,
            schedule_id=None if input.schedule_id is None else str(input.schedule_id),
            user_id=None if input.user_id is None else str(input.user_id),
        )
        path = feed_path(issued.secret)
        return CreatedCalendarFeed(
            feed=CalendarFeed.from_domain(issued.feed),
            url=context.container.public_url.rstrip("/") + path,
            path=path,
        )

    @strawberry.mutation(description="The feed's URL answers 404 from now on.")
    async def revoke_calendar_feed(self, info: strawberry.Info, id: strawberry.ID) -> CalendarFeed:
        context = context_of(info)
        feed = await context.container.calendar_feeds.revoke(context.principal, id)
        return CalendarFeed.from_domain(feed)
