"""`vigil worker`: the background jobs and escalation without the HTTP server.

Several workers (and servers) may run against one MongoDB: every job is leased or
conditional. A worker never starts the embedded store, which belongs to one
`vigil serve` and cannot be shared safely, so it needs VIGIL_MONGODB_URI.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from domain.errors import ValidationError
from vigil.settings import Settings

log = logging.getLogger(__name__)


def run_worker(settings: Settings) -> int:
    if settings.mongodb_uri is None:
        raise ValidationError(
            "vigil worker needs VIGIL_MONGODB_URI: it works on the store that the servers use, "
            "and the embedded store belongs to the one `vigil serve` that started it.",
            suggestion="Point VIGIL_MONGODB_URI at your MongoDB (the same as the servers'), or "
            "just run `vigil serve`, which runs the workers itself.",
            field="VIGIL_MONGODB_URI",
        )
    from vigil.logs import configure_logging

    configure_logging(settings)
    asyncio.run(_work(settings))
    return 0


async def _work(settings: Settings) -> None:
    from api.runtime import start_runtime

    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    async with contextlib.AsyncExitStack() as stack:
        runtime = await start_runtime(settings, stack)
        log.info(
            "worker %s running jobs every %d s, escalation every %g s",
            runtime.container.escalation.engine.owner,
            settings.worker_interval_s,
            settings.escalation_tick_s,
        )
        await stopping.wait()
        log.info("worker stopping")
