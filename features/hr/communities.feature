@clause:D-11 @clause:S4-1
Feature: A community's households and party members are dated versions
  Clause D-11: "A community's households and party members are dated versions:
  a quota or work fund for a date uses the figures in force then."
  Clause S4-1 (社区居委会按照每400户左右有一名社区工作者): "Staffing quota of a
  community = ceil(households / 400) workers (parameter: 400)."
  Clause S4-3 (对拥有100名以上党员的社区建立社区党委,市里配两名专职党务干部): "A
  community with ≥100 party members has ... 2 full-time party-affairs posts."
  Clause S4-7a (社区年工作经费…按每百户4000元): the work fund of a year follows the
  households, and S4-7c (按每个党员每年10元) the party members.

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And a community "GS-400" of "hangzhou.gongshu" with 1200 households and 30 party members from 2024-01-01

  Scenario: Figures changed mid-year leave the staffing of an earlier date unchanged
    When "GS-400" counts 2000 households and 120 party members from 2025-07-01 because "新小区交付"
    Then the staffing of "GS-400" on 2025-06-30 is a quota of 3 from the figures of 2024-01-01
    And the staffing of "GS-400" on 2025-07-01 is a quota of 7 from the figures of 2025-07-01
    And "GS-400" shows 2000 households and 120 party members

  @clause:S4-7a @clause:S4-7c
  Scenario: The work fund of a year uses the figures in force on 1 January
    Given the work fund of "GS-400" for 2025 is noted
    When "GS-400" counts 2000 households and 120 party members from 2025-07-01 because "新小区交付"
    Then the work fund of "GS-400" for 2025 is as noted
    And the work fund of "GS-400" for 2026 counts 2000 households and 120 party members

  Scenario: The past is not rewritten
    Given "GS-400" counts 1600 households and 30 party members from 2025-07-01 because "新小区交付"
    When the officer records 1800 households for "GS-400" from 2025-03-01
    Then the answer is 409 with code "figures_before_latest" citing "D-11"
    When the officer records 1800 households for "GS-400" from 2025-07-01
    Then the answer is 409 with code "figures_exist_for_date" citing "D-11"
    And the staffing of "GS-400" on 2025-06-30 is a quota of 3 from the figures of 2024-01-01

  Scenario: The history shows every version, who recorded it, why, and the quota it gives
    Given "GS-400" counts 6500 households and 150 party members from 2025-07-01 because "两社区合并"
    When the officer asks for the history of "GS-400"
    Then the history reads:
      | from       | households | party members | quota | capped | reason     |
      | 2024-01-01 | 1200       | 30            | 3     | no     |            |
      | 2025-07-01 | 6500       | 150           | 15    | yes    | 两社区合并 |
    And each version was recorded by the officer
