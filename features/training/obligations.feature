@clause:D-6
Feature: Training obligations and the compliance report
  D-6 (design default) "every new hire completes induction (岗前培训) within the
  probation period; secretaries/directors at least 7 days of centralised
  training a year; other workers at least one programme every 2 years."
  A day is 8 hours and only offline training is centralised (parameters).

  Background:
    Given a training coordinator of "hangzhou.gongshu"
    And the roster of "hangzhou.gongshu":
      | worker_id | name   | post | hired_on   | probation_ends_on |
      | 401       | 张书记 | 正职 | 2015-01-01 |                   |
      | 402       | 陈主任 | 正职 | 2015-01-01 |                   |
      | 403       | 李委员 | 委员 | 2018-01-01 |                   |
      | 404       | 刘副职 | 副职 | 2018-01-01 |                   |
      | 405       | 新社工 | 委员 | 2025-03-01 | 2025-08-31        |

  Scenario: A 正职 behind on their 7 days is listed with the shortfall
    Given "张书记" completed a 3-day offline programme of 24 hours starting "2025-03-03"
    And "陈主任" completed a 7-day offline programme of 56 hours starting "2025-04-07"
    When the coordinator asks for the compliance report for 2025 as of "2026-01-15"
    Then "张书记" is behind on "annual_days" by 32.00 hours, 4.00 days
    And "陈主任" is not listed for "annual_days"

  Scenario: Other workers need one programme every two years
    Given "李委员" completed a 1-day offline programme of 8 hours starting "2024-06-03"
    When the coordinator asks for the compliance report for 2025 as of "2026-01-15"
    Then "李委员" is not listed for "periodic_programme"
    And "刘副职" is behind on "periodic_programme" by 1 programmes

  Scenario: Induction is due within probation
    When the coordinator asks for the compliance report for 2025 as of "2025-06-30"
    Then "新社工" has "induction" open, due "2025-08-31"
    When the coordinator asks for the compliance report for 2025 as of "2025-09-01"
    Then "新社工" is behind on "induction" by 1 programmes
