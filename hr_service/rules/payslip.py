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
    Proration,
    bonus_shares,
    contribution_base,
    contributions,
    floor_to_date,
    floor_top_up,
    prorate,
    service_allowance,
    split_cost,
)
from hr_service.rules.scale import PayScale, grade_pay
from hr_service.rules.tax import IncomeTax, withholding


class PayFigures(msgspec.Struct, frozen=True):
    """The policy figures in force for one jurisdiction on a month's last day.
    Before their first versions there is no bonus pool (S4-12, 2004), no
    allowance (D-3) and no floor (S0-2, 2009): the defaults here. Without a
    version of its own, income tax is withheld by the 2018 table (D-13) and a
    month has 21.75 paid days (D-15)."""

    scale: PayScale
    insurance: Insurance
    split: CostSplit
    bonus: BonusPool = msgspec.field(default_factory=lambda: BonusPool(ratio_bp=0))
    allowances: Allowances = msgspec.field(default_factory=lambda: Allowances(certificate={}, service_bands=[]))
    wage: AverageWage = msgspec.field(default_factory=lambda: AverageWage(0, 0))
    tax: IncomeTax = msgspec.field(default_factory=IncomeTax)
    proration: Proration = msgspec.field(default_factory=Proration)


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
    due, the month's paid days (``rules.paid_days``, hundredths; None for a
    whole month, D-15), the year so far (months paid, paid days, pay and
    welfare, income, employee contributions and tax withheld before this
    month), the arrears and recoveries this payslip makes good for earlier
    months (D-12, ``rules.arrears``), the rewards it pays (S4-13), the wage
    contributions are declared on (``rules.declared_wage`` without the
    starting wage: None for a new hire, D-14), the deductions declared to
    date (``rules.declared_to_date``, D-13), and the worker's id (which
    breaks ties in sharing the pool)."""

    post: str
    grade: int
    score_centi: int
    service_years: int
    certificate_allowance: int = 0
    talent_allowance: int = 0
    paid_days: int | None = None
    months_before: int = 0
    paid_days_before: int = 0
    paid_before: int = 0
    arrears: int = 0
    rewards: int = 0
    contribution_wage: int | None = None
    income_before: int = 0
    contributions_before: int = 0
    tax_withheld_before: int = 0
    special_deductions_to_date: int = 0
    worker_id: int = 0


class PayLines(msgspec.Struct, frozen=True):
    """Every amount of one payslip, in fen (``paid_days`` and
    ``paid_days_to_date`` in hundredths of a day, ``months_to_date`` a count)."""

    grade_pay: int
    welfare: int
    certificate_allowance: int
    service_allowance: int
    talent_allowance: int
    bonus_pool: int
    bonus_share: int
    paid_days: int
    paid_days_to_date: int
    floor_to_date: int
    months_to_date: int
    paid_before: int
    paid_to_date: int
    floor_top_up: int
    arrears: int
    rewards: int
    gross: int
    contribution_wage: int
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
    income_to_date: int
    basic_deduction_to_date: int
    contributions_to_date: int
    special_deductions_to_date: int
    taxable_to_date: int
    tax_due_to_date: int
    tax_withheld_before: int
    income_tax: int
    net_pay: int
    total_cost: int
    city_share: int
    district_share: int


def starting_wage(m: Earner, f: PayFigures) -> int:
    """D-14: a new hire's starting wage: the whole month's grade pay, welfare
    and allowances (the bonus share and the top-up are not known in advance)."""
    return (grade_pay(f.scale, m.post, m.grade) + f.scale.welfare_fen + m.certificate_allowance
            + m.talent_allowance + service_allowance(m.service_years, f.allowances))


def payslip_lines(m: Earner, pay: int, pool: int, share: int, f: PayFigures) -> PayLines:
    """One worker's lines once the pool is shared (``pay`` the grade pay for
    the month's paid days). Grade pay (S4-10, D-2) + welfare (S4-9) +
    allowances (D-3, D-7), each for the paid days (D-15), + bonus share
    (S4-12, S2-5) is the pay before the floor; the top-up lifts the year so
    far to the floor for the paid days (S0-2). The arrears (or recoveries) of
    earlier months (D-12) and the rewards (S4-13) are added to the gross, but
    not to the year so far of the floor. Contributions are on the declared
    wage held within the floor and ceiling (D-14), for every month on the
    payroll. Income tax is withheld on the year so far (D-13). The cost,
    arrears and rewards included, splits between city and district (S0-2)."""
    days = f.proration.paid_days_centi if m.paid_days is None else m.paid_days
    service = prorate(service_allowance(m.service_years, f.allowances), days, f.proration)
    welfare = prorate(f.scale.welfare_fen, days, f.proration)
    certificate = prorate(m.certificate_allowance, days, f.proration)
    talent = prorate(m.talent_allowance, days, f.proration)
    before = pay + welfare + certificate + talent + service + share
    days_to_date = m.paid_days_before + days
    top = floor_top_up(f.wage.annual_fen, days_to_date, m.paid_before, before, f.proration)
    month_pay = before + top
    gross = month_pay + m.arrears + m.rewards
    wage = m.contribution_wage if m.contribution_wage is not None else starting_wage(m, f)
    base = contribution_base(wage, f.insurance)
    er, ee = contributions(base, f.insurance)
    ee_total = sum(ee.values())
    tax = withholding(m.income_before + gross, m.months_before + 1, m.contributions_before + ee_total,
                      m.special_deductions_to_date, m.tax_withheld_before, f.tax)
    total = gross + sum(er.values())
    city, district = split_cost(total, f.split)
    return PayLines(
        grade_pay=pay, welfare=welfare, certificate_allowance=certificate, service_allowance=service,
        talent_allowance=talent, bonus_pool=pool, bonus_share=share, paid_days=days, paid_days_to_date=days_to_date,
        floor_to_date=floor_to_date(f.wage.annual_fen, days_to_date, f.proration), months_to_date=m.months_before + 1,
        paid_before=m.paid_before, paid_to_date=m.paid_before + month_pay, floor_top_up=top, arrears=m.arrears,
        rewards=m.rewards, gross=gross, contribution_wage=wage, contribution_base=base,
        **{f"er_{k}": er[k] for k in INSURANCES}, employer_total=sum(er.values()),
        **{f"ee_{k}": ee[k] for k in INSURANCES}, worker_deductions=ee_total,
        **msgspec.structs.asdict(tax),
        net_pay=gross - ee_total - tax.income_tax, total_cost=total, city_share=city, district_share=district,
    )


def pool_payslips(members: list[Earner], f: PayFigures) -> list[PayLines]:
    """The payslips of one bonus pool's members, in their order: each grade
    pay for the paid days (D-15); the pool is 30% of them (S4-12), shared by
    grade pay × score and paid in full (S2-5, ``bonus_shares``; ties to the
    lower ``worker_id``)."""
    full = f.proration.paid_days_centi
    pays = [prorate(grade_pay(f.scale, m.post, m.grade), full if m.paid_days is None else m.paid_days, f.proration)
            for m in members]
    pool, shares = bonus_shares([(p, m.score_centi) for p, m in zip(pays, members, strict=True)], f.bonus,
                                [m.worker_id for m in members])
    return [payslip_lines(m, p, pool, s, f) for m, p, s in zip(members, pays, shares, strict=True)]
