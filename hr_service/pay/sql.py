"""The payslip statement: every payslip column of every worker in scope, in
one ``WITH … SELECT`` (what ``rules.pool_payslips`` gives, pool by pool),
for a preview, a pay run, or a closed month computed again (D-12)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from hr_service import rules
from hr_service.pay.figures import PAR, Figures
from hr_service.sqlbits import values_cte, ymd, ymd_of
from hr_service.tables import PayRun
from shared.dates import DAY, add_to_month, month_bounds

MONEY_COLUMNS = tuple(rules.PayLines.__struct_fields__)
"""A payslip's amounts: the fields of ``rules.PayLines``."""
COLUMNS = ("worker_id", "jurisdiction", "community_code", "pool_key", "post", "grade", "score_centi",
           "service_years", *MONEY_COLUMNS)
"""A payslip's stored columns besides its run and month."""

ER = [f"(q.cbase * par.er_{k}_bp + 5000) / 10000" for k in rules.INSURANCES]
EE = [f"(q.cbase * par.ee_{k}_bp + 5000) / 10000" for k in rules.INSURANCES]


def base_params(month: str) -> dict:
    start, end = month_bounds(month)
    return {"start": start, "end": end, "month": month, "year": start.year, "year_first": f"{start.year}-01",
            "month_idx": start.year * 12 + start.month, "start_ymd": ymd_of(start), "end_ymd": ymd_of(end),
            "ly_first": f"{start.year - 1}-01", "ly_last": f"{start.year - 1}-12"}


def month_days(start: date, end: date) -> list[tuple[int, int, int]]:
    """D-15: each day of the month as (YYYYMMDD, weekdays up to it included,
    weekdays before it), by ``rules.weekdays``: the weekdays from ``a`` to
    ``b`` are ``upto(b) − before(a)``."""
    days = [start + DAY * i for i in range((end - start).days + 1)]
    return [(ymd_of(day), rules.weekdays(start, day), rules.weekdays(start, day - DAY)) for day in days]


def month_index(column: str) -> str:
    """A ``YYYY-MM`` column as year × 12 + month."""
    return f"(CAST(SUBSTR({column}, 1, 4) AS INTEGER) * 12 + CAST(SUBSTR({column}, 6, 2) AS INTEGER))"


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
    certificate, paid days and the year so far; ``pooled`` sums each
    community's pool (window) and ``ranked`` shares it to the fen; ``pre``
    (the month's amounts, the declared wage and base) and ``costed`` (the
    top-up, gross, contributions and the year so far of the tax) are
    materialised so that each later formula reads columns instead of
    repeating ever-longer expressions."""
    ctes = ", ".join([
        values_cte("rate", [("v", "int"), ("post", "str"), ("grade", "int"), ("amount", "int")], f.rates),
        values_cte("par", PAR, f.par),
        values_cte("cert_rate", [("v", "int"), ("level", "str"), ("amount", "int")], f.certs),
        values_cte("sband", [("v", "int"), ("lo", "int"), ("hi", "int"), ("amount", "int")], f.bands),
        values_cte("tband", [("v", "int"), ("lo", "int"), ("hi", "int"), ("rate", "int"), ("quick", "int")],
                   f.bands_of_tax),
        values_cte("mday", [("ymd", "int"), ("upto", "int"), ("before", "int")], month_days(p["start"], p["end"])),
    ])
    p["prev_year"] = p["year"] - 1
    return f"WITH {ctes},\n{_facts_sql(d, p, scope_sql, kind)},\n{_money_sql()},\n{_tax_sql()}\n{_select_sql()}"


CARRIED = {"months_before": "months_to_date", "paid_days_before": "paid_days_to_date", "paid_before": "paid_to_date",
           "income_before": "income_to_date", "contributions_before": "contributions_to_date",
           "tax_withheld_before": "tax_withheld_before + {t}.income_tax"}
"""The year so far (``rules.Earner``) → what the previous payslip carries of it."""


def _year_so_far(p: dict, kind: str) -> tuple[dict[str, str], str]:
    """The year-so-far columns of ``rules.Earner`` and their join: the previous
    month's payslip carries them; failing that (a gap in the year), the latest
    earlier payslip of the year; in January, or with no earlier run, nothing.
    A month computed again (``REMAKE``) adds to the pay and welfare what was
    made good for the year's earlier months (``rules.year_so_far_made_good``)."""
    if p["month"] == p["year_first"] or not p.get("earlier_runs", True):
        return {k: "CAST(0 AS BIGINT)" for k in CARRIED}, ""
    p["prev_month"] = add_to_month(p["month"], -1)
    out = {}
    for name, column in CARRIED.items():
        latest = (f"(SELECT {column.format(t='p2')} FROM payslip p2 WHERE p2.worker_id = s.id "
                  "AND p2.month >= :year_first AND p2.month < :month ORDER BY p2.month DESC LIMIT 1)")
        out[name] = f"COALESCE(pp.{column.format(t='pp')}, {latest}, 0)"
    if kind == REMAKE:
        out["paid_before"] += (
            " + COALESCE((SELECT CAST(SUM(a.amount) AS BIGINT) FROM pay_adjustment a "
            "JOIN pay_run ar ON ar.id = a.run_id WHERE a.worker_id = s.id "
            "AND a.covers >= :year_first AND a.covers < :month AND (ar.status = 'closed' OR ar.id = :run_id)), 0)")
    return out, "LEFT JOIN payslip pp ON pp.worker_id = s.id AND pp.month = :prev_month"


