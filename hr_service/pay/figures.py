"""The policy figures of a pay run: resolved per worker jurisdiction as
``rules.PayFigures`` and bound into the statement as small ``VALUES`` tables."""
from __future__ import annotations

from datetime import date

import msgspec
from sqlalchemy.orm import Session

from hr_service import rules
from shared.errors import NotFound
from shared.policy import Policies, PolicyBook

KEYS = {"pay_scale": "scale", "insurance": "insurance", "cost_split": "split", "bonus_pool": "bonus",
        "allowances": "allowances", "average_wage": "wage", "income_tax": "tax", "proration": "proration"}
"""The policy keys a payslip reads → the ``rules.PayFigures`` field each fills."""

REQUIRED = ("pay_scale", "insurance", "cost_split")
"""Without these there is no pay; the others have a time before their first
version (no bonus pool before 2004, no allowance, no floor before 2009), or
a default (the 2018 tax table, D-13; 21.75 paid days, D-15)."""

PAR = [("jur", "str"), ("scale_v", "int"), ("allow_v", "int"), ("welfare", "int"), ("ratio_bp", "int"),
       ("default_score", "int"), ("floor_annual", "int"),
       *[(f"{side}_{k}_bp", "int") for k in rules.INSURANCES for side in ("er", "ee")],
       ("base_min", "int"), ("base_max", "int"), ("city_bp", "int"), ("tax_v", "int"), ("basic_monthly", "int"),
       ("month_days", "int")]
"""The columns of ``par``: one row of figures per worker jurisdiction."""


class Figures(msgspec.Struct):
    """The rows of the run's ``VALUES`` tables, and the policy versions used per
    jurisdiction. The pay scale and the allowances are keyed by policy version
    (districts mostly share their city's)."""

    rates: list[tuple] = []
    par: list[tuple] = []
    bands_of_tax: list[tuple] = []
    certs: list[tuple] = []
    bands: list[tuple] = []
    used: dict = {}


def figures_in_force(book: PolicyBook, jurisdiction: str, as_of: date) -> tuple[rules.PayFigures, dict[str, int]]:
    """The figures in force for ``jurisdiction`` on ``as_of`` and the id of each
    version used; a required key with no version is 404."""
    values: dict = {}
    used: dict[str, int] = {}
    for key, field in KEYS.items():
        try:
            v = book.version_in_force(key, jurisdiction, as_of)
        except NotFound:
            if key in REQUIRED:
                raise
            continue
        used[key] = v.id
        values[field] = book.in_force(key, jurisdiction, as_of)
    return rules.PayFigures(**values), used


def pay_book(session: Session, policies: Policies) -> PolicyBook:
    """Every version of the keys a payslip reads, to resolve many months in memory."""
    return policies.book(session, tuple(KEYS))


def figures(session: Session, policies: Policies, jurisdictions: list[str], as_of: date) -> Figures:
    """Every jurisdiction's figures in force on ``as_of`` as ``VALUES`` rows."""
    return figures_from(pay_book(session, policies), jurisdictions, as_of)


def figures_from(book: PolicyBook, jurisdictions: list[str], as_of: date) -> Figures:
    """``figures`` from versions already read."""
    f = Figures()
    seen_scales: set[int] = set()
    seen_allowances: set[int] = set()
    seen_tax: set[int] = set()
    for j in jurisdictions:
        pf, used = figures_in_force(book, j, as_of)
        f.used[j] = used
        scale_v, allow_v = used["pay_scale"], used.get("allowances", 0)
        if scale_v not in seen_scales:
            seen_scales.add(scale_v)
            for post, ps in pf.scale.posts.items():
                f.rates.extend((scale_v, post, g, ps.amount(g)) for g in range(ps.low, ps.high + 1))
        if allow_v not in seen_allowances:
            seen_allowances.add(allow_v)
            f.certs.extend((allow_v, level, amount) for level, amount in pf.allowances.certificate.items())
            f.bands.extend((allow_v, *band) for band in service_band_ranges(pf.allowances))
        tax_v = used.get("income_tax", 0)
        if tax_v not in seen_tax:
            seen_tax.add(tax_v)
            f.bands_of_tax.extend((tax_v, *band) for band in tax_band_ranges(pf.tax))
        f.par.append(par_row(j, scale_v, allow_v, tax_v, pf))
    return f


def service_band_ranges(allowances: rules.Allowances) -> list[tuple[int, int, int]]:
    """D-3's bands as (from years, to years, fen a month), so that the band of
    ``rules.service_allowance`` is the one whose range holds the years."""
    bands = allowances.service_bands
    return [(b.from_years, bands[i + 1].from_years - 1 if i + 1 < len(bands) else 1000, b.monthly_fen)
            for i, b in enumerate(bands)]


TOP = 9_000_000_000_000_000
"""The upper bound written for the tax table's last band (which has none)."""


def tax_band_ranges(tax: rules.IncomeTax) -> list[tuple[int, int, int, int]]:
    """D-13's annual table as (above, up to, rate %, quick deduction): the band
    of a taxable income ``x`` is the one with ``above < x <= up to``."""
    out, lower = [], 0
    for band in tax.bands:
        upper = TOP if band.upto_fen is None else band.upto_fen
        out.append((lower, upper, band.rate_pct, band.quick_fen))
        lower = upper
    return out


def par_row(jurisdiction: str, scale_v: int, allow_v: int, tax_v: int, pf: rules.PayFigures) -> tuple:
    """One ``par`` row (``PAR``'s columns) for a jurisdiction's figures."""
    ins = pf.insurance
    rates = [getattr(getattr(ins, k), a) for k in rules.INSURANCES for a in ("employer_bp", "worker_bp")]
    return (jurisdiction, scale_v, allow_v, pf.scale.welfare_fen, pf.bonus.ratio_bp, pf.bonus.default_score,
            pf.wage.annual_fen, *rates, ins.floor_fen, ins.ceiling_fen, pf.split.city_bp, tax_v,
            pf.tax.basic_monthly_fen, pf.proration.paid_days_centi)
