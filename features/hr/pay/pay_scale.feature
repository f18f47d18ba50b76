@clause:D-2 @clause:S4-9
Feature: The pay scale 三岗十八级 and the starting grade
  Clause D-2 (design default): three posts — 正职 on grades 7-18, 副职 on 4-15, other
  workers on 1-12 — each grade one amount per month; tables effective-dated; a new table
  never rewrites past pay. Starting grade: bottom of the post's band plus credit for years
  of service, with education counted as service (bachelor 3, master 5, doctorate 7 years).
  Clause S4-9 (source 004): "2002年,杭州市对社区工作者的工资福利待遇作了统一的规定,工资部分,
  每月正职850元,副职750元,委员700元,另外,每月还有100元左右的福利" — the historical flat table.
  The amounts of the graded tables seeded here are illustrative, not a published table.

  Background:
    Given an HR officer of "hangzhou.gongshu"

  Scenario: The starting grade follows the post, service and education, and says how
    When the officer hires a "副职" worker "周敏" with 2 years of service and education "硕士"
    Then the answer is 201
    And "周敏" is at grade 11
    And the grade derivation of "周敏" mentions "bottom 4"

  Scenario: A grade outside the post's band is refused
    When the officer hires a "正职" worker "吴强" at grade 3
    Then the answer is 422 with code "grade_outside_band" citing "D-2"

  Scenario: An unknown post is refused
    When the officer hires a "主任助理" worker "郑洁" at grade 3
    Then the answer is 422 with code "unknown_post" citing "D-2"

  Scenario: The 2002 flat table pays by post alone, with its welfare
    Given a "正职" worker "老陈" at grade 9 hired on "2002-03-01"
    Then the payslip of "老陈" for "2002-05" shows grade 9 and grade pay 850.00 yuan
    And the payslip of "老陈" for "2002-05" shows welfare 100.00 yuan

  Scenario: A pay table replaced mid-year pays from its month, never before
    Given a "委员" worker "王芳" at grade 3 hired on "2020-03-01"
    And the administrator adds a pay scale from "2025-07-01" raising every amount by 10%
    Then the payslip of "王芳" for "2025-06" shows grade 3 and grade pay 7,600.00 yuan
    And the payslip of "王芳" for "2025-07" shows grade 3 and grade pay 8,360.00 yuan

  Scenario: A pay table cannot be back-dated before the one in force
    When the administrator adds a pay scale from "2023-07-01" raising every amount by 10%
    Then the answer is 409 with code "policy_rewrites_past" citing "D-2"
