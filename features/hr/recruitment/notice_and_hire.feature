@clause:D-4
Feature: Public notice, objections and hire
  Clause D-4 (design default): "… → physical exam and background check →
  public notice (公示) of 5 working days, objections possible → hire with 6
  months' probation; no transfer for 3 years."
  Clause D-10 (design default): "Working days follow a calendar table
  (weekends and public holidays), used by every 'N working days' rule."

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And a community "GS001" of "hangzhou.gongshu" with 1200 households and 30 party members
    And a campaign announced on 2025-03-03 in "hangzhou.gongshu"
    And the campaign opens 1 "委员" places in "GS001"
    And a ranked campaign with "张伟", "刘洋" and "陈静" in that order

  @clause:D-10
  Scenario: The notice lasts five working days on the holiday calendar
    Given "张伟" has passed the physical exam and the background check
    When the officer starts the public notice on 2025-04-30
    Then the notice of "张伟" ends on 2025-05-09

  Scenario: No notice before the chosen candidate has passed both checks
    When the officer starts the public notice on 2025-03-10
    Then the answer is 409 with code "checks_pending" citing "D-4"

  Scenario: A hire attempted during the notice is refused and writes nothing
    Given "张伟" has passed the physical exam and the background check
    And the officer has started the public notice today
    When the officer hires the candidates
    Then the answer is 409 with code "notice_not_ended" citing "D-4"
    And "GS001" has 0 workers on the rolls

  Scenario: A hire dated inside the notice period is refused
    Given "张伟" has passed the physical exam and the background check
    And the officer has started the public notice on 2025-03-10
    When the officer hires the candidates on 2025-03-14
    Then the answer is 409 with code "notice_not_ended" citing "D-4"

  Scenario: An open objection holds the hire
    Given "张伟" has passed the physical exam and the background check
    And the officer has started the public notice on 2025-03-10
    And an objection to "张伟" lodged on 2025-03-12
    When the officer hires the candidates on 2025-03-17
    Then the answer is 409 with code "objection_open" citing "D-4"

  Scenario: An upheld objection hands the place to the next in rank, with a notice of their own
    Given "张伟" has passed the physical exam and the background check
    And the officer has started the public notice on 2025-03-10
    And an objection to "张伟" lodged on 2025-03-12
    When the officer upholds the objection on 2025-03-13
    Then "张伟" is removed and "刘洋" takes the place
    Given "刘洋" has passed the physical exam and the background check
    When the officer starts the public notice on 2025-03-17
    Then the notice lists only "刘洋" and ends on 2025-03-21
    When the officer hires the candidates on 2025-03-24
    Then "刘洋" is hired into "GS001" as "委员" on probation until 2025-09-23

  Scenario: A dismissed objection lets the hire go ahead
    Given "张伟" has passed the physical exam and the background check
    And the officer has started the public notice on 2025-03-10
    And an objection to "张伟" lodged on 2025-03-12
    When the officer dismisses the objection on 2025-03-13
    And the officer hires the candidates on 2025-03-17
    Then "张伟" is hired into "GS001" as "委员" on probation until 2025-09-16

  @clause:D-2
  Scenario: From announcement to a hired worker, every step in the history
    Given "张伟" has passed the physical exam and the background check
    And the officer has started the public notice on 2025-03-10
    When the officer hires the candidates on 2025-03-17
    Then "张伟" is hired into "GS001" as "委员" on probation until 2025-09-16
    And the worker's starting grade is 4
    And "GS001" has 1 workers on the rolls
    And the campaign is "closed"
    And the campaign's history runs "announce", "add_post", "apply", "review", "score", "rank", "check", "start_notice", "hire", "close"