def _facts_sql(d: str, p: dict, scope_sql: str, kind: str) -> str:
    """``scope`` (``rules.on_rolls_during`` the month) to ``base``: each worker's
    ``rules.Earner`` facts and figures. The post and grade are
    ``rules.grade_in_force`` on the month's end (``held``: the latest date of a
    row not superseded, the last recorded of that date), the worker's own
    where the history has none; the score
    ``rules.performance_score``; the service years ``rules.service_years``; a
    registration counts while valid and not lapsed on the month's end, a
    leader-talent term while it covers it (the highest of each); the paid days
    ``rules.paid_days`` (weekdays on the rolls, ``absent`` the weekdays of
    unpaid absence); the declared wage ``rules.declared_wage`` (``last_year``:
    last year's average where none is recorded, materialised so that its
    lookups of earlier payslips run before the first payslip is written, not
    row by row into the table the statement fills); the arrears
    of a run are its adjustment lines (D-12), its rewards the awards it took
    (S4-13)."""
    so_far, prev_join = _year_so_far(p, kind)
    arrears, rewards, run_joins = "CAST(0 AS BIGINT)", "CAST(0 AS BIGINT)", ""
    if kind == RUN:
        arrears, rewards = "COALESCE(adj.amount, 0)", "COALESCE(rw.amount, 0)"
        run_joins = ("LEFT JOIN (SELECT worker_id, CAST(SUM(amount) AS BIGINT) AS amount FROM pay_adjustment "
                     "WHERE run_id = :run_id GROUP BY worker_id) adj ON adj.worker_id = s.id\n"
                     "    LEFT JOIN (SELECT worker_id, CAST(SUM(amount_fen) AS BIGINT) AS amount FROM reward_award "
                     "WHERE paid_run_id = :run_id GROUP BY worker_id) rw ON rw.worker_id = s.id")
    hired, left = "s.hired_ymd", "s.left_ymd"
    lo = f"CASE WHEN {hired} > :start_ymd THEN {hired} ELSE :start_ymd END"
    hi = f"CASE WHEN s.left_on IS NOT NULL AND {left} < :end_ymd THEN {left} ELSE :end_ymd END"
    a_first, a_last = ymd("a.first_day", d), ymd("a.last_day", d)
    a_lo = f"CASE WHEN {a_first} > {lo} THEN {a_first} ELSE {lo} END"
    a_hi = f"CASE WHEN {a_last} < {hi} THEN {a_last} ELSE {hi} END"
    whole = "(s.hired_on <= :start AND (s.left_on IS NULL OR s.left_on >= :end))"
    employed = (f"CASE WHEN {whole} THEN par.month_days WHEN (mhi.upto - mlo.before) * 100 < par.month_days "
                "THEN (mhi.upto - mlo.before) * 100 ELSE par.month_days END")
    days = f"({employed}) - COALESCE(ab.days, 0) * 100"
    return f"""scope AS (
    SELECT w.id, w.jurisdiction, w.community_code, w.hired_on, w.left_on, w.service_years, w.post, w.grade,
           {ymd("w.hired_on", d)} AS hired_ymd, {ymd("w.left_on", d)} AS left_ymd
    FROM worker w
    WHERE {scope_sql} AND w.hired_on <= :end AND (w.left_on IS NULL OR w.left_on >= :start)
),
{_grade_in_force_sql(d)},
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
last_year AS MATERIALIZED (
    SELECT s.id AS worker_id,
           (SELECT (p3.paid_to_date * par.month_days * 2 + p3.paid_days_to_date) / (p3.paid_days_to_date * 2)
            FROM payslip p3 WHERE p3.worker_id = s.id AND p3.month >= :ly_first AND p3.month <= :ly_last
            AND p3.paid_days_to_date > 0 ORDER BY p3.month DESC LIMIT 1) AS wage
    FROM scope s JOIN par ON par.jur = s.jurisdiction
    WHERE NOT EXISTS (SELECT 1 FROM contribution_wage c2 WHERE c2.worker_id = s.id AND c2.year = :year)
),
absent AS (
    SELECT a.worker_id,
           CAST(SUM(CASE WHEN ahi.upto > alo.before THEN ahi.upto - alo.before ELSE 0 END) AS BIGINT) AS days
    FROM unpaid_absence a JOIN scope s ON s.id = a.worker_id
    JOIN mday alo ON alo.ymd = {a_lo}
    JOIN mday ahi ON ahi.ymd = {a_hi}
    WHERE a.first_day <= :end AND a.last_day >= :start
    GROUP BY a.worker_id
),
base AS (
    SELECT s.id AS worker_id, s.jurisdiction, s.community_code,
           COALESCE(s.community_code, 'worker:' || CAST(s.id AS VARCHAR(20))) AS pool_key,
           COALESCE(gh.post, s.post) AS post, COALESCE(gh.grade, s.grade) AS grade,
           COALESCE(r.amount, -1) AS scale_pay,
           CASE WHEN {days} > 0 THEN {days} ELSE 0 END AS paid_days,
           par.welfare, par.allow_v, par.ratio_bp, par.floor_annual, par.month_days,
           CAST(COALESCE(a.score_centi,
                         (SELECT a2.score_centi FROM assessment a2 WHERE a2.worker_id = s.id AND a2.year < :prev_year
                          ORDER BY a2.year DESC LIMIT 1),
                         par.default_score * 100) AS BIGINT) AS score_centi,
           s.service_years + (:end_ymd - {hired}) / 10000 AS service_years,
           COALESCE(ce.amount, 0) AS cert_full, COALESCE(ta.amount, 0) AS talent_full,
           COALESCE(cw.wage_fen, ly.wage) AS declared_wage,
           {", ".join(f"{expr} AS {name}" for name, expr in so_far.items())},
           {arrears} AS arrears, {rewards} AS rewards
    FROM scope s
    JOIN par ON par.jur = s.jurisdiction
    LEFT JOIN held gh ON gh.worker_id = s.id
    LEFT JOIN rate r ON r.v = par.scale_v AND r.post = COALESCE(gh.post, s.post)
                    AND r.grade = COALESCE(gh.grade, s.grade)
    LEFT JOIN assessment a ON a.worker_id = s.id AND a.year = :prev_year
    LEFT JOIN cert ce ON ce.worker_id = s.id
    LEFT JOIN talent ta ON ta.worker_id = s.id
    LEFT JOIN absent ab ON ab.worker_id = s.id
    LEFT JOIN contribution_wage cw ON cw.worker_id = s.id AND cw.year = :year
    LEFT JOIN last_year ly ON ly.worker_id = s.id
    LEFT JOIN mday mlo ON mlo.ymd = {lo}
    LEFT JOIN mday mhi ON mhi.ymd = {hi}
    {prev_join}
    {run_joins}
)"""


