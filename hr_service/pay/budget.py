"""A month's pay against the community work fund (S4-7a) and the bonus and
welfare pool (S4-12), community by community, for the month and the year so
far, from the stored payslips of the month's pay runs (draft, submitted or
closed; each row says which).

Set-based: two ``GROUP BY`` statements over the payslips (the sums by month,
community, jurisdiction and run; each pool once), one for the communities and
one for their dated figures, and the policy versions read once; the number of
statements does not grow with the communities. The arithmetic is
``hr_service.rules.budget``.

The fund of a month is the year's S4-7a fund / 12 (the year's fund follows
the figures and policies in force on 1 January, as ``/communities/{code}/work-fund``
computes it; D-11), the year to date the fund of the months elapsed
(January to the month) × n / 12, each rounded half up once. The S4-7c party
funds are for party work and are not counted against pay.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import msgspec
from sqlalchemy import select
from sqlalchemy.orm import Session

from hr_service.recruitment import rules as fund_rules
from hr_service.recruitment.tables import Community, CommunityFigures
from hr_service.rules import budget as rules
from hr_service.rules.staffing import Figures, figures_on
from hr_service.sqlbits import in_scope, statement
from hr_service.tables import Payslip
from shared.dates import month_bounds
from shared.db import in_jurisdiction
from shared.errors import NotFound
from shared.money import Fen
from shared.policy import Policies, PolicyBook

FUND_RULE = ("S4-7a: the year's work fund (4,000 yuan per 100 households, grown by S4-7b, matched 1:1 by the "
             "district; figures and policies in force on 1 January) × months / 12, rounded half up; S4-7c party "
             "funds are not counted. Pay cost = grade pay + bonus pool (S4-12) + employer contributions.")

KEYS = ("work_fund", "work_fund_growth", "party_work_fund", "staffing", "bonus_pool")
"""The policy keys the report reads: the fund's (S4-7a/b/c, S4-3) and the pool's ratio (S4-12)."""


class RunRef(msgspec.Struct):
    """A pay run whose payslips the report reads."""

    id: int
    jurisdiction: str
    status: str


class BudgetRow(msgspec.Struct):
    """One community (``community_code`` null: the workers without one)."""

    community_code: str | None
    community_name: str | None
    district: str | None
    status: str  # the month's pay runs behind its payslips: draft | submitted | closed | mixed
    workers: int  # payslips in the month
    households: int | None  # S4-7a: in force on 1 January
    annual_fund: Fen | None  # S4-7a for the year: the city's part + the district's match
    month: rules.BudgetFigures
    year_to_date: rules.BudgetFigures


class BudgetTotals(msgspec.Struct):
    status: str
    workers: int
    annual_fund: Fen | None
    month: rules.BudgetFigures
    year_to_date: rules.BudgetFigures


class BudgetOut(msgspec.Struct):
    jurisdiction: str
    month: str
    year_from: str  # the first month of the year to date
    months_elapsed: int  # January to the month: the months of fund in the year to date
    fund_rule: str
    runs: list[RunRef]
    rows: list[BudgetRow]
    totals: BudgetTotals
    note: str | None = None
    note_zh: str | None = None


@dataclass
class _Sums:
    """One community's payslip sums over some months."""

    months: set[str] = field(default_factory=set)
    payslips: int = 0
    grade_pay: int = 0
    bonus_pool: int = 0
    bonus_paid: int = 0
    employer_total: int = 0
    grade_pay_by_ratio: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    """Each month's (grade pay, the pool's ratio) by worker jurisdiction."""

    def add(self, month: str, payslips: int, grade_pay: int, bonus_paid: int, employer_total: int,
            ratio_bp: int) -> None:
        self.months.add(month)
        self.payslips += payslips
        self.grade_pay += grade_pay
        self.bonus_paid += bonus_paid
        self.employer_total += employer_total
        self.grade_pay_by_ratio[month].append((grade_pay, ratio_bp))

    def figures(self, fund: Fen | None) -> rules.BudgetFigures:
        # S4-12: each month's pool is rounded on its own, so the year's allowance is the sum of the months'
        allowed = sum(rules.pool_allowed(parts) for parts in self.grade_pay_by_ratio.values())
        return rules.figures(months=len(self.months), payslips=self.payslips, grade_pay=self.grade_pay,
                             bonus_pool=self.bonus_pool, bonus_paid=self.bonus_paid,
                             employer_total=self.employer_total, fund=fund, allowed=allowed)


