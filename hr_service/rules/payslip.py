"""A month's payslips for one bonus pool (a community, or a worker without
one), composed from the parts in ``hr_service.rules.pay``.

This is the specification the pay run (``hr_service.pay``) implements in one
set-based statement; the property tests hold the two to the fen.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import msgspec

from hr_service.rules.pay import (
    INSURANCES,
    Allowances,
    AverageWage,
    BonusPool,
    CostSplit,
    Insurance,
    bonus_shares,
    contribution_base,
    contributions,
    floor_to_date,
    floor_top_up,
    service_allowance,
    split_cost,
)
from hr_service.rules.scale import PayScale, grade_pay


class PayFigures(msgspec.Struct, frozen=True):
    """The policy figures in force for one jurisdiction on a month's last day.
    Before their first versions there is no bonus pool (S4-12, 2004), no
    allowance (D-3) and no floor (S0-2, 2009): the defaults here."""

    scale: PayScale
    insurance: Insurance
    split: CostSplit
    bonus: BonusPool = msgspec.field(default_factory=lambda: BonusPool(ratio_bp=0))
    allowances: Allowances = msgspec.field(default_factory=lambda: Allowances(certificate={}, service_bands=[]))
    wage: AverageWage = msgspec.field(default_factory=lambda: AverageWage(0, 0))


class GradeRecord(msgspec.Struct, frozen=True):
    """A row of a worker's grade history: a post and grade from a date;
    ``superseded`` when a correction from an earlier date replaced it (D-12)."""

    id: int
    effective_on: date
    post: str
    grade: int
    superseded: bool = False


def grade_in_force(history: Iterable[GradeRecord], day: date) -> GradeRecord | None:
    """S4-10, D-2, D-12: the post and grade in force on ``day`` are those of the
    grade-history row with the latest effective date on or before it (of rows
    of the same date, the one recorded last: the highest id), leaving out the
    rows a correction from an earlier date superseded; none before the first.
    So a row recorded today for a past date counts from that date, and no
    later than the next row in date order."""
    rows = [r for r in history if r.effective_on <= day and not r.superseded]
    return max(rows, key=lambda r: (r.effective_on, r.id), default=None)


class Earner(msgspec.Struct, frozen=True):
    """One worker's facts for a month, as of its last day: the post and grade
    in force (``grade_in_force``), the performance score
    (``rules.performance_score``), the years of service
    (``rules.service_years``), the certificate and leader-talent allowances
    due, the year so far (months paid and pay and welfare paid before this
    month), the arrears and recoveries this payslip makes good for earlier
    months (D-12, ``rules.arrears``), and the worker's id (which breaks ties
    in sharing the pool)."""

    post: str
    grade: int
    score_centi: int
    service_years: int
    certificate_allowance: int = 0
    talent_allowance: int = 0
    months_before: int = 0
    paid_before: int = 0
    arrears: int = 0
    worker_id: int = 0


class PayLines(msgspec.Struct, frozen=True):
    """Every amount of one payslip, in fen (``months_to_date`` a count)."""

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
    arrears: int
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


def payslip_lines(m: Earner, pay: int, pool: int, share: int, f: PayFigures) -> PayLines:
    """One worker's lines once the pool is shared: grade pay (S4-10, D-2) +
    welfare (S4-9) + allowances (D-3, D-7) + bonus share (S4-12, S2-5) is the
    pay before the floor; the top-up lifts the year so far to the floor
    (S0-2); the arrears (or recoveries) of earlier months (D-12) are added to
    the gross and so to the net pay, but not to the year so far of the floor
    nor to the contribution base (contributions are on this month's pay: the
    bounded base, S4-11, S0-2); the cost, arrears included, splits between
    city and district (S0-2)."""
    service = service_allowance(m.service_years, f.allowances)
    before = pay + f.scale.welfare_fen + m.certificate_allowance + m.talent_allowance + service + share
    top = floor_top_up(f.wage.annual_fen, m.months_before, m.paid_before, before)
    month_pay = before + top
    gross = month_pay + m.arrears
    er, ee = contributions(month_pay, f.insurance)
    total = gross + sum(er.values())
    city, district = split_cost(total, f.split)
    return PayLines(
        grade_pay=pay, welfare=f.scale.welfare_fen, certificate_allowance=m.certificate_allowance,
        service_allowance=service, talent_allowance=m.talent_allowance, bonus_pool=pool, bonus_share=share,
        floor_to_date=floor_to_date(f.wage.annual_fen, m.months_before), months_to_date=m.months_before + 1,
        paid_before=m.paid_before, paid_to_date=m.paid_before + month_pay, floor_top_up=top, arrears=m.arrears,
        gross=gross, contribution_base=contribution_base(month_pay, f.insurance),
        **{f"er_{k}": er[k] for k in INSURANCES}, employer_total=sum(er.values()),
        **{f"ee_{k}": ee[k] for k in INSURANCES}, worker_deductions=sum(ee.values()),
        net_pay=gross - sum(ee.values()), total_cost=total, city_share=city, district_share=district,
    )


def pool_payslips(members: list[Earner], f: PayFigures) -> list[PayLines]:
    """The payslips of one bonus pool's members, in their order: the pool is
    30% of their grade pay (S4-12), shared by grade pay × score and paid in
    full (S2-5, ``bonus_shares``; ties to the lower ``worker_id``)."""
    pays = [grade_pay(f.scale, m.post, m.grade) for m in members]
    pool, shares = bonus_shares([(p, m.score_centi) for p, m in zip(pays, members, strict=True)], f.bonus,
                                [m.worker_id for m in members])
    return [payslip_lines(m, p, pool, s, f) for m, p, s in zip(members, pays, shares, strict=True)]