def _grade_in_force_sql(d: str) -> str:
    """``held``: each worker's post and grade by ``rules.grade_in_force`` on the
    month's end: of the grade-history rows effective by then and not
    superseded, the latest date's, the last recorded of it (one sort of the
    history rows; PostgreSQL's ``DISTINCT ON`` keeps the first row per worker)."""
    rows = ("FROM grade_change g JOIN scope s ON s.id = g.worker_id "
            "WHERE g.effective_on <= :end AND g.superseded_by IS NULL")
    if d == "postgresql":
        return (f"held AS (\n    SELECT DISTINCT ON (g.worker_id) g.worker_id, g.post, g.grade {rows}\n"
                "    ORDER BY g.worker_id, g.effective_on DESC, g.id DESC\n)")
    return ("held AS (\n    SELECT r.worker_id, r.post, r.grade FROM (\n"
            "        SELECT g.worker_id, g.post, g.grade, ROW_NUMBER() OVER "
            f"(PARTITION BY g.worker_id ORDER BY g.effective_on DESC, g.id DESC) AS n {rows}\n"
            "    ) r WHERE r.n = 1\n)")


def _prorated(amount: str) -> str:
    """``rules.prorate``: ``amount`` for the paid days ``q.paid_days`` of ``q.month_days``."""
    return (f"CASE WHEN q.paid_days = q.month_days THEN {amount} "
            f"ELSE ({amount} * q.paid_days * 2 + q.month_days) / (q.month_days * 2) END")


