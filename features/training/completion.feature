@clause:D-6
Feature: Attendance, completion, training hours and CPD hours
  D-6 (design default) "Community training hours are their own ledger; an
  accredited course also credits social-work CPD hours." A seated worker
  completes when present on at least 80% of the session days (a parameter)
  and, if the course has one, passes its assessment.

  Background:
    Given a training coordinator of "hangzhou.gongshu"
    And the roster of "hangzhou.gongshu":
      | worker_id | name | post |
      | 301       | 王芳 | 委员 |
      | 302       | 李明 | 委员 |

  Scenario Outline: Completion just under and at the threshold
    Given a programme "五天班" in class "continuing" of 40 hours
    And session "六月班" of "五天班" from "2025-06-02 09:00" to "2025-06-06 17:00" with 30 seats
    And "王芳" is enrolled in "六月班"
    And "王芳" attended "六月班" on <present> of its 5 days
    When the coordinator closes "六月班"
    Then "王芳" <outcome> "六月班"
    And the ledger of "王芳" shows <hours> training hours and 0.00 CPD hours

    Examples:
      | present | outcome               | hours |
      | 3       | has not completed     | 0.00  |
      | 4       | has completed         | 40.00 |
      | 5       | has completed         | 40.00 |

  Scenario: Attendance for a day outside the session is refused
    Given a programme "五天班" in class "continuing" of 40 hours
    And session "六月班" of "五天班" from "2025-06-02 09:00" to "2025-06-06 17:00" with 30 seats
    And "王芳" is enrolled in "六月班"
    When the coordinator marks "王芳" present in "六月班" on "2025-06-07"
    Then the answer is 422 naming the field "day"

  Scenario: An accredited course credits CPD hours; a non-accredited one does not
    Given an accredited programme "社会工作继续教育" of 16 hours worth 12 CPD hours
    And a programme "社区治理讲座" in class "continuing" of 3 hours
    And session "认定班" of "社会工作继续教育" from "2025-06-09 09:00" to "2025-06-10 17:00" with 30 seats
    And session "讲座" of "社区治理讲座" from "2025-06-11 09:00" to "2025-06-11 12:00" with 30 seats
    And "王芳" is enrolled in "认定班"
    And "李明" is enrolled in "讲座"
    And "王芳" attended "认定班" on 2 of its 2 days
    And "李明" attended "讲座" on 1 of its 1 days
    When the coordinator closes "认定班"
    And the coordinator closes "讲座"
    Then the ledger of "王芳" shows 16.00 training hours and 12.00 CPD hours
    And the ledger of "李明" shows 3.00 training hours and 0.00 CPD hours