SUMS_SQL = """SELECT ps.month, ps.community_code, ps.jurisdiction, ps.run_id, r.jurisdiction, r.status, COUNT(*),
       CAST(SUM(ps.grade_pay) AS BIGINT), CAST(SUM(ps.bonus_share) AS BIGINT),
       CAST(SUM(ps.employer_total) AS BIGINT)
FROM payslip ps JOIN pay_run r ON r.id = ps.run_id
WHERE ps.month >= :first AND ps.month <= :month AND {scope}
GROUP BY ps.month, ps.community_code, ps.jurisdiction, ps.run_id, r.jurisdiction, r.status"""
"""The payslip sums by month, community, worker jurisdiction (the pool's ratio
is per jurisdiction) and run (its status)."""

POOLS_SQL = """SELECT pools.month, pools.community_code, CAST(SUM(pools.bp) AS BIGINT)
FROM (SELECT ps.month, ps.community_code, ps.pool_key, MAX(ps.bonus_pool) AS bp FROM payslip ps
      WHERE ps.month >= :first AND ps.month <= :month AND {scope}
      GROUP BY ps.month, ps.community_code, ps.pool_key) AS pools
GROUP BY pools.month, pools.community_code"""
"""S4-12: each pool once (every payslip of a pool repeats its amount), added
up by month and community (a worker without a community is a pool of one)."""


def _ratio(book: PolicyBook, jurisdiction: str, month_end: date) -> int:
    """S4-12's ratio in force on the month's last day (none before its first version)."""
    try:
        return book.in_force("bonus_pool", jurisdiction, month_end).ratio_bp
    except NotFound:
        return 0


def _annual_fund(book: PolicyBook, c: Community, versions: list[Figures], year: int) -> tuple[int, Fen] | None:
    """S4-7a for ``year``: households and the city's part plus the district's
    match, from the figures and policies in force on 1 January (D-11); None
    before the fund's first version."""
    jan1 = date(year, 1, 1)
    f = figures_on(versions, jan1)
    try:
        wf = fund_rules.work_fund(
            year, f.households, f.party_members, book.in_force("work_fund", c.jurisdiction, jan1),
            book.in_force("work_fund_growth", c.jurisdiction, jan1),
            book.in_force("party_work_fund", c.jurisdiction, jan1),
            book.in_force("staffing", c.jurisdiction, jan1, or_first=True))
    except NotFound:
        return None
    return f.households, wf.city_fen + wf.district_match_fen


def _communities(s: Session, month: str, scope: str) -> tuple[dict[str, Community], dict[str, list[Figures]]]:
    """The communities with payslips in ``month`` within ``scope``, and their figures (oldest first)."""
    codes = (select(Payslip.community_code).distinct()
             .where(Payslip.month == month, in_jurisdiction(Payslip.jurisdiction, scope),
                    Payslip.community_code.is_not(None)))
    found = {c.code: c for c in s.execute(select(Community).where(Community.code.in_(codes))).scalars()}
    versions: dict[str, list[Figures]] = defaultdict(list)
    for code, effective_from, households, party_members in s.execute(
        select(CommunityFigures.community_code, CommunityFigures.effective_from, CommunityFigures.households,
               CommunityFigures.party_members)
        .where(CommunityFigures.community_code.in_(codes)).order_by(CommunityFigures.effective_from)
    ).all():
        versions[code].append(Figures(effective_from, households, party_members))
    for c in found.values():  # a community without versions keeps its row's figures (as figures_by_code)
        versions.setdefault(c.code, [Figures(c.created_at.date(), c.households, c.party_members)])
    return found, versions