def _money_sql() -> str:
    """``paid`` to ``pre``: the grade pay for the paid days
    (``rules.prorate``), ``rules.bonus_shares`` over each pool (windows: the
    floor of each exact share, then the fen left over to the largest
    remainders, ties to the larger weight and the lower worker id), the other
    monthly amounts for the paid days, the floor to date on the paid days,
    and the declared wage (``rules.declared_wage``, a new hire's
    ``rules.starting_wage``) held within the floor and ceiling
    (``rules.contribution_base``)."""
    exact = "q.bonus_pool * q.weight"
    floor = f"CASE WHEN q.pool_w > 0 THEN {exact} / q.pool_w ELSE 0 END"
    remainder = f"CASE WHEN q.pool_w > 0 THEN {exact} % q.pool_w ELSE 0 END"
    # a pool whose weights add up to nothing is not shared (rules.bonus_shares): no fen left over to hand out
    share = ("(q.floor_share + CASE WHEN q.pool_w > 0 AND q.fen_rank <= q.bonus_pool - q.pool_floor "
             "THEN 1 ELSE 0 END)")
    wage = "COALESCE(q.declared_wage, q.scale_pay + q.welfare + q.cert_full + q.talent_full + COALESCE(sb.amount, 0))"
    monthly = {"welfare": "q.welfare", "certificate_allowance": "q.cert_full", "talent_allowance": "q.talent_full",
               "service_allowance": "COALESCE(sb.amount, 0)"}
    prorated = {name: _prorated(amount) for name, amount in monthly.items()}
    return f"""paid AS (
    SELECT b.*, CASE WHEN b.scale_pay < 0 THEN -1 ELSE {_prorated("b.scale_pay").replace("q.", "b.")} END
               AS grade_pay
    FROM base b
),
pooled AS (
    SELECT b.*,
           (CAST(SUM(b.grade_pay) OVER pool AS BIGINT) * b.ratio_bp + 5000) / 10000 AS bonus_pool,
           CAST(SUM(b.weight) OVER pool AS BIGINT) AS pool_w
    FROM (SELECT paid.*, CAST(paid.grade_pay * paid.score_centi AS BIGINT) AS weight FROM paid) b
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
           q.service_years, q.grade_pay, q.bonus_pool, q.paid_days, q.paid_days_before + q.paid_days
           AS paid_days_to_date, q.months_before, q.paid_before, q.arrears, q.rewards,
           q.income_before, q.contributions_before, q.tax_withheld_before,
           {", ".join(f"{expr} AS {name}" for name, expr in prorated.items())},
           {share} AS bonus_share,
           q.grade_pay + {" + ".join(prorated.values())} + {share} AS before_top_up,
           (q.floor_annual * (q.paid_days_before + q.paid_days) * 2 + 12 * q.month_days) / (12 * q.month_days * 2)
               AS floor_to_date,
           {wage} AS contribution_wage,
           CASE WHEN {wage} < par.base_min THEN par.base_min WHEN {wage} > par.base_max THEN par.base_max
                ELSE {wage} END AS cbase
    FROM ranked q JOIN par ON par.jur = q.jurisdiction
    LEFT JOIN sband sb ON sb.v = q.allow_v AND q.service_years BETWEEN sb.lo AND sb.hi
)"""


