@clause:D-6
Feature: No attendance dated after today
  Clause D-6 (design default): "every new hire completes induction (岗前培训)
  within the probation period; …". Attendance is a fact of the day it
  records: a day that has not come is refused with the one code for a date
  in the future, naming the field (closing a session before its last day,
  which would date its completions ahead, is refused the same way).

  Background:
    Given a training coordinator of "hangzhou.gongshu"
    And the roster of "hangzhou.gongshu":
      | worker_id | name   | post | hired_on   |
      | 461       | 周社工 | 委员 | 2018-01-01 |
    And a programme "社区工作者继续教育培训班" in class "continuing" of 8 hours
    And session "future" of "社区工作者继续教育培训班" from "2099-06-02 09:00" to "2099-06-03 17:00" with 10 seats
    And "周社工" is enrolled in "future"

  Scenario: Attendance for a day that has not come is refused
    When the coordinator marks "周社工" present in "future" on "2099-06-02"
    Then the answer is 422 with code "date_in_future" naming the field "day"
    And the answer is 422 naming the field "day" citing "D-6"

