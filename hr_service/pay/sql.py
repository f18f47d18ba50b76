"""The payslip statement: every payslip column of every worker in scope, in
one ``WITH … SELECT`` (what ``rules.pool_payslips`` gives, pool by pool),
for a preview, a pay run, or a closed month computed again (D-12)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hr_service import rules
from hr_service.pay.figures import PAR, Figures
from hr_service.sqlbits import values_cte, ymd, ymd_of
from hr_service.tables import PayRun
from shared.dates import add_to_month, month_bounds

MONEY_COLUMNS = tuple(rules.PayLines.__struct_fields__)
"""A payslip's amounts: the fields of ``rules.PayLines``."""
COLUMNS = ("worker_id", "jurisdiction", "community_code", "pool_key", "post", "grade", "score_centi",
           "service_years", *MONEY_COLUMNS)
"""A payslip's stored columns besides its run and month."""

ER = [f"(q.cbase * par.er_{k}_bp + 5000) / 10000" for k in rules.INSURANCES]
EE = [f"(q.cbase * par.ee_{k}_bp + 5000) / 10000" for k in rules.INSURANCES]


def base_params(month: str) -> dict:
    start, end = month_bounds(month)
    return {"start": start, "end": end, "month": month, "year": start.year, "year_first": f"{start.year}-01"}


def earlier_runs(session: Session, p: dict) -> bool:
    """Whether any pay run this year precedes the month (else the year so far is empty)."""
    return session.execute(select(PayRun.id).where(
        PayRun.month >= p["year_first"], PayRun.month < p["month"]).limit(1)).first() is not None


PREVIEW, RUN, REMAKE = "preview", "run", "remake"
"""What a payslip statement is for: a preview (nothing stored, no arrears);
the payslips of pay run ``:run_id`` (its arrears are the sum of its
``pay_adjustment`` lines); a closed month computed again (D-12: no arrears,
the year so far as made good by the adjustments of closed runs and of
``:run_id``)."""


def payslip_sql(d: str, p: dict, scope_sql: str, f: Figures, kind: str = PREVIEW) -> str:
    """WITH … SELECT of every payslip column (in ``COLUMNS`` order) for the workers of ``scope_sql``.

    Levels: ``base`` joins each worker to the figures, grade, score,
    certificate and the year so far; ``pooled`` sums each community's pool
    (window) and ``ranked`` shares it to the fen; ``pre`` and ``costed`` are
    materialised so that each later formula reads columns instead of
    repeating ever-longer expressions."""
    ctes = ", ".join([
        values_cte("rate", [("v", "int"), ("post", "str"), ("grade", "int"), ("amount", "int")], f.rates),
        values_cte("par", PAR, f.par),
        values_cte("cert_rate", [("v", "int"), ("level", "str"), ("amount", "int")], f.certs),
        values_cte("sband", [("v", "int"), ("lo", "int"), ("hi", "int"), ("amount", "int")], f.bands),
    ])
    p["end_ymd"] = ymd_of(p["end"])
    p["prev_year"] = p["year"] - 1
    return f"WITH {ctes},\n{_facts_sql(d, p, scope_sql, kind)},\n{_money_sql()}\n{_select_sql()}"


def _year_so_far(p: dict, kind: str) -> tuple[str, str, str]:
    """(months before, paid before, join) of the year so far: the previous
    month's payslip carries it; failing that (a gap in the year), the latest
    earlier payslip of the year; in January, or with no earlier run, nothing.
    A month computed again (``REMAKE``) adds what was made good for the
    year's earlier months (``rules.year_so_far_made_good``)."""
    if p["month"] == p["year_first"] or not p.get("earlier_runs", True):
        return "0", "CAST(0 AS BIGINT)", ""
    p["prev_month"] = add_to_month(p["month"], -1)
    latest = ("(SELECT p2.{col} FROM payslip p2 WHERE p2.worker_id = s.id AND p2.month >= :year_first "
              "AND p2.month < :month ORDER BY p2.month DESC LIMIT 1)")
    paid = f"COALESCE(pp.paid_to_date, {latest.format(col='paid_to_date')}, 0)"
    if kind == REMAKE:
        paid += (" + COALESCE((SELECT CAST(SUM(a.amount) AS BIGINT) FROM pay_adjustment a "
                 "JOIN pay_run ar ON ar.id = a.run_id WHERE a.worker_id = s.id "
                 "AND a.covers >= :year_first AND a.covers < :month AND (ar.status = 'closed' OR ar.id = :run_id)), 0)")
    return (f"COALESCE(pp.months_to_date, {latest.format(col='months_to_date')}, 0)", paid,
            "LEFT JOIN payslip pp ON pp.worker_id = s.id AND pp.month = :prev_month")


def _facts_sql(d: str, p: dict, scope_sql: str, kind: str) -> str:
    """``scope`` (``rules.on_rolls_during`` the month) to ``base``: each worker's
    ``rules.Earner`` facts and figures. The post and grade are
    ``rules.grade_in_force`` on the month's end (``held``: the latest date of a
    row not superseded; ``past``: the last recorded row of that date), the
    worker's own where the history has none; the score
    ``rules.performance_score``; the service years ``rules.service_years``; a
    registration counts while valid and not lapsed on the month's end, a
    leader-talent term while it covers it (the highest of each); the arrears
    of a run are its adjustment lines (D-12)."""
    months_before, paid_before, prev_join = _year_so_far(p, kind)
    arrears, arrears_join = "CAST(0 AS BIGINT)", ""
    if kind == RUN:
        arrears = "COALESCE(adj.amount, 0)"
        arrears_join = ("LEFT JOIN (SELECT worker_id, CAST(SUM(amount) AS BIGINT) AS amount FROM pay_adjustment "
                        "WHERE run_id = :run_id GROUP BY worker_id) adj ON adj.worker_id = s.id")
    return f"""scope AS (
    SELECT w.id, w.jurisdiction, w.community_code, w.hired_on, w.service_years, w.post, w.grade
    FROM worker w
    WHERE {scope_sql} AND w.hired_on <= :end AND (w.left_on IS NULL OR w.left_on >= :start)
),
held AS (
    SELECT g.worker_id, MAX(g.effective_on) AS effective_on FROM grade_change g JOIN scope s ON s.id = g.worker_id
    WHERE g.effective_on <= :end AND g.superseded_by IS NULL
    GROUP BY g.worker_id
),
past AS (
    SELECT g.worker_id, MAX(g.id) AS gid
    FROM grade_change g JOIN held h ON h.worker_id = g.worker_id AND h.effective_on = g.effective_on
    WHERE g.superseded_by IS NULL
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
           {months_before} AS months_before, {paid_before} AS paid_before, {arrears} AS arrears
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
    {arrears_join}
)"""


