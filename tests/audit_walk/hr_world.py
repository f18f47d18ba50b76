"""What HR's recipes share: the administrator's client, fresh workers in a few
roomy communities, and a worker's own client (see the package)."""
from __future__ import annotations

from tests.audit_walk import World
from tests.hr.communities import register, register_defaults
from tests.hr.helpers import GONGSHU, hire
from tests.support.api import Api

COMMUNITIES = [f"WALK-C{i}" for i in range(8)]


def admin(w: World) -> Api:
    return w.api("hr")


def communities(w: World) -> list[str]:
    """The walk's communities of Gongshu (and the default ones), registered once."""
    if "communities" not in w.ids:
        register_defaults(w.suite)
        for code in COMMUNITIES:
            register(admin(w), code, GONGSHU)
        w.ids["communities"] = 0
    return COMMUNITIES


def worker(w: World, **kw) -> int:
    """A fresh worker of Gongshu, in one of a few roomy communities (D-9 caps each)."""
    codes = communities(w)
    w.ids["communities"] += 1
    kw.setdefault("community_code", codes[w.ids["communities"] % len(codes)])
    return hire(admin(w), **kw)["id"]


def worker_api(w: World, wid: int) -> Api:
    return w.api("hr", w.suite.create_user(f"walk-w{wid}", "worker", GONGSHU, worker_id=wid))
