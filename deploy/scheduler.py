"""The scheduler process: ``python -m deploy.scheduler``, sending the jobs of
the topology's schedule. Only one holds the lease at a time; a second one
waits as a standby."""
from __future__ import annotations

import logging
import signal

from deploy import topology
from shared.observability import configure_logging
from shared.scheduler import Scheduler
from shared.web import today


def main() -> None:
    settings = topology.settings()
    configure_logging("scheduler", settings.log_level)
    if not settings.redis_url:
        raise SystemExit("REDIS_URL is not set")
    scheduler = Scheduler(settings.redis_url, today, schedule=topology.schedule())
    signal.signal(signal.SIGTERM, lambda *_: scheduler.stop())
    signal.signal(signal.SIGINT, lambda *_: scheduler.stop())
    logging.info("scheduler running")
    scheduler.run_forever()
    logging.info("scheduler stopped")


if __name__ == "__main__":
    main()
