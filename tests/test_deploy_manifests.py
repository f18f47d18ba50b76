"""The deployment layouts of docs/events.md ("Scaling out"), checked as an
operator would apply them: deploy/k8s/ against the Kubernetes schemas
(kubernetes-validate, strict, a fixed version), deploy/compose.yaml parsed;
in both, every service's API and worker, the scheduler and the migrations,
commands that name real modules and factories, and only settings the suite reads."""
from __future__ import annotations

import functools
import importlib
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import kubernetes_validate
import pytest
import yaml
from litestar.handlers import HTTPRouteHandler

import shared.web
from deploy.services import app_factory
from deploy.topology import DEFAULT_PORTS, SERVICES
from shared.config import Settings

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"
COMPOSE = ROOT / "deploy" / "compose.yaml"
KUBERNETES_VERSION = "1.33.0"
PRIVATE_KEY_ENV = "WORKFORCE_JWT_PRIVATE_KEY_FILE"


@functools.cache
def manifests() -> tuple[tuple[str, dict], ...]:
    """(file name, resource) of every document in deploy/k8s/; read once, never changed."""
    return tuple((path.name, doc) for path in sorted(K8S.glob("*.yaml"))
                 for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc)


def resource(kind: str, name: str) -> dict:
    found = [doc for _, doc in manifests() if doc["kind"] == kind and doc["metadata"]["name"] == name]
    assert len(found) == 1, f"expected one {kind} {name} in deploy/k8s, found {len(found)}"
    return found[0]


def pod_specs() -> Iterator[tuple[str, dict]]:
    for _, doc in manifests():
        if doc["kind"] in ("Deployment", "Job"):
            yield doc["metadata"]["name"], doc["spec"]["template"]["spec"]


def containers() -> Iterator[tuple[str, dict, dict]]:
    for name, pod in pod_specs():
        for c in pod["containers"]:
            yield name, pod, c


@functools.cache
def settings_read() -> frozenset[str]:
    """Every environment variable ``Settings.from_env`` asks for."""

    class Recording(dict):
        def __init__(self):
            super().__init__()
            self.asked: set[str] = set()

        def get(self, key, default=None):
            self.asked.add(key)
            return super().get(key, default)

        def __getitem__(self, key):
            self.asked.add(key)
            return super().__getitem__(key)

    env = Recording()
    Settings.from_env(env, services=DEFAULT_PORTS)
    return frozenset(env.asked)


def check_command(command: list[str]) -> None:
    """The command runs something that exists: an app factory, a module with ``main``, a CLI command."""
    program, *args = command
    if program == "uvicorn":
        assert args[0] == "--factory", command
        module, _, attr = args[1].partition(":")
        assert callable(getattr(importlib.import_module(module), attr)), command
    elif program == "python":
        assert args[0] == "-m", command
        assert callable(getattr(importlib.import_module(args[1]), "main", None)), command
        if args[1] == "deploy.worker":
            assert args[2:] and args[2] in SERVICES, command
    elif program == "workforce":
        scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
        module, _, attr = scripts["workforce"].partition(":")
        group = getattr(importlib.import_module(module), attr)
        assert isinstance(group, click.Group) and args[0] in group.commands, command
    else:
        pytest.fail(f"unknown program in {command}")


# --- Kubernetes -------------------------------------------------------------------------------


@pytest.mark.parametrize("doc", [d for _, d in manifests()],
                         ids=[f"{f}:{d['kind']}/{d['metadata']['name']}" for f, d in manifests()])
def test_every_manifest_validates_strictly(doc):
    # raises on a schema violation, on an unknown field (strict) and on a kind it has no schema for
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("svc", SERVICES)
def test_each_service_has_its_api_its_worker_and_a_service(svc):
    port = DEFAULT_PORTS[svc]
    api = resource("Deployment", f"{svc}-api")
    [c] = api["spec"]["template"]["spec"]["containers"]
    assert c["command"] == ["uvicorn", "--factory", app_factory(svc), "--host", "0.0.0.0", "--port", str(port)]
    assert [p["containerPort"] for p in c["ports"]] == [port]
    assert c["readinessProbe"]["httpGet"] == {"path": "/health/ready", "port": port}
    assert c["livenessProbe"]["httpGet"] == {"path": "/health/live", "port": port}
    labels = api["spec"]["template"]["metadata"]["labels"]
    assert api["spec"]["selector"]["matchLabels"].items() <= labels.items()

    service = resource("Service", f"{svc}-api")
    assert service["spec"]["selector"].items() <= labels.items()
    assert [p["targetPort"] for p in service["spec"]["ports"]] == [port]

    worker = resource("Deployment", f"{svc}-worker")
    [w] = worker["spec"]["template"]["spec"]["containers"]
    assert w["command"] == ["python", "-m", "deploy.worker", svc]
    assert worker["spec"]["selector"]["matchLabels"].items() <= worker["spec"]["template"]["metadata"]["labels"].items()


