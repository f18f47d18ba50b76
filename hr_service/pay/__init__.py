"""Monthly pay: one worker's payslip and the pay run of a jurisdiction, set-based.

A pay run for a month is one ``INSERT INTO payslip … SELECT`` over every
worker on the rolls in the month (hired on or before its last day, not left
before its first), with the policy figures in force on the month's last day
for each worker's jurisdiction bound as small ``VALUES`` tables. Per worker,
in fen:

grade pay (S4-10, D-2)
    ``pay_scale[post][grade]`` for the post and grade in force on the month's
    last day (``rules.grade_in_force``: the grade-history row with the latest
    effective date by then, the last recorded of that date, leaving out rows
    a correction superseded), so a 1 July step pays from July, a row recorded
    later for a past date pays from that date, and a table replaced mid-year
    pays from its month.
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
    that month, shared by ``grade_pay × score`` (``score`` being the
    performance score of their latest assessment before this year, the
    policy's ``default_score`` without one) and paid in full by the largest
    remainders (``rules.bonus_shares``): each gets the floor of its exact
    share, and the fen left over go one each to the largest remainders (ties:
    the larger weight, then the lower worker id). Equal scores give everyone
    30% of their own grade pay, give or take a fen; better scores take more.
    A worker without a community is a pool of one. Only a pool with no weight
    at all (every score 0) is left unpaid, reported as ``unallocated``.
floor top-up (S0-2)
    ``floor_to_date = round(average_wage × (months paid this year incl. this) / 12)``;
    ``top_up = max(0, floor_to_date − pay and welfare paid earlier this year −
    this month's pay and welfare before top-up)``. The annual floor is spread
    evenly over the months on the payroll; a higher average wage from a later
    month catches up the earlier months in its first month.
arrears (D-12)
    the sum of the run's lines making good earlier, closed months
    (``hr_service.pay.arrears``): arrears (补发) above zero, recoveries (扣回)
    below. They are added to the gross and the net pay, and so to the cost,
    but not to the contribution base nor to the year so far of the floor.
gross
    grade pay + welfare + allowances (certificate, service, leader talent) + bonus
    share + top-up ("pay and welfare"), + arrears.
insurance and housing fund (S4-11, S0-2)
    each employer and worker contribution is ``round(base × rate)``, the base
    being the month's pay and welfare (gross without arrears) held within the
    policy's minimum and maximum. Net pay is gross − the worker's
    contributions (income tax is not computed here).
cost split (S0-2)
    total cost = gross + employer contributions; the city bears
    ``round(total × 50%)`` and the district the rest.

A draft run may be computed again (its payslips and adjustment lines are
replaced); submitted, it waits for another officer to approve it (closed) or
reject it (a draft again, D-16); a closed month is immutable (409): a change
reaching back into it is made good by the next run (``recheck_paid_months``,
D-12). Months of a
year are meant to be run in order: the top-up reads the payslips of the
year's earlier months.

``rules.pool_payslips`` states all of this for one pool in plain Python; the
statement here implements it for every pool at once.

- ``figures``: the policy figures in force, bound as ``VALUES`` tables.
- ``sql``: the payslip statement.
- ``run``: pay runs (compute, recompute).
- ``approval``: D-16 maker-checker (submit, approve, reject), the run's log
  and the approver's review.
- ``bank``: bank accounts and the bank payment file of an approved run (D-16).
- ``arrears``: rechecks of paid months and their adjustment lines (D-12).
- ``payslips``: stored payslips, previews, listings.
"""
from __future__ import annotations

from hr_service.pay.approval import approve_pay_run, reject_pay_run, submit_pay_run
from hr_service.pay.arrears import recheck_paid_months
from hr_service.pay.payslips import (
    AdjustmentLine,
    PayslipOut,
    PayslipRow,
    list_payslips,
    month_range,
    payslip_of,
    stored_payslips,
)
from hr_service.pay.run import PayRunOut, run_out, run_pay
from hr_service.pay.sql import COLUMNS

__all__ = [
    "COLUMNS", "AdjustmentLine", "PayRunOut", "PayslipOut", "PayslipRow", "approve_pay_run", "list_payslips",
    "month_range", "payslip_of", "recheck_paid_months", "reject_pay_run", "run_out", "run_pay", "stored_payslips",
    "submit_pay_run",
]
