"""Merges and splits made through another process reach this one's correlator
(domain/correlation/regrouping_follower.py), read from the real store."""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.correlation.regrouping_follower import OVERLAP, RegroupingFollower
from domain.feedback.model import AlertMove, Feedback, FeedbackKind
from domain.feedback.repository import FeedbackRepository
from domain.ids import new_id
from domain.store.database import Database
from tests.correlation.streams import T0
from tests.correlation.streams import alert as facts
from tests.domain.correlation.test_regrouped import live, members


class StoppedClock:
    def now(self) -> datetime:
        return T0


def merge(into: str, *others: str, minutes: float = 0) -> Feedback:
    return Feedback(
        id=new_id(),
        kind=FeedbackKind.MERGE,
        actor="user:ann",
        at=T0 + timedelta(minutes=minutes),
        incident_ids=(into, *others),
        moves=(),
        together_pairs=1,
        apart_pairs=0,
    )


async def test_corrections_made_elsewhere_reach_the_correlator_once(db: Database) -> None:
    correlator, engine = live()
    correlator.restore([(facts("a1", "checkout", 0), "X"), (facts("b1", "payments", 5), "Y")])
    feedback = FeedbackRepository(db)
    follower = RegroupingFollower(feedback=feedback, correlator=correlator, clock=StoppedClock())
    assert await follower.follow() == 0

    await feedback.insert(merge("X", "Y", minutes=1))
    await feedback.insert(
        Feedback(
            id=new_id(),
            kind=FeedbackKind.SPLIT,
            actor="user:ann",
            at=T0 + timedelta(minutes=2),
            incident_ids=("X", "Z"),
            moves=(AlertMove("b1", "X", "Z"),),
            together_pairs=0,
            apart_pairs=1,
        )
    )
    assert await follower.follow() == 2
    assert members(engine, "X") == {"a1"}
    assert members(engine, "Z") == {"b1"}
    assert await follower.follow() == 0, "each correction once"


async def test_corrections_from_before_the_start_are_left_to_the_stored_alerts(
    db: Database,
) -> None:
    correlator, engine = live()
    correlator.restore([(facts("a1", "checkout", 0), "X"), (facts("b1", "payments", 5), "Y")])
    feedback = FeedbackRepository(db)
    await feedback.insert(merge("X", "Y", minutes=-OVERLAP.total_seconds() / 60 - 1))
    follower = RegroupingFollower(feedback=feedback, correlator=correlator, clock=StoppedClock())
    assert await follower.follow() == 0
    assert members(engine, "Y") == {"b1"}