def test_the_scheduler_stands_by_twice_and_the_migrations_run_once():
    scheduler = resource("Deployment", "scheduler")
    assert scheduler["spec"]["replicas"] == 2
    assert [c["command"] for c in scheduler["spec"]["template"]["spec"]["containers"]] == \
        [["python", "-m", "deploy.scheduler"]]
    job = resource("Job", "workforce-migrate")
    assert [c["command"] for c in job["spec"]["template"]["spec"]["containers"]] == [["workforce", "migrate"]]
    assert job["spec"]["template"]["spec"]["restartPolicy"] in ("Never", "OnFailure")


@pytest.mark.parametrize("name, command", [(n, c["command"]) for n, _, c in containers()])
def test_commands_name_real_modules_and_factories(name, command):
    check_command(command)


def test_probes_ask_routes_every_service_serves():
    served = {path for obj in vars(shared.web).values() if isinstance(obj, HTTPRouteHandler) for path in obj.paths}
    for name, _, c in containers():
        for probe in ("readinessProbe", "livenessProbe"):
            if probe in c:
                assert c[probe]["httpGet"]["path"] in served, (name, probe)


def test_every_pod_runs_unprivileged_within_limits():
    for name, pod, c in containers():
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["runAsUser"] != 0, name
        sc = c["securityContext"]
        assert (sc["allowPrivilegeEscalation"], sc["readOnlyRootFilesystem"], sc["capabilities"]["drop"]) == \
            (False, True, ["ALL"]), name
        for bound in ("requests", "limits"):
            assert {"cpu", "memory"} <= c["resources"][bound].keys(), (name, bound)


def env_names(pod: dict, c: dict) -> set[str]:
    """What the container's environment holds: its own entries and the ConfigMaps it loads."""
    names = {e["name"] for e in c.get("env", [])}
    for source in c.get("envFrom", []):
        names |= resource("ConfigMap", source["configMapRef"]["name"])["data"].keys()
    return names


def test_every_setting_named_is_one_the_suite_reads():
    read = settings_read()
    for name, pod, c in containers():
        assert env_names(pod, c) <= read, (name, sorted(env_names(pod, c) - read))
        for e in c.get("env", []):
            ref = e.get("valueFrom", {}).get("secretKeyRef")
            if ref:  # the Secret's keys are the variables' own names
                assert ref["key"] == e["name"], (name, e)


def test_each_process_reaches_only_its_own_database():
    for name, pod, c in containers():
        dbs = {n for n in env_names(pod, c) if re.fullmatch(r"WORKFORCE_[A-Z]+_DB_URL", n)}
        svc = name.split("-")[0]
        if name == "workforce-migrate":
            assert dbs == {f"WORKFORCE_{s.upper()}_DB_URL" for s in SERVICES}
        elif name == "scheduler":
            assert dbs == set() and "REDIS_URL" in env_names(pod, c)
        else:
            assert dbs == {f"WORKFORCE_{svc.upper()}_DB_URL"}, name
            assert "REDIS_URL" in env_names(pod, c), name


def test_the_private_key_is_mounted_on_hrs_api_only():
    for name, pod, c in containers():
        jwt = [v for v in pod.get("volumes", []) if v.get("secret", {}).get("secretName") == "workforce-jwt"]
        private = PRIVATE_KEY_ENV in env_names(pod, c)
        if name == "hr-api":
            assert private and jwt and "items" not in jwt[0]["secret"]
        else:
            assert not private, name
            for v in jwt:
                assert [i["key"] for i in v["secret"]["items"]] == ["jwt-ed25519.pub.pem"], name


# --- Compose ----------------------------------------------------------------------------------


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]


def test_compose_holds_the_whole_topology():
    services = compose()
    expected = {"postgres", "redis", "migrate", "scheduler",
                *(f"{s}-{role}" for s in SERVICES for role in ("api", "worker"))}
    assert expected <= services.keys(), sorted(expected - services.keys())
    for svc in SERVICES:
        port = DEFAULT_PORTS[svc]
        assert services[f"{svc}-api"]["command"] == \
            ["uvicorn", "--factory", app_factory(svc), "--host", "0.0.0.0", "--port", str(port)]
        assert services[f"{svc}-worker"]["command"] == ["python", "-m", "deploy.worker", svc]
    assert services["scheduler"]["command"] == ["python", "-m", "deploy.scheduler"]
    assert services["migrate"]["command"] == ["workforce", "migrate"]


def app_services() -> dict[str, Any]:
    return {name: s for name, s in compose().items() if "command" in s and name != "redis"}


def test_compose_commands_and_settings_are_real():
    read = settings_read()
    databases = set(re.findall(r"CREATE DATABASE (\w+)", (ROOT / "deploy" / "initdb.sql").read_text()))
    for name, s in app_services().items():
        check_command(s["command"])
        assert s["environment"].keys() <= read, (name, sorted(s["environment"].keys() - read))
        for svc in SERVICES:
            url = s["environment"][f"WORKFORCE_{svc.upper()}_DB_URL"]
            assert url.startswith("postgresql+psycopg://") and url.rsplit("/", 1)[1] in databases, (name, url)


def test_compose_starts_the_apps_after_the_migrations():
    services = compose()
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"},
                                                 "redis": {"condition": "service_healthy"}}
    for name, s in app_services().items():
        if name != "migrate":
            assert s["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}, name