def _money_sql() -> str:
    """``pooled`` to ``costed``: ``rules.bonus_shares`` over each pool (windows:
    the floor of each exact share, then the fen left over to the largest
    remainders, ties to the larger weight and the lower worker id),
    ``rules.floor_top_up``, the gross (arrears included) and the bounded
    contribution base (without them)."""
    exact = "q.bonus_pool * q.weight"
    floor = f"CASE WHEN q.pool_w > 0 THEN {exact} / q.pool_w ELSE 0 END"
    remainder = f"CASE WHEN q.pool_w > 0 THEN {exact} % q.pool_w ELSE 0 END"
    # a pool whose weights add up to nothing is not shared (rules.bonus_shares): no fen left over to hand out
    share = ("(q.floor_share + CASE WHEN q.pool_w > 0 AND q.fen_rank <= q.bonus_pool - q.pool_floor "
             "THEN 1 ELSE 0 END)")
    shortfall = "(q.floor_to_date - q.paid_before - q.before_top_up)"
    top = f"CASE WHEN {shortfall} > 0 THEN {shortfall} ELSE 0 END"
    month_pay = f"(q.before_top_up + {top})"
    return f"""pooled AS (
    SELECT b.*,
           (CAST(SUM(b.grade_pay) OVER pool AS BIGINT) * b.ratio_bp + 5000) / 10000 AS bonus_pool,
           CAST(SUM(b.weight) OVER pool AS BIGINT) AS pool_w
    FROM (SELECT base.*, CAST(base.grade_pay * base.score_centi AS BIGINT) AS weight FROM base) b
    WINDOW pool AS (PARTITION BY b.pool_key)
),
ranked AS (
    SELECT q.*, {floor} AS floor_share,
           CAST(SUM({floor}) OVER (PARTITION BY q.pool_key) AS BIGINT) AS pool_floor,
           ROW_NUMBER() OVER (PARTITION BY q.pool_key ORDER BY {remainder} DESC, q.weight DESC, q.worker_id)
               AS fen_rank
    FROM pooled q
),
pre AS MATERIALIZED (
    SELECT q.worker_id, q.jurisdiction, q.community_code, q.pool_key, q.post, q.grade, q.score_centi,
           q.service_years, q.grade_pay, q.welfare, q.certificate_allowance, q.talent_allowance, q.bonus_pool,
           q.months_before, q.paid_before, q.arrears,
           COALESCE(sb.amount, 0) AS service_allowance,
           {share} AS bonus_share,
           q.grade_pay + q.welfare + q.certificate_allowance + q.talent_allowance + COALESCE(sb.amount, 0) + {share}
               AS before_top_up,
           (q.floor_annual * (q.months_before + 1) + 6) / 12 AS floor_to_date
    FROM ranked q LEFT JOIN sband sb ON sb.v = q.allow_v AND q.service_years BETWEEN sb.lo AND sb.hi
),
costed AS MATERIALIZED (
    SELECT q.*, {top} AS floor_top_up, {month_pay} AS month_pay, {month_pay} + q.arrears AS gross,
           CASE WHEN {month_pay} < par.base_min THEN par.base_min WHEN {month_pay} > par.base_max THEN par.base_max
                ELSE {month_pay} END AS cbase
    FROM pre q JOIN par ON par.jur = q.jurisdiction
)"""


def _select_sql() -> str:
    """The payslip columns: ``rules.contributions``, the totals, net pay and ``rules.split_cost``."""
    er_total = "(" + " + ".join(ER) + ")"
    ee_total = "(" + " + ".join(EE) + ")"
    total = f"(q.gross + {er_total})"
    city = f"(({total}) * par.city_bp + 5000) / 10000"
    return f"""SELECT q.worker_id, q.jurisdiction, q.community_code, q.pool_key, q.post, q.grade, q.score_centi,
       q.service_years, q.grade_pay, q.welfare, q.certificate_allowance, q.service_allowance, q.talent_allowance,
       q.bonus_pool, q.bonus_share, q.floor_to_date, q.months_before + 1 AS months_to_date, q.paid_before,
       q.paid_before + q.month_pay AS paid_to_date, q.floor_top_up, q.arrears, q.gross,
       q.cbase AS contribution_base,
       {", ".join(f"{e} AS er_{k}" for e, k in zip(ER, rules.INSURANCES, strict=True))},
       {er_total} AS employer_total,
       {", ".join(f"{e} AS ee_{k}" for e, k in zip(EE, rules.INSURANCES, strict=True))},
       {ee_total} AS worker_deductions,
       q.gross - {ee_total} AS net_pay, {total} AS total_cost,
       {city} AS city_share, {total} - {city} AS district_share
FROM costed q JOIN par ON par.jur = q.jurisdiction"""
