"""The decision of the step increment (S4-10) for every worker in scope, as
one SQL statement: the policy versions it binds and the ``CASE`` that is
``rules.next_grade``. Shared by the 1 July run and the supplementary run (D-12)."""
from __future__ import annotations

from datetime import date

import msgspec
from sqlalchemy.orm import Session

from hr_service import rules
from hr_service.sqlbits import in_scope, literal, values_cte, ymd, ymd_of
from shared.policy import Policies


class Params(msgspec.Struct):
    """What the decision statement binds: the bands of each pay scale version,
    one row per worker jurisdiction (its scale version and step rule), the
    policy versions used, and the jurisdictions whose step date this is not."""

    bands: list[tuple] = []
    rule_rows: list[tuple] = []
    used: dict = {}
    not_due: list[str] = []


def rule_params(session: Session, policies: Policies, jurisdictions: list[str], effective_on: date) -> Params:
    """Per worker jurisdiction: the step rule and the pay scale in force on the
    date (bands keyed by the scale's version, which districts mostly share
    with their city), and the ids of the policy versions used."""
    book = policies.book(session, ("step_rule", "pay_scale"))
    out = Params()
    seen: set[int] = set()
    for j in jurisdictions:
        rv = book.version_in_force("step_rule", j, effective_on)
        rule: rules.StepRule = book.in_force("step_rule", j, effective_on)
        if not rule.falls_on(effective_on):
            out.not_due.append(j)
            continue
        sv = book.version_in_force("pay_scale", j, effective_on)
        if sv.id not in seen:
            seen.add(sv.id)
            scale: rules.PayScale = book.in_force("pay_scale", j, effective_on)
            out.bands.extend((sv.id, post, ps.low, ps.high) for post, ps in scale.posts.items())
        cutoff = ymd_of(rules.step_cutoff(effective_on, rule.interval_years))
        out.rule_rows.append((j, sv.id, rule.interval_years, 1 if rule.early_step else 0, cutoff))
        out.used[j] = {"step_rule": rv.id, "pay_scale": sv.id}
    return out


def decision_sql(d: str, p: dict, jurisdiction: str, params: Params, *, supplementary: bool = False) -> str:
    """The decision of ``rules.next_grade`` for every worker on the rolls on
    the date (``rules.on_rolls_during``) and not yet decided: (worker_id,
    jurisdiction, post, from_grade, to_grade, outcome, assessment_grade). The
    CASE takes the rule's tests in the rule's order.

    The 1 July run leaves out the workers with an outcome for the date. A
    supplementary run (补晋档, D-12) takes every worker not moved on the date,
    by the assessments recorded now; one whose grade history changes after
    the date is not moved by it (``changed_since``: a grade correction is the
    way to mend that)."""
    scope = in_scope("w", p, jurisdiction)
    decided_before = "" if supplementary else (
        "AND NOT EXISTS (SELECT 1 FROM step_outcome o WHERE o.worker_id = w.id AND o.effective_on = :eff)")
    changed_since = ("WHEN EXISTS (SELECT 1 FROM grade_change g2 WHERE g2.worker_id = s.id AND g2.effective_on > :eff"
                     " AND g2.superseded_by IS NULL) THEN 'changed_since'") if supplementary else ""
    band_cte = values_cte("band", [("v", "int"), ("post", "str"), ("low", "int"), ("high", "int")], params.bands)
    rule_cte = values_cte("rp", [("jur", "str"), ("scale_v", "int"), ("n", "int"), ("early", "int"),
                                 ("cutoff", "int")], params.rule_rows)
    p["from_year"] = min(rules.first_year_read(p["eff"], r[2]) for r in params.rule_rows)
    p["ay_end"] = rules.assessment_year_end(p["eff"])
    early_years, excellent = rules.EARLY_STEP_YEARS, literal(rules.EXCELLENT, "str")
    passing = ", ".join(literal(g, "str") for g in rules.PASSING)
    no_move = "\n        ".join(f"WHEN h.last_grade = {literal(g, 'str')} THEN {literal(o, 'str')}"
                                  for g, o in rules.NO_MOVE_FOR.items())
    return f"""
WITH {band_cte}, {rule_cte},
scope AS (
    SELECT w.id, w.jurisdiction, w.post, w.grade, w.hired_on, w.last_step_on
    FROM worker w JOIN rp ON rp.jur = w.jurisdiction
    WHERE {scope} AND w.hired_on <= :eff AND (w.left_on IS NULL OR w.left_on >= :eff)
      {decided_before}
      AND NOT EXISTS (SELECT 1 FROM grade_change g
                      WHERE g.worker_id = w.id AND g.effective_on = :eff AND g.kind = 'step'
                        AND g.superseded_by IS NULL)
),
hist AS (
    SELECT a.worker_id,
           MAX(CASE WHEN a.year = :ay THEN a.grade END) AS last_grade,
           SUM(CASE WHEN a.year > :ay - rp.n AND a.grade IN ({passing}) THEN 1 ELSE 0 END) AS passes,
           SUM(CASE WHEN a.year > :ay - {early_years} AND a.grade = {excellent} THEN 1 ELSE 0 END) AS excellent
    FROM assessment a JOIN scope s ON s.id = a.worker_id JOIN rp ON rp.jur = s.jurisdiction
    WHERE a.year BETWEEN :from_year AND :ay
    GROUP BY a.worker_id
),
decided AS (
    SELECT s.id, s.jurisdiction, s.post, s.grade, h.last_grade,
      CASE
        {changed_since}
        WHEN b.high IS NULL THEN 'post_not_in_scale'
        WHEN h.last_grade IS NULL AND s.hired_on > :ay_end THEN 'hired_after_assessment_year'
        WHEN h.last_grade IS NULL THEN 'no_assessment'
        {no_move}
        WHEN NOT (rp.early = 1 AND h.excellent >= {early_years})
             AND (h.passes < rp.n OR (s.last_step_on IS NOT NULL AND {ymd('s.last_step_on', d)} > rp.cutoff))
          THEN 'interval_not_elapsed'
        WHEN s.grade >= b.high THEN 'top_of_band'
        ELSE 'advanced'
      END AS outcome
    FROM scope s
    JOIN rp ON rp.jur = s.jurisdiction
    LEFT JOIN band b ON b.v = rp.scale_v AND b.post = s.post
    LEFT JOIN hist h ON h.worker_id = s.id
)
SELECT id AS worker_id, jurisdiction, post, grade AS from_grade,
       CASE WHEN outcome = 'advanced' THEN grade + 1 ELSE grade END AS to_grade, outcome,
       last_grade AS assessment_grade
FROM decided"""


def temp_table(d: str) -> str:
    return "pg_temp.step_decision" if d == "postgresql" else "temp.step_decision"
