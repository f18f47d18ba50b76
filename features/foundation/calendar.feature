@clause:D-10
Feature: The working-day calendar, kept per year as data
  Clause D-10 (design default): "Working days follow a calendar table
  (weekends, public holidays, make-up working days), used by every "N working
  days" rule. The table is data kept per year by an administrator; a
  computation that reaches a year with no calendar loaded is refused, never
  guessed."

  Background:
    Given an HR officer of "hangzhou.gongshu" with a campaign whose chosen candidate passed both checks

  Scenario: The published arrangements are loaded when the services start
    When the officer lists the calendar of "hr"
    Then the years 2004 to 2026 are loaded, each citing "D-10" and naming the State Council's notices
    And the calendar of "certs" lists the same years

  Scenario: A public notice counts the holidays and the make-up working days loaded
    When the officer starts the public notice on 2025-09-29
    Then the notice ends on 2025-10-11

  Scenario: A notice reaching a year with no calendar is refused, never guessed
    When the officer starts the public notice on 28 December of the last year loaded
    Then the answer is 409 with code "calendar_not_loaded" citing "D-10"
    And the refusal names the year after it
    And the campaign has no public notice

  Scenario: Once the administrator loads the year the same notice runs into it
    Given the officer was refused a notice from 28 December of the last year loaded
    When the administrator loads the year after it with 1 January as its only holiday
    And the officer starts the public notice on 28 December of the last year loaded
    Then the notice ends in the year after it, not on 1 January

  Scenario: Only an administrator loads a year, and every load is kept
    When the officer loads 2027 with 1 January as its only holiday
    Then the answer is 403 with code "role_not_allowed"
    When the administrator loads 2027 with 1 January as its only holiday
    And the administrator loads 2027 with 1 and 2 January as holidays
    Then the calendar of 2027 has 2 holidays in force and 1 earlier version by "admin"

  Scenario: A make-up working day on a weekday is refused, naming the field
    When the administrator loads 2027 with Monday 11 January as a make-up working day
    Then the answer is 422 with code "working_day_not_weekend" citing "D-10"
    And the refusal names the field "working_days[0]"
    And 2027 is not loaded
