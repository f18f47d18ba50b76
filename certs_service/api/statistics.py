"""Statistics (S2-7): certified workers by level and jurisdiction, and the community workers' share."""
from __future__ import annotations

from datetime import date

from litestar import Controller, Request, get
from litestar.params import FromQuery

from certs_service import rules, store
from certs_service.api.common import caller, day_asked
from certs_service.api.schemas import HolderStatistics, JurisdictionCount, LevelCount
from shared.auth import STATISTICS_READERS, requires
from shared.levels import check_by, unit_of
from shared.web import Svc


def by_level(counts: dict[int, list[int]]) -> list[LevelCount]:
    """Every level, lowest first, with its [holders, community workers] (0 when none)."""
    return [LevelCount(level, *counts.get(rules.LEVEL_RANK[level], [0, 0])) for level in rules.LEVELS]


def holder_statistics(day: date, scope: str, rows: list[tuple[str, int, bool, int]],
                      by: str | None = None) -> HolderStatistics:
    """``store.holder_counts`` rows summed overall and per jurisdiction."""
    overall: dict[int, list[int]] = {}
    per: dict[str, dict[int, list[int]]] = {}
    for j, top, community, n in rows:
        for bucket in (overall.setdefault(top, [0, 0]), per.setdefault(j, {}).setdefault(top, [0, 0])):
            bucket[0] += n
            bucket[1] += n if community else 0
    by_j = []
    for j in sorted(per):
        h, c = sum(v[0] for v in per[j].values()), sum(v[1] for v in per[j].values())
        by_j.append(JurisdictionCount(j, h, c, rules.percent(c, h), by_level(per[j])))
    holders, in_community = sum(v[0] for v in overall.values()), sum(v[1] for v in overall.values())
    return HolderStatistics(day, scope, holders, in_community, rules.percent(in_community, holders),
                            by_level(overall), by_j, by)


class StatisticsController(Controller):
    path = "/statistics"
    tags = ["statistics"]
    guards = [requires(*STATISTICS_READERS)]

    @get("/holders", sync_to_thread=True)
    def holders(self, svc: Svc, request: Request, as_of: FromQuery[date | None] = None,
                jurisdiction: FromQuery[str | None] = None, by: FromQuery[str | None] = None) -> HolderStatistics:
        """S2-7 holders on ``as_of`` and the community workers' share, overall
        and per jurisdiction; with ``by=district|street`` per district or
        street instead (D-17: one kept above the level asked counts in
        ``(no street)``/``(no district)``)."""
        day, scope = day_asked(as_of), store.scope_of(caller(request), jurisdiction)
        by = check_by(by)
        with svc.db.read_session() as s:
            rows = store.holder_counts(s, scope, day)
        if by is not None:
            rows = [(unit_of(j, by), top, community, n) for j, top, community, n in rows]
        return holder_statistics(day, scope, rows, by)
