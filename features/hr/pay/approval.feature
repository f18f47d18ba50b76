@clause:D-16
Feature: A pay run is prepared by one officer and approved by another
  Clause D-16: "A pay run is prepared by one officer and approved by another with
  authority over the jurisdiction; nobody approves their own run." (不能审批自己编制的工资)
  A computed draft is submitted by its maker; another HR officer of the
  jurisdiction, who neither computed nor submitted it, reviews it against last
  month and approves it (the month is then closed) or rejects it with a reason
  (a draft again). Every step is kept in the run's history.

  Background:
    Given HR officers "maker" and "checker" of "hangzhou.gongshu"
    And a "委员" worker "王芳" at grade 3 hired on "2020-03-01"
    And a "正职" worker "李明" at grade 8 hired on "2020-03-01"

  Scenario: The officer who prepared a run cannot approve it; another officer does
    Given "maker" has computed and submitted the pay of "hangzhou.gongshu" for "2025-03"
    When "maker" approves the pay run
    Then the answer is 403 with code "own_pay_run" citing "D-16"
    And the pay run's status is "submitted"
    When "checker" approves the pay run
    Then the answer is 200
    And the pay run is closed, approved by "checker"
    And the history of the pay run is "computed" by "maker", "submitted" by "maker", "approved" by "checker"

  Scenario: A rejected run returns to draft with the reason in its history
    Given "maker" has computed and submitted the pay of "hangzhou.gongshu" for "2025-03"
    When "maker" computes the pay of "hangzhou.gongshu" for "2025-03"
    Then the answer is 409 with code "pay_run_submitted" citing "D-16"
    When "checker" rejects the pay run because "李明的档次有误"
    Then the answer is 200
    And the pay run's status is "draft"
    And the history of the pay run ends with "rejected" by "checker" because "李明的档次有误"
    When "maker" computes the pay of "hangzhou.gongshu" for "2025-03"
    Then the answer is 200

  Scenario: The review shows last month's totals and the largest change
    Given "maker" has computed the pay of "hangzhou.gongshu" for "2025-01" and "checker" has approved it
    # grade 14 pays 李明 above the floor (S0-2), which had topped grade 8 up
    And HR corrects the grade of "李明" to 14 from "2025-02-01"
    And "maker" has computed and submitted the pay of "hangzhou.gongshu" for "2025-02"
    When "checker" reviews the pay run
    Then the review compares each total with the pay run of "2025-01"
    And the largest change of net pay is that of "李明", with "grade_pay" moving most
