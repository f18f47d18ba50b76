@clause:D-5 @clause:D-6
Feature: A leaver's open items are closed in training and certs
  HR publishes worker.left when a worker leaves the rolls; training cancels
  the leaver's open places (their seats go to the waitlists) and certs closes
  the open registration cycle (docs/architecture.md "How an event flows": "worker.left →
  training, certs: close open items").
  Clause D-5 (design default): "… its registration (登记) does [expire]: first
  registration within 1 year of passing, valid 3 years …"
  Clause D-6 (design default): "Community training hours are their own ledger …"

  Scenario: A leaver's places are cancelled and the registration closed
    Given a worker "周敏" hired 6 years ago, known to training and certs
    And "周敏" holds a "助理社会工作师" certificate registered 100 days ago
    And a continuing session of "hangzhou.gongshu" starting in 10 days with 1 seat
    And "周敏" holds a seat in the continuing session
    And a worker "吴刚" hired 6 years ago, known to training and certs
    And "吴刚" is on the waitlist of the continuing session
    When HR records that "周敏" left yesterday
    Then "周敏"'s place in the continuing session is cancelled
    And "吴刚" is promoted to the seat "周敏" left
    And training's roster shows "周敏" as left yesterday
    And "周敏"'s registration is closed in certs on the day they left
    And certs' profile of "周敏" shows they left yesterday
