@clause:S0-2
Feature: The pay floor, employer costs and the city/district split
  Clause S0-2 (source 000): "社区工作者工资福利按照不低于全市上年度城镇单位在岗职工平均工资的标准和单位缴纳的
  社会保险费、住房公积金等项目核定,按实列支,市、区两级财政各承担50%" — a worker's pay and welfare
  for the year is not below the city's previous-year average wage; a top-up makes up the
  difference, spread evenly over the paid days (floor to date = average wage × paid days to date /
  (12 × 21.75), whole months: × months / 12, D-15);
  employer insurance and housing fund are costed on top; city and district each bear half.

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And the administrator sets the 2024 average wage of "hangzhou.gongshu" to 137,000.00 yuan from "2025-01-01"
    And a "委员" worker "王芳" at grade 1 hired on "2024-03-01"

  Scenario: Pay under the floor is topped up to the floor to date
    When the officer runs the pay of "hangzhou.gongshu" for "2025-01"
    Then the payslip of "王芳" for "2025-01" shows pay and welfare of 11,416.67 yuan
    And the payslip of "王芳" for "2025-01" shows a floor top-up of 2,316.67 yuan

  Scenario: When the average wage rises mid-year, the first month catches up
    Given the officer has run the pay of "hangzhou.gongshu" for every month from "2025-01" to "2025-06"
    And the administrator sets the 2024 average wage of "hangzhou.gongshu" to 150,000.00 yuan from "2025-07-01"
    When the officer runs the pay of "hangzhou.gongshu" for "2025-07"
    Then the pay and welfare of "王芳" from "2025-01" to "2025-07" add up to 87,500.00 yuan

  Scenario: The total cost is split half and half between city and district
    When the officer runs the pay of "hangzhou.gongshu" for "2025-01"
    Then the city's and the district's shares of the run differ by at most 0.01 yuan and add up to its total cost

  Scenario: A closed month is immutable
    Given the officer has run the pay of "hangzhou.gongshu" for "2025-01"
    And the officer has closed that pay run
    When the officer runs the pay of "hangzhou.gongshu" for "2025-01"
    Then the answer is 409 with code "month_closed" citing "S0-2"

  Scenario: A malformed month is refused, naming the field
    When the officer runs the pay of "hangzhou.gongshu" for "2025-13"
    Then the answer is 422 with code "malformed_month" naming "month"

  Scenario: An officer may not run another district's pay
    Given an HR officer of "hangzhou.xihu"
    When the officer of "hangzhou.xihu" runs the pay of "hangzhou.gongshu" for "2025-01"
    Then the answer is 403 with code "outside_jurisdiction" citing "D-8"
