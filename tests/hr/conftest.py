"""Every HR test with a suite finds the communities ``tests.hr.helpers.hire``
names registered (S4-1: a worker's community must exist)."""
from __future__ import annotations

import pytest

from tests.hr.communities import register_defaults


@pytest.fixture(autouse=True)
def default_communities(request):
    """On the suite the test uses: a ``suite``/``pg_suite`` fixture, or the ``backend`` it is parametrised by."""
    names = set(request.fixturenames)
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and callspec.params.get("backend") in ("suite", "pg_suite"):
        names.add(callspec.params["backend"])
    for backend in ("suite", "pg_suite"):
        if backend in names:
            register_defaults(request.getfixturevalue(backend))