def pay_budget(s: Session, policies: Policies, *, jurisdiction: str, month: str) -> BudgetOut:
    """The report of ``month`` for ``jurisdiction`` (and its districts): one
    row per community with payslips in the month, with the month and the year
    to date, and the totals. A month without payslips has no rows and a note."""
    month_bounds(month)
    year = int(month[:4])
    elapsed = int(month[5:])
    p: dict = {"first": f"{year}-01", "month": month}
    scope_sql = in_scope("ps", p, jurisdiction)
    sums = s.execute(statement(SUMS_SQL.format(scope=scope_sql), p), p).all()
    pools = s.execute(statement(POOLS_SQL.format(scope=scope_sql), p), p).all()
    this_month = [r for r in sums if r[0] == month]
    if not this_month:
        empty = rules.total([], 0)
        return BudgetOut(jurisdiction, month, p["first"], elapsed, FUND_RULE, [], [],
                         BudgetTotals("none", 0, None, empty, empty),
                         note=f"No payslips for {month} in {jurisdiction}: compute the month's pay run first "
                              f"(POST /pay-runs).",
                         note_zh=f"{jurisdiction} 没有 {month} 的工资单：请先核算当月工资（POST /pay-runs）。")
    communities, versions = _communities(s, month, jurisdiction)
    book = policies.book(s, KEYS)
    in_month = {r[1] for r in this_month}
    mine: dict[str | None, tuple[_Sums, _Sums]] = {code: (_Sums(), _Sums()) for code in in_month}
    statuses: dict[str | None, set[str]] = defaultdict(set)
    runs: dict[int, RunRef] = {}
    ratios: dict[tuple[str, str], int] = {}
    for m, code, jur, run_id, run_jur, status, n, grade_pay, bonus_paid, employer in sums:
        if code not in mine:
            continue  # paid earlier in the year, not this month: no row
        if (jur, m) not in ratios:
            ratios[(jur, m)] = _ratio(book, jur, month_bounds(m)[1])
        month_sums, ytd_sums = mine[code]
        for acc in (month_sums, ytd_sums) if m == month else (ytd_sums,):
            acc.add(m, n, grade_pay, bonus_paid, employer, ratios[(jur, m)])
        if m == month:
            statuses[code].add(status)
            runs[run_id] = RunRef(run_id, run_jur, status)
    for m, code, pool in pools:
        if code in mine:
            month_sums, ytd_sums = mine[code]
            for acc in (month_sums, ytd_sums) if m == month else (ytd_sums,):
                acc.bonus_pool += pool
    rows = []
    for code in sorted(mine, key=lambda c: (c is None, c or "")):
        month_sums, ytd_sums = mine[code]
        c = communities.get(code) if code is not None else None
        fund = _annual_fund(book, c, versions[c.code], year) if c is not None else None
        households, annual = fund if fund is not None else (None, None)
        rows.append(BudgetRow(
            code, c.name if c else None, c.district if c else None, rules.run_status(sorted(statuses[code])),
            month_sums.payslips, households, annual,
            month_sums.figures(None if annual is None else rules.fund_for_months(annual, 1)),
            ytd_sums.figures(None if annual is None else rules.fund_for_months(annual, elapsed))))
    all_months = {r[0] for r in sums if r[1] in mine}
    annuals = [r.annual_fund for r in rows if r.annual_fund is not None]
    totals = BudgetTotals(
        rules.run_status([r.status for r in runs.values()]), sum(r.workers for r in rows),
        sum(annuals) if annuals else None,
        rules.total([r.month for r in rows], 1), rules.total([r.year_to_date for r in rows], len(all_months)))
    return BudgetOut(jurisdiction, month, p["first"], elapsed, FUND_RULE, sorted(runs.values(), key=lambda r: r.id),
                     rows, totals)
