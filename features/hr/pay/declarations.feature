Feature: The records the payroll reads: declared deductions, contribution wages and unpaid absence
  Clause D-13: "cumulative taxable income = cumulative gross − 5,000 yuan × months employed by
  this employer this year − cumulative employee social insurance and housing fund − cumulative
  special additional deductions (专项附加扣除) − other allowed deductions".
  Clause D-14: "Social insurance and housing fund (住房公积金) are charged on a declared monthly
  base per contribution year …, clamped to the city's floor and ceiling".
  Clause D-15: "joiners, leavers and unpaid absence are paid for the days employed in the
  month, on 21.75 paid days a month."
  — a worker declares their deductions on their own page (or HR records them), by the kinds,
  maxima and exclusions of the income tax policy in force on the first day of the declaration;
  a declaration may start from the worker's hire month to December of this year. HR declares the
  wage a year's contributions are charged on, and records unpaid absence; an absence reaching
  into a month already paid is made good by the next pay run (D-12).

  Background:
    Given the payroll office of "hangzhou.gongshu": "maker" prepares the pay and "checker" approves it
    And "王芳", a "正职" at grade 12 without a community, hired on "2020-03-01"
    And "王芳" signs in to her own page as "wangfang"

  @clause:D-13
  Scenario: A worker declares children's education for each of two children
    When "王芳" declares "children_education" of 2,000.00 yuan a month from January this year for "大宝"
    And "王芳" declares "children_education" of 2,000.00 yuan a month from January this year for "小宝"
    Then the answer is 201
    And HR reads the declarations of "王芳": "children_education" for "大宝" and "小宝", recorded by "wangfang"
    # the cumulative method counts each child from the first month on the payroll this year
    And the payslip of "王芳" for January this year counts 4,000.00 yuan of special deductions to date

  @clause:D-13
  Scenario: Housing rent beside housing loan interest is refused for the same months
    Given "王芳" declared "children_education" of 2,000.00 yuan a month from January this year for "大宝"
    And "王芳" declared "children_education" of 2,000.00 yuan a month from January this year for "小宝"
    And "王芳" declared "housing_loan_interest" of 1,000.00 yuan a month from January this year
    When "王芳" declares "housing_rent" of 1,500.00 yuan a month from March this year
    Then the answer is 409 with code "deduction_excluded" citing "D-13"
    And the refusal names her "housing_loan_interest" declaration
    And HR reads 3 declarations of "王芳"

  @clause:D-13
  Scenario: An amount above the kind's monthly maximum is refused, naming the field
    When "王芳" declares "housing_rent" of 1,500.01 yuan a month from January this year
    Then the answer is 422 with code "deduction_above_maximum" citing "D-13"
    And the refusal names the field "monthly_fen"
    And HR reads 0 declarations of "王芳"

  @clause:D-14
  Scenario: HR declares a contribution wage; the months already paid keep what they charged
    Given the pay of "2025-01" has been run and approved
    When HR declares a 2025 contribution wage of 30,000.00 yuan for "王芳" because "pay survey of 2024"
    Then the answer is 200
    And the declared wage applies from "2025-02"
    And the contribution wages of "王芳" show 2025 at 30,000.00 yuan, "declared", on a base of 24,930.00 yuan
    And the payslip of "王芳" for "2025-02" is charged on a base of 24,930.00 yuan
    # January keeps the starting wage recorded when it was approved: a whole month's grade pay
    And the payslip of "王芳" for "2025-01" is charged on a base of 11,900.00 yuan

  @clause:D-15
  Scenario: Three weekdays of unpaid absence leave 18.75 paid days and pay for them
    When HR records "王芳" absent without pay from "2025-09-02" to "2025-09-04" because "事假"
    Then the answer is 201
    And the payslip of "王芳" for "2025-09" shows 18.75 paid days
    # 11,900.00 × 18.75 / 21.75 = 10,258.6206…, rounded half up to the fen
    And the payslip of "王芳" for "2025-09" shows a grade pay of 10,258.62 yuan

  @clause:D-15 @clause:D-12
  Scenario: An absence reaching into a closed month is recovered by the next pay run
    Given the pay of "2025-09" has been run and approved
    When HR records "王芳" absent without pay from "2025-09-02" to "2025-09-04" because "事假"
    Then the answer is 201
    And the answer says "2025-09" will be made good
    # paid for 21.75 days: 11,900.00 grade pay, 100.00 service allowance, 3,570.00 share of her pool of one (30 %);
    # for 18.75 days: 10,258.62, 86.21 and 3,077.59
    When the pay of "2025-10" is run
    Then the payslip of "王芳" for "2025-10" recovers 2,147.58 yuan for "2025-09"
