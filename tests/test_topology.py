"""The topology against what each service handles: every event a service
handles is sent to it and nothing else is, every event type routed exists,
and every scheduled job has a handler and every job handler is scheduled."""
from __future__ import annotations

import pytest

from deploy import topology
from deploy.services import make_service
from shared.config import Settings
from shared.events import EVENT_TYPES


@pytest.fixture(params=topology.SERVICES)
def svc(request, tmp_path):
    """Each service of the topology in turn, on settings of its own (no database is touched)."""
    service = make_service(request.param, topology.settings({"WORKFORCE_DATA_DIR": str(tmp_path)}))
    yield service
    service.db.dispose()


def _where(svc) -> str:
    return f"{topology.PACKAGES[svc.name]}.actors"


def test_every_event_handled_is_routed_here_and_every_event_routed_is_handled(svc):
    handled = set(topology.module(svc.name, "actors").event_handlers(svc))
    routed = {t for t, services in topology.subscribers().items() if svc.name in services}
    unrouted, unhandled = sorted(handled - routed), sorted(routed - handled)
    assert not unrouted, f"{svc.name} handles {unrouted} but no relay sends them: not in {_where(svc)}.SUBSCRIBES"
    assert not unhandled, f"{svc.name} is sent {unhandled} with no handler in {_where(svc)}.event_handlers"


def test_every_event_type_routed_is_in_the_registry(svc):
    subscribes = topology.subscriptions()[svc.name]
    unknown = sorted(set(subscribes) - set(EVENT_TYPES))
    assert not unknown, f"{_where(svc)}.SUBSCRIBES names {unknown}, not event types of shared.events"
    assert len(set(subscribes)) == len(subscribes), f"{_where(svc)}.SUBSCRIBES names a type twice: {subscribes}"


def test_every_scheduled_job_has_a_handler_and_every_handler_is_scheduled(svc):
    scheduled = [j.job for j in topology.schedule()[svc.name]]
    handlers = set(topology.module(svc.name, "actors").job_handlers(svc))
    unrun, unscheduled = sorted(set(scheduled) - handlers), sorted(handlers - set(scheduled))
    assert not unrun, f"{_where(svc)}.SCHEDULE sends {unrun}, which job_handlers does not run"
    assert not unscheduled, f"{_where(svc)}.job_handlers runs {unscheduled}, which SCHEDULE never sends"
    assert len(set(scheduled)) == len(scheduled), f"{_where(svc)}.SCHEDULE names a job twice: {scheduled}"


def test_job_names_are_unique_across_services():
    """The scheduler and the inbox key a run on (job, period) alone."""
    names = [j.job for jobs in topology.schedule().values() for j in jobs]
    assert len(set(names)) == len(names), f"a job name is used twice: {names}"


def test_subscribers_cover_only_the_services_of_the_topology():
    for event_type, services in topology.subscribers().items():
        assert services and set(services) <= set(topology.SERVICES), event_type


def test_settings_name_every_service_of_the_topology(tmp_path):
    env = {"WORKFORCE_DATA_DIR": str(tmp_path), "WORKFORCE_CERTS_PORT": "9003"}
    s = topology.settings(env)
    assert set(s.ports) == set(s.database_urls) == set(topology.SERVICES)
    assert s.ports == {**topology.DEFAULT_PORTS, "certs": 9003}
    assert Settings.from_env(env, services=topology.DEFAULT_PORTS) == s


def test_an_app_started_on_its_own_reads_the_deployment_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKFORCE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("WORKFORCE_TRAINING_PORT", "9102")
    for service in topology.SERVICES:
        assert topology.module(service, "app").deployed_settings() == topology.settings()
    assert topology.settings().ports["training"] == 9102


def test_every_subscriber_of_a_stream_receives_all_of_its_types():
    """Order per entity (docs/events.md): a consumer waits for an entity's
    event number n before applying n+1, so it must receive every type of that
    stream; one receiving only some would wait for ever."""
    streams: dict[str, set[str]] = {}
    for tag, cls in EVENT_TYPES.items():
        if cls.entity is not None:
            streams.setdefault(cls.entity[0], set()).add(tag)
    assert streams, "no event type declares an entity stream"
    routes = topology.subscribers()
    for name, types in streams.items():
        audiences = {t: set(routes.get(t, ())) for t in types}
        assert len({frozenset(a) for a in audiences.values()}) == 1, (
            f"stream {name!r}: its types go to different services: {audiences}")
