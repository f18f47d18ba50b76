@clause:S2-2
Feature: Sessions, enrolment and the waitlist
  S2-2 "每一年…定期举行社区工作者继续教育培训班、实务高级研修班、'三社联动'培训班等7大类培训班":
  classes are held regularly; a coordinator schedules sessions with a
  capacity, workers are seated first come first served, and a freed seat goes
  to the head of the waitlist at once.

  Background:
    Given a training coordinator of "hangzhou.gongshu"
    And the roster of "hangzhou.gongshu":
      | worker_id | name | post |
      | 201       | 王芳 | 委员 |
      | 202       | 李明 | 委员 |
      | 203       | 赵强 | 副职 |
    And a programme "继续教育培训班" in class "continuing" of 8 hours
    And session "五月班" of "继续教育培训班" from "2025-05-12 09:00" to "2025-05-12 17:00" with 1 seats

  Scenario: The waitlist moves up when a seat is freed
    When "王芳" is enrolled in "五月班"
    And "李明" is enrolled in "五月班"
    And "赵强" is enrolled in "五月班"
    Then "王芳" holds a seat in "五月班"
    And "李明" is number 1 on the waitlist of "五月班"
    And "赵强" is number 2 on the waitlist of "五月班"
    When the place of "王芳" in "五月班" is cancelled
    Then "李明" holds a seat in "五月班"
    And "赵强" is number 1 on the waitlist of "五月班"

  Scenario: A worker may not hold two overlapping sessions
    Given session "五月下午班" of "继续教育培训班" from "2025-05-12 13:00" to "2025-05-12 16:00" with 30 seats
    And "王芳" is enrolled in "五月班"
    When "王芳" is enrolled in "五月下午班"
    Then the answer is 409 with code "overlapping_session"

  Scenario: Capacity may not fall below the enrolled count
    Given session "大班" of "继续教育培训班" from "2025-05-19 09:00" to "2025-05-19 17:00" with 3 seats
    And "王芳" is enrolled in "大班"
    And "李明" is enrolled in "大班"
    When the coordinator sets the capacity of "大班" to 1
    Then the answer is 422 with code "capacity_below_enrolled" naming the field "capacity"

  Scenario: A session may not end before it starts
    When the coordinator schedules "倒序班" of "继续教育培训班" from "2025-05-20 17:00" to "2025-05-20 09:00" with 30 seats
    Then the answer is 422 naming the field "ends_at"

  @clause:D-8
  Scenario: A worker cancels their own place and the next in line is seated
    Given "王芳" has a login
    And "李明" has a login
    When "王芳" enrols in "五月班" themself
    And "李明" enrols in "五月班" themself
    And "王芳" cancels their own place in "五月班"
    Then "李明" holds a seat in "五月班"
    And "王芳" sees 1 enrolment of their own, "cancelled"
