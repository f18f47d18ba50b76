@clause:D-6
Feature: Induction is owed only by those whose probation falls in the period
  Clause D-6 (design default): "every new hire completes induction (岗前培训)
  within the probation period". A worker owes induction in a compliance
  period only when their probation falls in (overlaps) that period: a worker
  hired in 2011 owes none in 2025, done or not; a new hire owes it in each
  year their probation reaches into, due on its last day.

  Background:
    Given a training coordinator of "hangzhou.gongshu"
    And the roster of "hangzhou.gongshu":
      | worker_id | name   | post | hired_on   | probation_ends_on |
      | 451       | 老书记 | 正职 | 2011-03-01 | 2011-08-31        |
      | 452       | 老委员 | 委员 | 2011-03-01 | 2011-08-31        |
      | 453       | 新社工 | 委员 | 2025-09-01 | 2026-02-28        |

  Scenario: A long-serving worker owes no induction
    When the coordinator asks for the compliance report for 2025 as of "2025-12-01"
    Then "老书记" is not listed for "induction"
    And "老委员" is not listed for "induction"
    When the coordinator asks for the compliance report for 2026 as of "2026-11-28"
    Then "老书记" is not listed for "induction"
    And "老委员" is not listed for "induction"

  Scenario: A new hire owes induction in each year their probation falls in
    When the coordinator asks for the compliance report for 2025 as of "2025-12-01"
    Then "新社工" has "induction" open, due "2026-02-28"
    When the coordinator asks for the compliance report for 2026 as of "2026-03-02"
    Then "新社工" is behind on "induction" by 1 programmes
    When the coordinator asks for the compliance report for 2027 as of "2027-03-02"
    Then "新社工" is not listed for "induction"
