@clause:D-16
Feature: A payslip is a list of lines, each with its clause
  Clause D-16: "A payslip is a list of lines, each with its clause."
  — every payslip, stored or previewed, gives its amounts as lines in one order:
  the earnings (grade pay, welfare, allowances, bonus share, floor top-up, then
  each reward the pay run pays and each earlier month it makes good), the gross
  (应发合计), the worker's contributions and income tax, the net pay (实发),
  then, for information, the employer's contributions and the figures the pay
  rests on. Each line has a Chinese and an English label and the clause it rests
  on; a line of nothing is left out, except grade pay, gross and net pay. The
  earnings add up to the gross, and the gross less the deductions is the net pay.

  Background:
    Given an HR officer of "hangzhou.gongshu" who prepares the pay, and another who approves it
    And a "正职" worker "王芳" at grade 12 hired on "2020-03-01" in community "GS-001"

  Scenario: A payslip lists its lines with labels and clauses, in order
    # 正职 grade 12: 11,900.00 yuan (D-2); five years of service: 100.00 a month (D-3); 社会工作师: 400.00 (D-3).
    # No welfare since the 2024 table, no top-up above the floor; the 2025 rates have nothing for maternity
    # and work injury on the worker's side, nor for maternity on the employer's: those lines are left out.
    Given "王芳" registered a "社会工作师" certificate on "2024-01-10" valid until "2027-01-09"
    When the officer runs the pay of "hangzhou.gongshu" for "2025-03"
    Then the payslip of "王芳" for "2025-03" has these lines, in this order
      | kind                  | label_zh         | label_en                         | clause      | group     |
      | grade_pay             | 等级工资         | Grade pay                        | S4-10, D-2  | earning   |
      | certificate_allowance | 持证津贴         | Certificate allowance            | D-3         | earning   |
      | service_allowance     | 工龄津贴         | Length-of-service allowance      | D-3         | earning   |
      | bonus_share           | 绩效奖金         | Performance bonus                | S4-12, S2-5 | earning   |
      | gross                 | 应发合计         | Gross pay                        | D-16        | total     |
      | ee_pension            | 养老保险（个人） | Pension insurance (employee)     | S4-11, D-14 | deduction |
      | ee_medical            | 医疗保险（个人） | Medical insurance (employee)     | S4-11, D-14 | deduction |
      | ee_unemployment       | 失业保险（个人） | Unemployment insurance (employee) | S4-11, D-14 | deduction |
      | ee_housing_fund       | 住房公积金（个人） | Housing fund (employee)        | S0-2, D-14  | deduction |
      | income_tax            | 个人所得税       | Income tax                       | D-13        | deduction |
      | net_pay               | 实发             | Net pay                          | D-16        | total     |
      | er_pension            | 养老保险（单位） | Pension insurance (employer)     | S4-11, D-14 | employer  |
      | er_medical            | 医疗保险（单位） | Medical insurance (employer)     | S4-11, D-14 | employer  |
      | er_unemployment       | 失业保险（单位） | Unemployment insurance (employer) | S4-11, D-14 | employer  |
      | er_work_injury        | 工伤保险（单位） | Work-injury insurance (employer) | S4-11, D-14 | employer  |
      | er_housing_fund       | 住房公积金（单位） | Housing fund (employer)        | S0-2, D-14  | employer  |
      | employer_total        | 单位缴费合计     | Employer contributions, total    | S0-2, D-14  | employer  |
      | paid_days             | 计薪天数         | Paid days                        | D-15        | info      |
      | contribution_base     | 缴费基数         | Contribution base                | D-14        | info      |
      | taxable_to_date       | 累计应纳税所得额 | Taxable income to date           | D-13        | info      |
      | tax_due_to_date       | 累计应纳税额     | Tax due to date                  | D-13        | info      |
    And the "等级工资" line of that payslip is 11,900.00 yuan
    And the "持证津贴" line of that payslip is 400.00 yuan
    And the "工龄津贴" line of that payslip is 100.00 yuan
    And the "计薪天数" line of that payslip is 21.75 days

  @clause:D-12
  Scenario: An arrears line names the month it covers
    # 正职 grade 12 → 15 is 900.00 yuan more grade pay and 270.00 more of her pool (30%, S4-12)
    Given the officer has run and closed the pay of "hangzhou.gongshu" for every month from "2025-01" to "2025-03"
    When HR corrects the grade of "王芳" to 15 from "2025-02-01" because "grade wrong since February"
    And the officer runs the pay of "hangzhou.gongshu" for "2025-04"
    Then the payslip of "王芳" for "2025-04" has a "补发" line of 1,170.00 yuan for "2025-02" citing "D-12", because "grade wrong since February"
    And the payslip of "王芳" for "2025-04" has a "补发" line of 1,170.00 yuan for "2025-03" citing "D-12", because "grade wrong since February"
    And on that payslip the months made good come after the floor top-up and before the gross, in month order

  @clause:S4-13
  Scenario: A reward awarded in the month is a line with its reason
    Given "GS-001" has recorded for this year an after-tax service income of 10,000.00 yuan and a surplus of 500.00 yuan
    And the officer has rewarded "王芳" of "GS-001" with 800.00 yuan for this year because "社区防汛先进个人"
    Then the preview of "王芳" for this month has no "奖励" line
    When the officer runs the pay of "hangzhou.gongshu" for this month
    Then the payslip of "王芳" for this month has a "奖励" line of 800.00 yuan citing "S4-13", because "社区防汛先进个人"
    And the worker "王芳" reads the same lines through "/me/payslips" and by the payslip's id

  Scenario: The lines add up to the gross, and the gross less the deductions to the net pay
    Given a "委员" worker "李强" at grade 3 hired on "2024-05-16" in community "GS-001"
    And a "副职" worker "赵敏" at grade 9 hired on "2010-09-01" in community "GS-001"
    And the officer has run and closed the pay of "hangzhou.gongshu" for the 2 months before this month
    And "GS-001" has recorded for this year an after-tax service income of 10,000.00 yuan and a surplus of 500.00 yuan
    And the officer has rewarded "李强" of "GS-001" with 300.00 yuan for this year because "年度服务之星"
    When HR corrects the grade of "王芳" to 15 from the first day of last month because "grade wrong since last month"
    And the officer runs the pay of "hangzhou.gongshu" for this month
    Then on every payslip from 2 months ago to this month, the earnings, rewards and months made good add up to the gross, and the gross less the deductions is the net pay
    And the payslip of "王芳" for this month has 1 "补发" line
    And the payslip of "李强" for this month has 1 "奖励" line
