"""The scheduler process: ``python -m deploy.scheduler``. Only one holds the
lease at a time; a second one waits as a standby."""
from __future__ import annotations

import logging
import signal

from shared.config import Settings
from shared.scheduler import Scheduler
from shared.web import today


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s scheduler %(levelname)s %(message)s")
    settings = Settings.from_env()
    if not settings.redis_url:
        raise SystemExit("REDIS_URL is not set")
    scheduler = Scheduler(settings.redis_url, today)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.stop())
    signal.signal(signal.SIGINT, lambda *_: scheduler.stop())
    logging.info("scheduler running")
    scheduler.run_forever()
    logging.info("scheduler stopped")


if __name__ == "__main__":
    main()
