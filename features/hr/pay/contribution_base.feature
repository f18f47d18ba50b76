@clause:D-14
Feature: Contributions on a wage declared for the year, within the city's floor and ceiling
  Clause D-14: "Social insurance and housing fund (住房公积金) are charged on a declared monthly
  base per contribution year (last year's average monthly wage with this employer, or the
  starting wage for a new hire), clamped to the city's floor and ceiling (60 % and 300 % of
  the reference average wage); rates per insurance, employee and employer, are parameters;
  housing fund 5–12 % each side." The starting wage is a whole month's grade pay, welfare and
  allowances; a part month counts in last year's average as its paid days (D-15).

  Background:
    Given the payroll office of "hangzhou.binjiang": "maker" prepares the pay and "checker" approves it
    And the figures of "hangzhou.binjiang" from "2024-01-01" are the worked examples' figures

  Scenario: A new hire is charged on the starting wage, not on the part month's pay
    Given "李娜", a "委员" at grade 3 of "none", is hired on "2025-03-17"
    When the months "2025-03" to "2025-04" are paid
    Then the payslips of "李娜" are, in yuan:
      | month | paid days | gross | contribution base | worker contributions | employer contributions |
      | 2025-03 | 11.00 | 4,996.78 | 7,600.00 | 1,710.00 | 2,903.20 |
      | 2025-04 | 21.75 | 9,880.00 | 7,600.00 | 1,710.00 | 2,903.20 |
    And each payslip's cost is its gross and the employer's contributions, split half and half

  Scenario: The next year is charged on last year's average monthly wage
    Given "刘洋", a "委员" at grade 3 of "none", is hired on "2024-10-16"
    When the months "2024-10" to "2025-01" are paid
    Then the payslips of "刘洋" are, in yuan:
      | month | paid days | gross | contribution base | worker contributions | employer contributions |
      | 2024-10 | 12.00 | 5,451.03 | 7,600.00 | 1,710.00 | 2,903.20 |
      | 2024-11 | 21.75 | 9,880.00 | 7,600.00 | 1,710.00 | 2,903.20 |
      | 2024-12 | 21.75 | 9,880.00 | 7,600.00 | 1,710.00 | 2,903.20 |
      | 2025-01 | 21.75 | 9,880.00 | 9,880.00 | 2,223.00 | 3,774.16 |
    And the contribution wages of "刘洋" are:
      | year | wage | basis |
      | 2024 | 7,600.00 | starting_wage |
      | 2025 | 9,880.00 | last_year_average |

  Scenario: A declared wage below the floor or above the ceiling is held within them
    Given "王芳", a "委员" at grade 3 of "none", hired on "2020-03-01", assessed 合格 for 2024
    And "张伟", a "正职" at grade 12 of "none", hired on "2015-03-01", assessed 合格 for 2024
    When HR declares a 2025 contribution wage of 3,000 yuan for "王芳" and of 30,000 yuan for "张伟"
    And the months "2025-01" to "2025-01" are paid
    Then the payslips are, in yuan:
      | month | worker | contribution base | worker contributions | employer contributions |
      | 2025-01 | 王芳 | 4,462.00 | 1,003.95 | 1,704.48 |
      | 2025-01 | 张伟 | 24,930.00 | 5,609.25 | 9,523.26 |
