"""A step the payroll features share (D-16): the office whose one officer
prepares the pay and another approves it. Imported by the step modules of
features/hr/pay/payroll_year.feature and declarations.feature, whose ``ctx``
fixtures carry the suite."""
from __future__ import annotations

from pytest_bdd import given, parsers


@given(parsers.parse('the payroll office of "{district}": "{maker}" prepares the pay and "{checker}" approves it'))
def payroll_office(ctx, district, maker, checker):
    suite = ctx["suite"]
    ctx["district"] = district
    ctx["maker"] = suite.hr.as_(suite.create_user(maker, "hr_officer", district))
    ctx["checker"] = suite.hr.as_(suite.create_user(checker, "hr_officer", district))
