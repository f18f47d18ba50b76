"""One service's background process: its Dramatiq worker and its outbox relay.

Run as ``python -m deploy.worker <service>``; SIGTERM or SIGINT stops the
relay first, then the worker (which finishes the messages in hand).
"""
from __future__ import annotations

import argparse
import logging
import signal
import threading

from dramatiq import Worker

from deploy import topology
from deploy.services import make_service
from shared.broker import FailedJobs, Sender, make_broker
from shared.config import Settings
from shared.consumer import declare_actors
from shared.observability import configure_logging
from shared.outbox import Relay, start_relay_thread


def build_worker(service: str, settings: Settings, *, threads: int = 4):
    svc = make_service(service, settings)
    broker = make_broker(
        settings.redis_url, service, max_retries=settings.max_retries,
        failed_jobs=FailedJobs(svc.db, svc.infra.failed_job),
        socket_timeout=settings.redis_socket_timeout_seconds, heartbeat_timeout=settings.heartbeat_timeout_seconds,
    )
    actors = topology.module(service, "actors")
    declare_actors(broker, svc.db, svc.infra.inbox, actors.event_handlers(svc), actors.job_handlers(svc))
    worker = Worker(broker, worker_threads=threads)
    relay = Relay(svc.db, svc.infra.outbox, Sender(settings.redis_url, settings.redis_socket_timeout_seconds),
                  subscribers=topology.subscribers(), redeliver_after=settings.redeliver_after_seconds)
    return svc, broker, worker, relay


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("service")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--no-relay", action="store_true", help="run the consumer only")
    args = parser.parse_args()
    settings = topology.settings()
    configure_logging(f"{args.service}-worker", settings.log_level)
    if not settings.redis_url:
        raise SystemExit("REDIS_URL is not set")
    svc, broker, worker, relay = build_worker(args.service, settings, threads=args.threads)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    worker.start()
    relay_thread = None if args.no_relay else start_relay_thread(relay, settings.relay_interval_seconds)
    logging.info("worker for %s running", args.service)
    stop.wait()
    relay.stop()
    if relay_thread:
        relay_thread.join(timeout=10)
    worker.stop(timeout=10_000)
    broker.close()
    svc.db.dispose()
    logging.info("worker for %s stopped", args.service)


if __name__ == "__main__":
    main()