def _tax_sql() -> str:
    """``declared`` and ``costed``: ``rules.declared_to_date`` (each
    declaration's months from the year's first payroll month to this one);
    ``rules.floor_top_up``, the gross (arrears and rewards included),
    ``rules.contributions`` on the bounded base and ``rules.withholding``'s
    cumulative figures, before the table."""
    first = ":month_idx - q.months_before"
    lo = f"CASE WHEN {month_index('d.from_month')} > {first} THEN {month_index('d.from_month')} ELSE {first} END"
    hi = (f"CASE WHEN d.to_month IS NOT NULL AND {month_index('d.to_month')} < :month_idx "
          f"THEN {month_index('d.to_month')} ELSE :month_idx END")
    shortfall = "(q.floor_to_date - q.paid_before - q.before_top_up)"
    top = f"CASE WHEN {shortfall} > 0 THEN {shortfall} ELSE 0 END"
    month_pay = f"(q.before_top_up + {top})"
    gross = f"({month_pay} + q.arrears + q.rewards)"
    ee_total = "(" + " + ".join(EE) + ")"
    er_total = "(" + " + ".join(ER) + ")"
    taxable = (f"q.income_before + {gross} - par.basic_monthly * (q.months_before + 1) - q.contributions_before "
               f"- {ee_total} - COALESCE(dd.amount, 0)")
    return f"""declared AS (
    SELECT q.worker_id, CAST(SUM(d.monthly_fen * CASE WHEN {hi} >= {lo} THEN {hi} - {lo} + 1 ELSE 0 END) AS BIGINT)
               AS amount
    FROM pre q JOIN tax_deduction d ON d.worker_id = q.worker_id
    WHERE d.from_month <= :month AND (d.to_month IS NULL OR d.to_month >= :year_first)
    GROUP BY q.worker_id
),
costed AS MATERIALIZED (
    SELECT q.*, {top} AS floor_top_up, {month_pay} AS month_pay, {gross} AS gross,
           par.tax_v, par.city_bp, {ee_total} AS ee_total, {er_total} AS er_total,
           {", ".join(f"{e} AS ee_{k}" for e, k in zip(EE, rules.INSURANCES, strict=True))},
           {", ".join(f"{e} AS er_{k}" for e, k in zip(ER, rules.INSURANCES, strict=True))},
           q.income_before + {gross} AS income_to_date,
           par.basic_monthly * (q.months_before + 1) AS basic_deduction_to_date,
           q.contributions_before + {ee_total} AS contributions_to_date,
           COALESCE(dd.amount, 0) AS special_deductions_to_date,
           CASE WHEN {taxable} > 0 THEN {taxable} ELSE 0 END AS taxable_to_date
    FROM pre q JOIN par ON par.jur = q.jurisdiction
    LEFT JOIN declared dd ON dd.worker_id = q.worker_id
)"""


def _select_sql() -> str:
    """The payslip columns: the tax due by the band of the taxable income
    (``rules.tax_on``), the withholding (``rules.withholding``), net pay and
    ``rules.split_cost``."""
    due = "COALESCE((q.taxable_to_date * tb.rate + 50) / 100 - tb.quick, 0)"
    owed = f"({due} - q.tax_withheld_before)"
    tax = f"CASE WHEN {owed} > 0 THEN {owed} ELSE 0 END"
    total = "(q.gross + q.er_total)"
    city = f"(({total}) * q.city_bp + 5000) / 10000"
    return f"""SELECT q.worker_id, q.jurisdiction, q.community_code, q.pool_key, q.post, q.grade, q.score_centi,
       q.service_years, q.grade_pay, q.welfare, q.certificate_allowance, q.service_allowance, q.talent_allowance,
       q.bonus_pool, q.bonus_share, q.paid_days, q.paid_days_to_date, q.floor_to_date,
       q.months_before + 1 AS months_to_date, q.paid_before, q.paid_before + q.month_pay AS paid_to_date,
       q.floor_top_up, q.arrears, q.rewards, q.gross, q.contribution_wage, q.cbase AS contribution_base,
       {", ".join(f"q.er_{k}" for k in rules.INSURANCES)}, q.er_total AS employer_total,
       {", ".join(f"q.ee_{k}" for k in rules.INSURANCES)}, q.ee_total AS worker_deductions,
       q.income_to_date, q.basic_deduction_to_date, q.contributions_to_date, q.special_deductions_to_date,
       q.taxable_to_date, {due} AS tax_due_to_date, q.tax_withheld_before, {tax} AS income_tax,
       q.gross - q.ee_total - {tax} AS net_pay, {total} AS total_cost,
       {city} AS city_share, {total} - {city} AS district_share
FROM costed q
LEFT JOIN tband tb ON tb.v = q.tax_v AND q.taxable_to_date > tb.lo AND q.taxable_to_date <= tb.hi
"""
