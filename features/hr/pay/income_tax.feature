@clause:D-13
Feature: Income tax withheld by the cumulative method (累计预扣法)
  Clause D-13 (个人所得税法 2018; 国家税务总局公告2018年第61号): "cumulative taxable income =
  cumulative gross − 5,000 yuan × months employed by this employer this year − cumulative
  employee social insurance and housing fund − cumulative special additional deductions
  (专项附加扣除) − other allowed deductions; annual table 3 % to 36,000, 10 % to 144,000
  (quick deduction 2,520) …; this month's withholding = tax on the cumulative figure − tax
  already withheld this year, never below zero."
  The workers here have no community: each is a bonus pool of one (30 % of their grade pay).

  Background:
    Given the payroll office of "hangzhou.binjiang": "maker" prepares the pay and "checker" approves it
    And the figures of "hangzhou.binjiang" from "2024-01-01" are the worked examples' figures

  Scenario: A whole-year worker, month by month, across the 36,000-yuan band
    Given "张伟", a "正职" at grade 12 of "none", hired on "2015-03-01", assessed 合格 for 2024
    When the months "2025-01" to "2025-06" are paid
    Then the payslips of "张伟" are, in yuan:
      | month | gross | worker contributions | taxable to date | tax due to date | income tax | net pay |
      | 2025-01 | 15,470.00 | 2,677.50 | 7,792.50 | 233.78 | 233.78 | 12,558.72 |
      | 2025-02 | 15,470.00 | 2,677.50 | 15,585.00 | 467.55 | 233.77 | 12,558.73 |
      | 2025-03 | 15,470.00 | 2,677.50 | 23,377.50 | 701.33 | 233.78 | 12,558.72 |
      | 2025-04 | 15,470.00 | 2,677.50 | 31,170.00 | 935.10 | 233.77 | 12,558.73 |
      | 2025-05 | 15,470.00 | 2,677.50 | 38,962.50 | 1,376.25 | 441.15 | 12,351.35 |
      | 2025-06 | 15,470.00 | 2,677.50 | 46,755.00 | 2,155.50 | 779.25 | 12,013.25 |

  Scenario: A joiner in July deducts 5,000 yuan for each month since joining, not since January
    Given "李娜", a "委员" at grade 3 of "none", is hired on "2025-07-01"
    When the months "2025-07" to "2025-09" are paid
    Then the payslips of "李娜" are, in yuan:
      | month | basic deduction to date | gross | worker contributions | taxable to date | income tax | net pay |
      | 2025-07 | 5,000.00 | 9,880.00 | 1,710.00 | 3,170.00 | 95.10 | 8,074.90 |
      | 2025-08 | 10,000.00 | 9,880.00 | 1,710.00 | 6,340.00 | 95.10 | 8,074.90 |
      | 2025-09 | 15,000.00 | 9,880.00 | 1,710.00 | 9,510.00 | 95.10 | 8,074.90 |

  Scenario: Declared deductions lower the tax
    Given "张伟", a "正职" at grade 12 of "none", hired on "2015-03-01", assessed 合格 for 2024
    And "张伟" declares "children_education" of 2,000 yuan a month from "2025-01" for "张小明"
    And "张伟" declares "housing_rent" of 1,500 yuan a month from "2025-01" for "none"
    When the months "2025-01" to "2025-03" are paid
    Then the payslips of "张伟" are, in yuan:
      | month | special deductions to date | taxable to date | tax due to date | income tax | net pay |
      | 2025-01 | 3,500.00 | 4,292.50 | 128.78 | 128.78 | 12,663.72 |
      | 2025-02 | 7,000.00 | 8,585.00 | 257.55 | 128.77 | 12,663.73 |
      | 2025-03 | 10,500.00 | 12,877.50 | 386.33 | 128.78 | 12,663.72 |

  Scenario: A month whose withholding would be negative withholds nothing, and nothing is refunded
    Given "王芳", a "委员" at grade 3 of "none", hired on "2020-03-01", assessed 合格 for 2024
    And "王芳" is absent without pay from "2025-03-03" to "2025-03-21"
    When the months "2025-01" to "2025-05" are paid
    Then the payslips of "王芳" are, in yuan:
      | month | paid days | gross | taxable to date | tax due to date | income tax | net pay |
      | 2025-01 | 21.75 | 9,880.00 | 3,170.00 | 95.10 | 95.10 | 8,074.90 |
      | 2025-02 | 21.75 | 9,880.00 | 6,340.00 | 190.20 | 95.10 | 8,074.90 |
      | 2025-03 | 6.75 | 3,066.21 | 2,696.21 | 80.89 | 0.00 | 1,356.21 |
      | 2025-04 | 21.75 | 9,880.00 | 5,866.21 | 175.99 | 0.00 | 8,170.00 |
      | 2025-05 | 21.75 | 9,880.00 | 9,036.21 | 271.09 | 80.89 | 8,089.11 |
