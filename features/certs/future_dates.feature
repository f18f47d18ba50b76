@clause:D-5
Feature: No registration dated after today
  Clause D-5 (design default): "… first registration within 1 year of
  passing, valid 3 years, …". A registration is a fact of the day it is
  made: a day that has not come is refused with the one code for a date in
  the future, naming the field, and nothing is written.

  Background:
    Given a cert officer of "hangzhou.gongshu"
    And a worker "王芳" of "hangzhou.gongshu"
    And "王芳" holds a "助理社会工作师" certificate passed 30 days ago

  Scenario: A registration dated tomorrow is refused, one dated today is made
    When the officer registers "王芳"'s certificate tomorrow
    Then the answer is 422 with code "date_in_future" naming "registered_on"
    And the answer cites "D-5"
    And "王芳"'s certificate has no registration yet
    When the officer registers "王芳"'s certificate today
    Then the answer is 201

  Scenario: A pass dated tomorrow is refused
    When the officer records a "社会工作师" certificate for "王芳" passed tomorrow
    Then the answer is 422 with code "date_in_future" naming "passed_on"
    And the answer cites "D-5"
