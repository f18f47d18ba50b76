@clause:D-4 @clause:D-11
Feature: A probation ends in a decision
  Clause D-4 (design default): "… hire with 6 months' probation …" — and the
  probation ends in a decision: confirmed (转正), extended once within the rule
  (the policy "probation": once, by up to 6 months), or the employment ended.
  Clause D-11: status changes take effect from a date, are kept in the history
  and published.

  Background:
    Given an HR officer of "hangzhou"
    And the community "GS-001" of "hangzhou.gongshu" with 4000 households

  Scenario: The officer sees the probations ending within 30 days
    Given a worker "甲" on probation ending in 10 days
    And a worker "乙" on probation ending in 90 days
    When the officer lists the probations ending
    Then the list shows "甲" only

  Scenario: Confirmed
    Given a worker "甲" on probation ending in 10 days
    When the officer decides "confirm" for "甲" today
    Then the answer is 200
    And "甲" is "active"
    And a "worker.changed" event of kind "probation_confirmed" is published for "甲"

  Scenario: Extended once, not twice
    Given a worker "甲" on probation ending in 10 days
    When the officer extends the probation of "甲" by 60 days
    Then the answer is 200
    And "甲" is "probation"
    When the officer extends the probation of "甲" by 30 days
    Then the answer is 409 with code "probation_extended_already" citing "D-4"

  Scenario: An extension beyond the rule is refused
    Given a worker "甲" on probation ending in 10 days
    When the officer extends the probation of "甲" by 200 days
    Then the answer is 422 with code "extension_out_of_range" citing "D-4"

  Scenario: The employment ends
    Given a worker "甲" on probation ending in 10 days
    When the officer decides "end" for "甲" today
    Then the answer is 200
    And "甲" is "left"
    And a "worker.changed" event of kind "probation_ended" is published for "甲"
