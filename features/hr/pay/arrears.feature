@clause:D-12
Feature: A change reaching back into paid months is made good on the next payslip
  Clause D-12: "A change reaching back into paid months is made good on the next
  payslip, one arrears (补发) or recovery (扣回) line per month covered; a closed
  pay run is never rewritten."
  — the next pay run computes each closed month again as the pay rules give it
  now and pays (or recovers) the difference from what was paid for it. The lines
  are added to the gross and the net pay, not to the contribution base nor to
  the year so far of the floor.

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And a "正职" worker "王芳" at grade 12 hired on "2020-03-01"
    And the officer has run and closed the pay of "hangzhou.gongshu" for every month from "2025-01" to "2025-03"

  Scenario: A grade raised from a past date is paid as arrears, one line per month
    # 正职 grade 12 → 15 is 900.00 yuan more grade pay and 270.00 more of her pool (30%, S4-12)
    When HR corrects the grade of "王芳" to 15 from "2025-02-01" because "grade wrong since February"
    And the officer runs the pay of "hangzhou.gongshu" for "2025-04"
    Then the payslip of "王芳" for "2025-04" makes good "2025-02" with arrears of 1,170.00 yuan
    And the payslip of "王芳" for "2025-04" makes good "2025-03" with arrears of 1,170.00 yuan
    And the payslip of "王芳" for "2025-04" makes good 2 months, for "grade wrong since February"
    And the payslip of "王芳" for "2025-04" shows arrears of 2,340.00 yuan in its pay and welfare
    And the payslip of "王芳" for "2025-02" shows grade 12 and grade pay 11,900.00 yuan

  Scenario: A grade lowered from a past date is recovered
    When HR corrects the grade of "王芳" to 10 from "2025-01-01" because "grade set too high at hire"
    And the officer runs the pay of "hangzhou.gongshu" for "2025-04"
    Then the payslip of "王芳" for "2025-04" makes good "2025-01" with a recovery of 780.00 yuan
    And the payslip of "王芳" for "2025-04" makes good 3 months, for "grade set too high at hire"
    And the payslip of "王芳" for "2025-04" shows arrears of -2,340.00 yuan in its pay and welfare

  Scenario: An allowance registered late is paid for the closed months
    Given "王芳" registered a "社会工作师" certificate on "2025-02-10" valid until "2028-02-09"
    When the officer runs the pay of "hangzhou.gongshu" for "2025-04"
    Then the payslip of "王芳" for "2025-04" makes good "2025-02" with arrears of 400.00 yuan
    And the payslip of "王芳" for "2025-04" makes good "2025-03" with arrears of 400.00 yuan
    And the payslip of "王芳" for "2025-04" shows a certificate allowance of 400.00 yuan

  Scenario: Computed again, the draft gives the same lines; closed, it settles them
    When HR corrects the grade of "王芳" to 15 from "2025-03-01" because "grade wrong since March"
    And the officer runs the pay of "hangzhou.gongshu" for "2025-04"
    And the officer runs the pay of "hangzhou.gongshu" for "2025-04"
    Then the payslip of "王芳" for "2025-04" makes good 1 month, for "grade wrong since March"
    When the officer closes the pay run
    And the officer runs the pay of "hangzhou.gongshu" for "2025-05"
    Then the payslip of "王芳" for "2025-05" makes good 0 months
    And the payslip of "王芳" for "2025-05" shows arrears of 0.00 yuan in its pay and welfare

  @clause:S4-10
  Scenario: A late assessment's step, by a supplementary run, is paid back to 1 July
    # 正职 grade 12 → 13 is 300.00 yuan more grade pay and 90.00 more of her pool (30%, S4-12)
    Given the officer has run the step increment effective "2025-07-01"
    And the officer has run and closed the pay of "hangzhou.gongshu" for every month from "2025-04" to "2025-08"
    And "王芳" was assessed "合格" for 2024
    When the officer runs a supplementary step run effective "2025-07-01" because "2024 assessment recorded late"
    And the officer runs the pay of "hangzhou.gongshu" for "2025-09"
    Then the payslip of "王芳" for "2025-09" makes good "2025-07" with arrears of 390.00 yuan
    And the payslip of "王芳" for "2025-09" makes good "2025-08" with arrears of 390.00 yuan
    And the payslip of "王芳" for "2025-09" makes good 2 months
    And the payslip of "王芳" for "2025-09" shows grade 13 and grade pay 12,200.00 yuan
    And the payslip of "王芳" for "2025-07" shows grade 12 and grade pay 11,900.00 yuan
