"""Who a step's targets are at an instant: users as named, schedules as on call then."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from domain.escalation.model import Step, TargetKind
from domain.oncall.query import who_is_on_call
from domain.schedule.repository import ScheduleRepository


class TargetResolver:
    def __init__(self, *, schedules: ScheduleRepository) -> None:
        self._schedules = schedules

    async def users(self, step: Step, at: datetime) -> tuple[str, ...]:
        """The users a step pages at ``at``, each once, in target order; empty when nobody.

        A schedule deleted since the policy was written counts as nobody on call, so
        the step is skipped rather than the whole escalation failing.
        """
        schedule_ids = [t.id for t in step.targets if t.kind is TargetKind.SCHEDULE]
        schedules = {}
        if schedule_ids:
            schedules = {
                s.id: s for s in await self._schedules.where({"_id": {"$in": schedule_ids}})
            }
        users: list[str] = []
        for target in step.targets:
            if target.kind is TargetKind.USER:
                users.append(target.id)
            elif (schedule := schedules.get(target.id)) is not None:
                users.extend(who_is_on_call(schedule, at))
        return tuple(dict.fromkeys(users))

    async def first_with_someone(self, steps: Sequence[Step], at: datetime) -> tuple[str, ...]:
        """The users of the first step that has anyone at ``at`` (who is on call now)."""
        for step in steps:
            if users := await self.users(step, at):
                return users
        return ()
