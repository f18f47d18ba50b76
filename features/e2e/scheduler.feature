@clause:D-5
Feature: The scheduler's daily registration check, once per day
  One scheduler sends each due job to its service's jobs queue with the
  message id job:<name>:<period>; the consumer claims that key in its inbox,
  so a job runs once per period however often it is sent (docs/events.md
  "Scheduled jobs").
  Clause D-5 (design default): "… its registration (登记) does [expire]:
  first registration within 1 year of passing, valid 3 years, re-registration
  in the 3 months before expiry …"

  Scenario: Today's check runs from the scheduler; a check sent twice runs once
    Given the scheduler has sent today's registration check and the certs worker has run it
    And a worker "赵宁" hired 6 years ago, known to training and certs
    And "赵宁" holds a "助理社会工作师" certificate whose registration expired 20 days ago
    When the registration check for yesterday is sent to certs
    Then the registration of "赵宁" has lapsed
    And certs has published registration.lapsed for "赵宁" once
    Given a worker "钱坤" hired 6 years ago, known to training and certs
    And "钱坤" holds a "助理社会工作师" certificate whose registration expired 20 days ago
    When the registration check for yesterday is sent to certs again
    And the registration check for today is sent to certs again
    Then the registration of "钱坤" has not been marked lapsed
    And certs' inbox holds each of the two checks once
