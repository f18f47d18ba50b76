Feature: Person-times and spend against the budget
  Background:
    Given a training coordinator of "hangzhou.gongshu"
    And the roster of "hangzhou.gongshu":
      | worker_id | name | post |
      | 501       | 王芳 | 委员 |
      | 502       | 李明 | 委员 |
      | 503       | 赵强 | 副职 |
    And a programme "讲座" in class "continuing" of 3 hours costing 100 yuan a head
    And a programme "研修" in class "advanced_practice" of 16 hours costing 2500 yuan a head
    And session "三月讲座" of "讲座" from "2025-03-03 09:00" to "2025-03-03 12:00" with 30 seats
    And session "五月研修" of "研修" from "2025-05-05 09:00" to "2025-05-06 17:00" with 30 seats
    And "王芳" is enrolled in "三月讲座"
    And "李明" is enrolled in "三月讲座"
    And "赵强" is enrolled in "三月讲座"
    And "王芳" is enrolled in "五月研修"
    And "李明" is enrolled in "五月研修"

  @clause:S3-7
  Scenario: Training is counted in person-times
    S3-7 "今年已先后举办3次培训班，培训…400多人次"
    When the coordinator asks for the statistics of 2025
    Then they show 2 sessions, 5 person-times and 3 workers

  @clause:S2-2
  Scenario: Spend is set against the year's budget
    S2-2 "每一年投入150余万元" (the budget is a policy parameter)
    When the coordinator asks for the statistics of 2025
    Then the spend is 5300.00 yuan against a budget of 1500000.00 yuan
