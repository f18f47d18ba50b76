@clause:S4-1 @clause:D-9
Feature: Every path that adds a worker keeps to the community's quota
  Clause S4-1 (社区居委会按照每400户左右有一名社区工作者): "Staffing quota of a
  community = ceil(households / 400) workers (parameter: 400)."
  Clause S4-3 (对拥有100名以上党员的社区建立社区党委,市里配两名专职党务干部): "2
  full-time party-affairs posts, which count in its establishment (编制) on top of S4-1."
  Clause D-9: "Staffing cap: at most 15 workers in one community whatever S4-1 gives."
  Clause D-11: "A transfer needs room in the destination's quota (S4-1, D-9). A
  community's households and party members are dated versions: a quota or work
  fund for a date uses the figures in force then."
  A worker is put on the rolls one by one, by an import, or by recruitment's
  hire: each path names a registered community and finds room on its rolls on
  the hire date, or is refused naming the community, its quota and headcount.

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And a community "GS-300" of "hangzhou.gongshu" with 800 households from 2024-01-01

  Scenario: A worker for a community that does not exist is refused
    When the officer puts a worker on the rolls of "NOPE-999" hired on 2024-03-01
    Then the answer is 422 with code "unknown_community"
    And the answer names the field "community_code"
    And nobody is on the rolls

  Scenario: An import naming a community that does not exist is refused whole
    When the officer imports 2 workers for "GS-300" and 1 for "NOPE-999" hired on 2024-03-01
    Then the answer is 422 with code "import_refused"
    And item 2 is refused with "unknown_community"
    And nobody is on the rolls

  Scenario: The last place is taken, then the quota is full
    Given 1 worker on the rolls of "GS-300" hired on 2024-03-01
    When the officer puts a worker on the rolls of "GS-300" hired on 2024-04-01
    Then the answer is 201
    When the officer puts a worker on the rolls of "GS-300" hired on 2024-05-01
    Then the answer is 409 with code "quota_full" citing "S4-1"
    And the refusal names "GS-300", its quota 2 and its headcount 2
    And "GS-300" has 2 workers on the rolls

  Scenario: An import beyond the quota is refused whole, naming the rows
    Given 1 worker on the rolls of "GS-300" hired on 2024-03-01
    When the officer imports 2 workers for "GS-300" hired on 2024-04-01
    Then the answer is 409 with code "import_refused"
    And item 1 is refused with "quota_full"
    And "GS-300" has 1 workers on the rolls

  Scenario: A partial import writes the rows that pass and lists each refused row
    Given 1 worker on the rolls of "GS-300" hired on 2024-03-01
    When the officer imports 2 workers for "GS-300" and 1 for "NOPE-999" hired on 2024-04-01, partially
    Then the answer is 201
    And 1 worker was imported
    And item 1 is refused with "quota_full"
    And item 2 is refused with "unknown_community"
    And "GS-300" has 2 workers on the rolls

  Scenario: A recruitment hire into a community filled meanwhile is refused
    Given a chosen candidate "张伟" for a "委员" place in "GS-300" whose public notice began on 2025-03-10
    And 2 workers on the rolls of "GS-300" hired on 2025-03-01
    When the officer hires the candidates on 2025-03-17
    Then the answer is 409 with code "quota_full" citing "S4-1"
    And the refusal names "GS-300", its quota 2 and its headcount 2
    And "GS-300" has 2 workers on the rolls

  Scenario: The 16th worker is refused whatever the households
    Given a community "GS-301" of "hangzhou.gongshu" with 9000 households from 2024-01-01
    And 15 workers on the rolls of "GS-301" hired on 2024-03-01
    When the officer puts a worker on the rolls of "GS-301" hired on 2024-04-01
    Then the answer is 409 with code "quota_full" citing "D-9"
    And the refusal names "GS-301", its quota 15 and its headcount 15

  @clause:D-11
  Scenario: The quota of a hire date uses the figures in force then
    Given 2 workers on the rolls of "GS-300" hired on 2024-03-01
    And "GS-300" counts 1200 households and 0 party members from 2025-07-01
    When the officer puts a worker on the rolls of "GS-300" hired on 2025-06-30
    Then the answer is 409 with code "quota_full" citing "S4-1"
    When the officer puts a worker on the rolls of "GS-300" hired on 2025-07-01
    Then the answer is 201

  @clause:D-11
  Scenario: A hire dated after today is refused
    When the officer puts a worker on the rolls of "GS-300" hired tomorrow
    Then the answer is 422 with code "date_in_future"
    And the answer names the field "hired_on"
    And nobody is on the rolls
