"""On-call schedules: the arithmetic of rotations, layers, restrictions and overrides.

- ``model``: the types and their validation (and their stored documents).
- ``rotation``: where handoffs fall on the local wall clock, who holds each turn.
- ``restrictions``: the weekday and time-of-day windows, as instants.
- ``layers``: one layer's turns cut to its windows.
- ``render``: the final shifts of a schedule between two instants.
- ``ical``: RFC 5545 feeds of rendered shifts.
- ``repository``: schedules in the store.

Point questions ("who is on call at T", "my upcoming shifts") live in ``domain.oncall``.
"""
