@clause:D-18
Feature: Every change on every service is audited
  Clause D-18: "Every change on every service is audited: who, when, from
  where, what, before and after."

  Background:
    Given a worker hired in "hangzhou.gongshu" by the administrator
    And an HR officer of "hangzhou.gongshu" who transfers them to community "GS-002"

  Scenario: The officer reads who changed the worker, from where, before and after
    When the officer reads the audit of the worker on "hr"
    Then the newest entry is an update by the officer from "testclient" with community_code "GS-001" then "GS-002"
    And the one before it is the insert by "admin"

  Scenario: A refused change leaves no audit row
    When the officer transfers the worker to community "NOWHERE"
    Then the answer is 422 with code "unknown_community"
    And the audit of the worker on "hr" still has 2 entries

  Scenario: An officer of another district sees nothing of it, a worker is refused
    When an HR officer of "hangzhou.xihu" reads the audit of the worker on "hr"
    Then they see 0 entries
    And a worker reading the audit on "training" is answered 403
