from __future__ import annotations

import multiprocessing
import multiprocessing.queues
from datetime import UTC, datetime, timedelta

from bson import ObjectId

from domain.ids import new_id


def _process_part(identifier: str) -> str:
    return identifier[8:18]


def _id_in_child(queue: multiprocessing.queues.Queue[str]) -> None:
    queue.put(new_id())


def test_an_id_is_an_object_id_stamped_now() -> None:
    identifier = new_id()
    assert len(identifier) == 24
    stamped = ObjectId(identifier).generation_time
    assert abs(stamped - datetime.now(UTC)) < timedelta(seconds=2)


def test_ids_of_one_process_are_distinct_and_share_their_process_part() -> None:
    ids = [new_id() for _ in range(20_000)]
    assert len(set(ids)) == len(ids)
    assert {_process_part(i) for i in ids} == {_process_part(ids[0])}


def test_a_forked_child_makes_ids_of_its_own() -> None:
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.queues.Queue[str] = context.Queue()
    child = context.Process(target=_id_in_child, args=(queue,))
    child.start()
    from_child = queue.get(timeout=10)
    child.join(timeout=10)
    assert _process_part(from_child) != _process_part(new_id())
