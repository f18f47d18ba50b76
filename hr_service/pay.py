"""Monthly pay: one worker's payslip and the pay run of a jurisdiction, set-based.

A pay run for a month is one ``INSERT INTO payslip … SELECT`` over every
worker on the rolls in the month (hired on or before its last day, not left
before its first), with the policy figures in force on the month's last day
for each worker's jurisdiction bound as small ``VALUES`` tables. Per worker,
in fen:

grade pay (S4-10, D-2)
    ``pay_scale[post][grade]`` for the post and grade in force on the month's
    last day (the latest grade-history row effective by then), so a 1 July
    step pays from July and a table replaced mid-year pays from its month.
welfare (S4-9)
    the table's flat monthly welfare (100 yuan in the 2002 table, 0 since).
certificate allowance (D-3)
    the highest level among the worker's registrations valid on the month's
    last day; length-of-service allowance (D-3): the band of full years of
    service (years before hire + whole years since ``hired_on``).
leader-talent allowance (D-7)
    the monthly allowance of a leader-talent designation (``talent.selected``
    from certs) whose term covers the month's last day; the highest one if
    terms overlap.
bonus and welfare share (S4-12, S2-5)
    each community's pool is ``round(Σ grade pay × 30%)`` of its workers paid
    that month; a worker's share is
    ``floor(pool × grade_pay × score / Σ(grade_pay × score))``, ``score`` being
    the performance score of their latest assessment before this year (the
    policy's ``default_score`` without one). Equal scores give everyone 30%
    of their own grade pay; better scores take more. A worker without a
    community is a pool of one. The fen lost to flooring is reported per run.
floor top-up (S0-2)
    ``floor_to_date = round(average_wage × (months paid this year incl. this) / 12)``;
    ``top_up = max(0, floor_to_date − pay and welfare paid earlier this year −
    this month's pay and welfare before top-up)``. The annual floor is spread
    evenly over the months on the payroll; a higher average wage from a later
    month catches up the earlier months in its first month.
gross
    grade pay + welfare + allowances (certificate, service, leader talent) + bonus
    share + top-up ("pay and welfare").
insurance and housing fund (S4-11, S0-2)
    each employer and worker contribution is ``round(base × rate)``, the base
    being gross held within the policy's minimum and maximum. Net pay is
    gross − the worker's contributions (income tax is not computed here).
cost split (S0-2)
    total cost = gross + employer contributions; the city bears
    ``round(total × 50%)`` and the district the rest.

A draft run may be computed again (its payslips are replaced); a closed
month is immutable (409). Months of a year are meant to be run in order: the
top-up reads the payslips of the year's earlier months.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import msgspec
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hr_service import rules
from hr_service.sqlbits import dialect, in_scope, statement, values_cte, ymd, ymd_of
from hr_service.store import POLICIES
from hr_service.tables import PayRun, Payslip, Worker
from shared.auth import district_in
from shared.errors import Conflict, Invalid, NotFound
from shared.policy import Policies

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")

MONEY_COLUMNS = (
    "grade_pay", "welfare", "certificate_allowance", "service_allowance", "talent_allowance", "bonus_pool",
    "bonus_share", "floor_to_date", "months_to_date", "paid_before", "paid_to_date", "floor_top_up", "gross", "contribution_base",
    "er_pension", "er_medical", "er_unemployment", "er_maternity", "er_work_injury", "er_housing_fund",
    "employer_total", "ee_pension", "ee_medical", "ee_unemployment", "ee_maternity", "ee_work_injury",
    "ee_housing_fund", "worker_deductions", "net_pay", "total_cost", "city_share", "district_share",
)
COLUMNS = ("worker_id", "jurisdiction", "community_code", "pool_key", "post", "grade", "score_centi",
           "service_years", *MONEY_COLUMNS)


def check_month(month: str, field: str = "month") -> tuple[date, date]:
    """``YYYY-MM`` → (first day, last day); a malformed month is 422 naming the field."""
    if not MONTH.match(month):
        raise Invalid("malformed_month", f"'{month}' is not a month (YYYY-MM).", f"“{month}”不是有效月份（YYYY-MM）。",
                      field=field)
    start = date(int(month[:4]), int(month[5:]), 1)
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return start, end



def _overlap(a: str, b: str) -> bool:
    return district_in(a, b) or district_in(b, a)


# --- the policy figures, bound as VALUES tables -----------------------------------

_PAR = [("jur", "str"), ("scale_v", "int"), ("allow_v", "int"), ("welfare", "int"), ("ratio_bp", "int"),
        ("default_score", "int"), ("floor_annual", "int"),
        *[(f"{side}_{k}_bp", "int") for k in rules.INSURANCES for side in ("er", "ee")],
        ("base_min", "int"), ("base_max", "int"), ("city_bp", "int")]


class _Figures(msgspec.Struct):
    """The figures in force for each worker jurisdiction. The pay scale and the
    allowances are keyed by policy version (districts mostly share their city's)."""

    rates: list[tuple] = []
    par: list[tuple] = []
    certs: list[tuple] = []
    bands: list[tuple] = []
    used: dict = {}


def _figures(session: Session, policies: Policies, jurisdictions: list[str], as_of: date) -> _Figures:
    f = _Figures(rates=[], par=[], certs=[], bands=[], used={})
    seen_scales: set[int] = set()
    seen_allowances: set[int] = set()
    for j in jurisdictions:
        def get(key: str, absent=None):
            """The version id and value in force; (0, ``absent``) before the first one (None: required)."""
            try:
                v = policies.version_in_force(session, key, j, as_of)
            except NotFound:
                if absent is None:
                    raise
                return 0, absent
            f.used.setdefault(j, {})[key] = v.id
            return v.id, msgspec.convert(v.value, policies.key(key).value_type)

        scale_v, scale = get("pay_scale")
        _, ins = get("insurance")
        _, split = get("cost_split")
        # Before their first versions: no bonus pool (S4-12, 2004), no allowances
        # (D-3), no floor (S0-2, 2009).
        _, bonus = get("bonus_pool", rules.BonusPool(ratio_bp=0))
        allow_v, allow = get("allowances", rules.Allowances(certificate={}, service_bands=[]))
        _, wage = get("average_wage", rules.AverageWage(0, 0))
        if scale_v not in seen_scales:
            seen_scales.add(scale_v)
            for post, ps in scale.posts.items():
                f.rates.extend((scale_v, post, g, ps.amount(g)) for g in range(ps.low, ps.high + 1))
        if allow_v not in seen_allowances:
            seen_allowances.add(allow_v)
            f.certs.extend((allow_v, level, amount) for level, amount in allow.certificate.items())
            bands = allow.service_bands
            for i, b in enumerate(bands):
                hi = bands[i + 1].from_years - 1 if i + 1 < len(bands) else 1000
                f.bands.append((allow_v, b.from_years, hi, b.monthly_fen))
        rates = [getattr(getattr(ins, k), a) for k in rules.INSURANCES for a in ("employer_bp", "worker_bp")]
        f.par.append((j, scale_v, allow_v, scale.welfare_fen, bonus.ratio_bp, bonus.default_score, wage.annual_fen,
                      *rates, ins.base_min_fen, ins.base_max_fen, split.city_bp))
    return f


def _payslip_sql(d: str, p: dict, scope_sql: str, f: _Figures) -> str:
    """WITH … SELECT of every payslip column (in ``COLUMNS`` order) for the workers of ``scope_sql``.

    Levels: ``base`` joins each worker to the figures, grade, score,
    certificate and the year so far; ``pooled`` sums each community's pool
    (window); ``pre`` and ``costed`` are materialised so that each later
    formula reads columns instead of repeating ever-longer expressions."""
    ctes = ", ".join([
        values_cte("rate", [("v", "int"), ("post", "str"), ("grade", "int"), ("amount", "int")], f.rates),
        values_cte("par", _PAR, f.par),
        values_cte("cert_rate", [("v", "int"), ("level", "str"), ("amount", "int")], f.certs),
        values_cte("sband", [("v", "int"), ("lo", "int"), ("hi", "int"), ("amount", "int")], f.bands),
    ])
    p["end_ymd"] = ymd_of(p["end"])
    p["prev_year"] = p["year"] - 1
    january = p["month"] == p["year_first"] or not p.get("earlier_runs", True)
    if not january:
        prev = p["start"] - timedelta(days=1)
        p["prev_month"] = f"{prev:%Y-%m}"
    # The year so far: the previous month's payslip carries it; failing that
    # (a gap in the year), the latest earlier payslip of the year.
    latest_before = ("(SELECT p2.{col} FROM payslip p2 WHERE p2.worker_id = s.id AND p2.month >= :year_first "
                     "AND p2.month < :month ORDER BY p2.month DESC LIMIT 1)")
    months_before = "0" if january else (
        f"COALESCE(pp.months_to_date, {latest_before.format(col='months_to_date')}, 0)")
    paid_before = "CAST(0 AS BIGINT)" if january else (
        f"COALESCE(pp.paid_to_date, {latest_before.format(col='paid_to_date')}, 0)")
    prev_join = "" if january else "LEFT JOIN payslip pp ON pp.worker_id = s.id AND pp.month = :prev_month"
    er = [f"(q.cbase * par.er_{k}_bp + 5000) / 10000" for k in rules.INSURANCES]
    ee = [f"(q.cbase * par.ee_{k}_bp + 5000) / 10000" for k in rules.INSURANCES]
    er_total = "(" + " + ".join(er) + ")"
    ee_total = "(" + " + ".join(ee) + ")"
    total = f"(q.gross + {er_total})"
    share = "CASE WHEN q.pool_w > 0 THEN q.bonus_pool * q.grade_pay * q.score_centi / q.pool_w ELSE 0 END"
    shortfall = "(q.floor_to_date - q.paid_before - q.before_top_up)"
    top = f"CASE WHEN {shortfall} > 0 THEN {shortfall} ELSE 0 END"
    gross = f"(q.before_top_up + {top})"
    city = f"(({total}) * par.city_bp + 5000) / 10000"
    return f"""
WITH {ctes},
scope AS (
    SELECT w.id, w.jurisdiction, w.community_code, w.hired_on, w.service_years, w.post, w.grade, w.grade_since
    FROM worker w
    WHERE {scope_sql} AND w.hired_on <= :end AND (w.left_on IS NULL OR w.left_on >= :start)
),
past AS (
    SELECT g.worker_id, MAX(g.id) AS gid FROM grade_change g JOIN scope s ON s.id = g.worker_id
    WHERE (s.grade_since IS NULL OR s.grade_since > :end) AND g.effective_on <= :end
    GROUP BY g.worker_id
),
cert AS (
    SELECT c.worker_id, MAX(cr.amount) AS amount
    FROM worker_certificate c JOIN scope s ON s.id = c.worker_id
    JOIN par ON par.jur = s.jurisdiction
    JOIN cert_rate cr ON cr.v = par.allow_v AND cr.level = c.level
    WHERE c.registered_on <= :end AND c.valid_until >= :end AND (c.lapsed_on IS NULL OR c.lapsed_on > :end)
    GROUP BY c.worker_id
),
talent AS (
    SELECT d.worker_id, MAX(d.allowance_fen) AS amount
    FROM worker_designation d JOIN scope s ON s.id = d.worker_id
    WHERE d.term_starts_on <= :end AND d.term_ends_on >= :end
    GROUP BY d.worker_id
),
base AS (
    SELECT s.id AS worker_id, s.jurisdiction, s.community_code,
           COALESCE(s.community_code, 'worker:' || CAST(s.id AS VARCHAR(20))) AS pool_key,
           COALESCE(gh.post, s.post) AS post, COALESCE(gh.grade, s.grade) AS grade,
           COALESCE(r.amount, -1) AS grade_pay, par.welfare, par.allow_v, par.ratio_bp, par.floor_annual,
           CAST(COALESCE(a.score_centi,
                         (SELECT a2.score_centi FROM assessment a2 WHERE a2.worker_id = s.id AND a2.year < :prev_year
                          ORDER BY a2.year DESC LIMIT 1),
                         par.default_score * 100) AS BIGINT) AS score_centi,
           s.service_years + (:end_ymd - {ymd('s.hired_on', d)}) / 10000 AS service_years,
           COALESCE(ce.amount, 0) AS certificate_allowance, COALESCE(ta.amount, 0) AS talent_allowance,
           {months_before} AS months_before, {paid_before} AS paid_before
    FROM scope s
    JOIN par ON par.jur = s.jurisdiction
    LEFT JOIN past ON past.worker_id = s.id
    LEFT JOIN grade_change gh ON gh.id = past.gid
    LEFT JOIN rate r ON r.v = par.scale_v AND r.post = COALESCE(gh.post, s.post)
                    AND r.grade = COALESCE(gh.grade, s.grade)
    LEFT JOIN assessment a ON a.worker_id = s.id AND a.year = :prev_year
    LEFT JOIN cert ce ON ce.worker_id = s.id
    LEFT JOIN talent ta ON ta.worker_id = s.id
    {prev_join}
),
pooled AS (
    SELECT b.*,
           (CAST(SUM(b.grade_pay) OVER pool AS BIGINT) * b.ratio_bp + 5000) / 10000 AS bonus_pool,
           CAST(SUM(b.grade_pay * b.score_centi) OVER pool AS BIGINT) AS pool_w
    FROM base b
    WINDOW pool AS (PARTITION BY b.pool_key)
),
pre AS MATERIALIZED (
    SELECT q.worker_id, q.jurisdiction, q.community_code, q.pool_key, q.post, q.grade, q.score_centi,
           q.service_years, q.grade_pay, q.welfare, q.certificate_allowance, q.talent_allowance, q.bonus_pool,
           q.months_before, q.paid_before,
           COALESCE(sb.amount, 0) AS service_allowance,
           {share} AS bonus_share,
           q.grade_pay + q.welfare + q.certificate_allowance + q.talent_allowance + COALESCE(sb.amount, 0) + {share}
               AS before_top_up,
           (q.floor_annual * (q.months_before + 1) + 6) / 12 AS floor_to_date
    FROM pooled q LEFT JOIN sband sb ON sb.v = q.allow_v AND q.service_years BETWEEN sb.lo AND sb.hi
),
costed AS MATERIALIZED (
    SELECT q.*, {top} AS floor_top_up, {gross} AS gross,
           CASE WHEN {gross} < par.base_min THEN par.base_min WHEN {gross} > par.base_max THEN par.base_max
                ELSE {gross} END AS cbase
    FROM pre q JOIN par ON par.jur = q.jurisdiction
)
SELECT q.worker_id, q.jurisdiction, q.community_code, q.pool_key, q.post, q.grade, q.score_centi,
       q.service_years, q.grade_pay, q.welfare, q.certificate_allowance, q.service_allowance, q.talent_allowance,
       q.bonus_pool, q.bonus_share, q.floor_to_date, q.months_before + 1 AS months_to_date, q.paid_before,
       q.paid_before + q.gross AS paid_to_date, q.floor_top_up, q.gross, q.cbase AS contribution_base,
       {", ".join(f"{e} AS er_{k}" for e, k in zip(er, rules.INSURANCES))}, {er_total} AS employer_total,
       {", ".join(f"{e} AS ee_{k}" for e, k in zip(ee, rules.INSURANCES))}, {ee_total} AS worker_deductions,
       q.gross - {ee_total} AS net_pay, {total} AS total_cost,
       {city} AS city_share, {total} - {city} AS district_share
FROM costed q JOIN par ON par.jur = q.jurisdiction"""


def _base_params(month: str) -> dict:
    start, end = check_month(month)
    return {"start": start, "end": end, "month": month, "year": start.year, "year_first": f"{start.year}-01"}


def _earlier_runs(session: Session, p: dict) -> bool:
    """Whether any pay run this year precedes the month (else the year so far is empty)."""
    return session.execute(select(PayRun.id).where(
        PayRun.month >= p["year_first"], PayRun.month < p["month"]).limit(1)).first() is not None


def _jurisdictions(session: Session, p: dict, scope_sql: str) -> list[str]:
    rows = session.execute(statement(f"SELECT DISTINCT w.jurisdiction FROM worker w WHERE {scope_sql}", p), p)
    return sorted(r[0] for r in rows)


# --- pay runs --------------------------------------------------------------------


class PayRunOut(msgspec.Struct):
    id: int
    jurisdiction: str
    month: str
    status: str
    computations: int
    totals: dict
    policies: dict
    created_by: str
    created_at: datetime
    computed_by: str
    computed_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    later_months_to_recompute: list[str] = []


def run_out(r: PayRun, later: list[str] | None = None) -> PayRunOut:
    return PayRunOut(r.id, r.jurisdiction, r.month, r.status, r.computations, r.totals, r.policies, r.created_by,
                     r.created_at, r.computed_by, r.computed_at, r.closed_by, r.closed_at, later or [])


def _runs_of_month(session: Session, month: str) -> list[PayRun]:
    return list(session.execute(select(PayRun).where(PayRun.month == month)).scalars())


def run_pay(
    session: Session, *, jurisdiction: str, month: str, actor: str, now: datetime, today: date,
    policies: Policies = POLICIES,
) -> tuple[PayRunOut, bool]:
    """Compute (or compute again) the draft pay run of ``jurisdiction`` for
    ``month`` and store every payslip. Returns the run and whether it is new.
    A closed month is 409; so is a run over a jurisdiction that overlaps
    another run of the month."""
    p = _base_params(month)
    if p["start"] > today.replace(day=1):
        raise Invalid("month_in_future", f"{month} has not begun.", f"{month} 尚未开始。", field="month")
    mine: PayRun | None = None
    for r in _runs_of_month(session, month):
        if not _overlap(r.jurisdiction, jurisdiction):
            continue
        if r.status == "closed":
            raise Conflict("month_closed", f"The pay of {month} for {r.jurisdiction} is closed; it cannot change.",
                           f"{r.jurisdiction} {month} 的工资已结账，不能更改。", field="month", clause="S0-2")
        if r.jurisdiction == jurisdiction:
            mine = r
        else:
            raise Conflict("overlapping_pay_run", f"A draft pay run of {month} for {r.jurisdiction} covers some of "
                           f"the same workers; run one or the other.",
                           f"{month} 已有覆盖部分相同职工的 {r.jurisdiction} 工资草稿。", field="jurisdiction")
    created = mine is None
    if mine is None:
        mine = PayRun(jurisdiction=jurisdiction, month=month, status="draft", policies={}, totals={}, computations=0,
                      created_by=actor, created_at=now, computed_by=actor, computed_at=now)
        session.add(mine)
        try:
            session.flush()
        except IntegrityError as exc:
            raise Conflict("pay_run_busy", "This pay run is being created by someone else.", "该工资计算正在进行。",
                           field="month") from exc
    else:
        session.execute(statement("DELETE FROM payslip WHERE run_id = :run_id", {"run_id": mine.id}),
                        {"run_id": mine.id})
    scope_sql = in_scope("w", p, jurisdiction)
    f = _figures(session, policies, _jurisdictions(session, p, scope_sql), p["end"])
    p["run_id"] = mine.id
    p["earlier_runs"] = _earlier_runs(session, p)
    if dialect(session) == "postgresql":
        session.execute(statement("SET LOCAL jit = off", {}))  # compiling costs more than it saves here
    sql = _payslip_sql(dialect(session), p, scope_sql, f)
    session.execute(statement(
        f"INSERT INTO payslip (run_id, month, {', '.join(COLUMNS)}) SELECT :run_id, :month, {', '.join(COLUMNS)} "
        f"FROM ({sql}) AS computed", p), p)
    mine.totals = _totals(session, mine.id)
    mine.policies = f.used
    mine.computations += 1
    mine.computed_by, mine.computed_at = actor, now
    session.flush()
    return run_out(mine, _later_months(session, jurisdiction, month)), created


_NOT_SUMMED = ("bonus_pool", "floor_to_date", "months_to_date", "paid_before", "paid_to_date", "contribution_base")


def _totals(session: Session, run_id: int) -> dict:
    p = {"run_id": run_id}
    sums = ", ".join(f"CAST(COALESCE(SUM({c}), 0) AS BIGINT)" for c in MONEY_COLUMNS if c not in _NOT_SUMMED)
    row = session.execute(statement(
        f"SELECT COUNT(*), SUM(CASE WHEN grade_pay < 0 THEN 1 ELSE 0 END), {sums} FROM payslip WHERE run_id = :run_id",
        p), p).one()
    if row[1]:
        missing = session.execute(statement(
            "SELECT worker_id, post, grade FROM payslip WHERE run_id = :run_id AND grade_pay < 0 "
            "ORDER BY worker_id LIMIT 10", p), p).all()
        raise Conflict("no_grade_pay", f"{row[1]} worker(s) hold a post and grade the pay scale in force has no "
                       f"amount for, e.g. " + ", ".join(f"worker {w} ({po} grade {g})" for w, po, g in missing)
                       + "; change their post or grade, or add a pay scale version.",
                       f"{row[1]} 名职工的岗位档次在现行工资标准中没有金额。", clause="D-2",
                       extra={"workers": [m[0] for m in missing]})
    names = [c for c in MONEY_COLUMNS if c not in _NOT_SUMMED]
    totals = {"workers": int(row[0] or 0), **{n: int(v) for n, v in zip(names, row[2:])}}
    pools = session.execute(statement(
        "SELECT CAST(COALESCE(SUM(bp), 0) AS BIGINT) FROM "
        "(SELECT pool_key, MAX(bonus_pool) AS bp FROM payslip WHERE run_id = :run_id GROUP BY pool_key) AS pools",
        p), p).scalar_one()
    totals["bonus_pool"] = int(pools)
    totals["bonus_pool_unallocated"] = int(pools) - totals["bonus_share"]
    return totals


def _later_months(session: Session, jurisdiction: str, month: str) -> list[str]:
    year_last = f"{month[:4]}-12"
    runs = session.execute(select(PayRun.month, PayRun.jurisdiction).where(
        PayRun.month > month, PayRun.month <= year_last)).all()
    return sorted({m for m, j in runs if _overlap(j, jurisdiction)})


def close_pay_run(session: Session, run: PayRun, *, actor: str, now: datetime) -> PayRunOut:
    """Close a month: its payslips become immutable."""
    if run.status == "closed":
        raise Conflict("month_closed", f"The pay run of {run.month} is already closed.", f"{run.month} 的工资已结账。",
                       field="month", clause="S0-2")
    run.status, run.closed_by, run.closed_at = "closed", actor, now
    session.flush()
    return run_out(run)


# --- payslips --------------------------------------------------------------------


class PayslipOut(msgspec.Struct):
    worker_id: int
    month: str
    status: str  # preview | draft | closed
    run_id: int | None
    jurisdiction: str
    community_code: str | None
    pool_key: str
    post: str
    grade: int
    performance_score: float
    service_years: int
    grade_pay: int
    welfare: int
    certificate_allowance: int
    service_allowance: int
    talent_allowance: int
    bonus_pool: int
    bonus_share: int
    floor_to_date: int
    months_to_date: int
    paid_before: int
    paid_to_date: int
    floor_top_up: int
    gross: int
    contribution_base: int
    er_pension: int
    er_medical: int
    er_unemployment: int
    er_maternity: int
    er_work_injury: int
    er_housing_fund: int
    employer_total: int
    ee_pension: int
    ee_medical: int
    ee_unemployment: int
    ee_maternity: int
    ee_work_injury: int
    ee_housing_fund: int
    worker_deductions: int
    net_pay: int
    total_cost: int
    city_share: int
    district_share: int


def _slip(values: dict, month: str, status: str, run_id: int | None) -> PayslipOut:
    v = dict(values)
    v["performance_score"] = v.pop("score_centi") / 100
    return PayslipOut(month=month, status=status, run_id=run_id, **{k: v[k] for k in v if k in _SLIP_FIELDS})


_SLIP_FIELDS = set(PayslipOut.__struct_fields__)


def payslip_of(session: Session, worker: Worker, month: str, policies: Policies = POLICIES) -> PayslipOut:
    """The stored payslip of a pay run, or a preview computed the same way
    (over the worker's community, whose pool the share depends on)."""
    p = _base_params(month)
    stored = session.execute(
        select(Payslip, PayRun.status).join(PayRun, PayRun.id == Payslip.run_id)
        .where(Payslip.worker_id == worker.id, Payslip.month == month)
    ).first()
    if stored is not None:
        slip, status = stored
        return _slip({c: getattr(slip, c) for c in COLUMNS}, month, status, slip.run_id)
    scope_sql = in_scope("w", p, worker.jurisdiction)
    if worker.community_code is not None:
        scope_sql += " AND w.community_code = :cc"
        p["cc"] = worker.community_code
    else:
        scope_sql += " AND w.id = :wid"
        p["wid"] = worker.id
    f = _figures(session, policies, _jurisdictions(session, p, scope_sql), p["end"])
    p["earlier_runs"] = _earlier_runs(session, p)
    sql = _payslip_sql(dialect(session), p, scope_sql, f)
    if dialect(session) == "postgresql":
        session.execute(statement("SET LOCAL jit = off", {}))
    p["me"] = worker.id
    row = session.execute(statement(f"SELECT * FROM ({sql}) AS computed WHERE worker_id = :me", p), p).first()
    if row is None:
        raise NotFound("payslip for month", "工资单", month, field="month")
    values = dict(zip(COLUMNS, row))
    if values["grade_pay"] < 0:
        raise Conflict("no_grade_pay", f"The pay scale in force has no amount for {values['post']} grade "
                       f"{values['grade']}.", "现行工资标准中没有该岗位档次的金额。", clause="D-2")
    return _slip(values, month, "preview", None)


def list_payslips(session: Session, run_id: int, limit: int, offset: int) -> tuple[list[PayslipOut], int]:
    run = session.get(PayRun, run_id)
    total = session.execute(statement("SELECT COUNT(*) FROM payslip WHERE run_id = :r", {"r": run_id}),
                            {"r": run_id}).scalar_one()
    rows = session.execute(select(Payslip).where(Payslip.run_id == run_id).order_by(Payslip.worker_id)
                           .limit(limit).offset(offset)).scalars()
    return [_slip({c: getattr(s, c) for c in COLUMNS}, s.month, run.status, run_id) for s in rows], total


def month_range(first: str | None, last: str | None, today: date, default_months: int = 12) -> tuple[str, str]:
    """``from``/``to`` of a payslip listing (YYYY-MM, inclusive): ``to`` defaults
    to this month and ``from`` to ``default_months`` months up to ``to``."""
    if last is None:
        last = f"{today:%Y-%m}"
    check_month(last, "to")
    if first is None:
        y, m = int(last[:4]), int(last[5:]) - (default_months - 1)
        while m < 1:
            y, m = y - 1, m + 12
        first = f"{y:04d}-{m:02d}"
    check_month(first, "from")
    if first > last:
        raise Invalid("empty_month_range", f"from {first} is after to {last}.", f"起始月份 {first} 晚于截止月份 {last}。",
                      field="from")
    return first, last


def stored_payslips(session: Session, worker_id: int, first: str, last: str) -> list[PayslipOut]:
    """The worker's payslips of draft and closed pay runs from ``first`` to ``last`` (YYYY-MM), by month, in one query."""
    rows = session.execute(
        select(Payslip, PayRun.status).join(PayRun, PayRun.id == Payslip.run_id)
        .where(Payslip.worker_id == worker_id, Payslip.month >= first, Payslip.month <= last)
        .order_by(Payslip.month)
    ).all()
    return [_slip({c: getattr(slip, c) for c in COLUMNS}, slip.month, status, slip.run_id) for slip, status in rows]
