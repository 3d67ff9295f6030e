"""Incident numbers, reserved from the store in blocks.

Opening an incident then rarely costs a round trip inside the correlation lock.
Numbers stay unique across processes; each process counts up through its own
block, so with several replicas numbers are not strictly in creation order, and
a process that stops leaves the rest of its block unused.
"""

from __future__ import annotations

from domain.incident.repository import IncidentRepository

BLOCK = 50


class IncidentNumbers:
    def __init__(self, repository: IncidentRepository, *, block: int = BLOCK) -> None:
        self._repository = repository
        self._block = block
        self._next = 0
        self._end = 0

    async def take(self, count: int) -> list[int]:
        numbers: list[int] = []
        while len(numbers) < count:
            if self._next >= self._end:
                wanted = max(self._block, count - len(numbers))
                self._next = await self._repository.allocate_numbers(wanted)
                self._end = self._next + wanted
            taken = min(count - len(numbers), self._end - self._next)
            numbers.extend(range(self._next, self._next + taken))
            self._next += taken
        return numbers
