"""The background jobs a Vigil process runs: inside `vigil serve`, or in `vigil worker`.

Every job is safe to run in several processes at once (its writes are conditional or
leased), so each replica and each worker may run all of them.
"""

from __future__ import annotations

from api.container import Container
from vigil.background import Task


def background_jobs(container: Container) -> dict[str, Task]:
    return {
        "heartbeats paged": container.heartbeats.page_missed,
        "stale alerts resolved": container.ingest.resolve_stale,
        "interrupted ingests mended": container.ingest.recover_interrupted,
        "escalation runs recovered": container.escalation.engine.recover_unstarted,
        "correlation model retrained": container.correlation.learning.retrain_if_due,
        "correlation settings and topology followed": container.correlation.switch.follow,
        "regroupings made elsewhere followed": container.correlation.regroupings_elsewhere.follow,
    }


def escalation_jobs(container: Container) -> dict[str, Task]:
    """Run on their own, faster loop (VIGIL_ESCALATION_TICK_SECONDS): steps must fire on time."""
    return {"escalation steps fired": container.escalation.engine.fire_due}


def delivery_jobs(container: Container) -> dict[str, Task]:
    """Their own loop at the same tick: a slow receiver must not hold up escalation steps,
    and a page must not wait for the slower background round."""
    return {"notifications delivered": container.notifications.center.deliver_due}
