@clause:D-11 @clause:S4-1 @clause:D-9 @clause:D-4
Feature: A worker moves to another community from a date
  Clause D-11 (design default): "Changes of a worker — post, community
  (transfer), jurisdiction, status … — take effect from a date, are kept in the
  worker's history and published so training and certs follow. A transfer needs
  room in the destination's quota (S4-1, D-9)."
  Clause S4-1 (source 004): "社区居委会按照每400户左右有一名社区工作者" — the quota;
  D-9: at most 15 in one community.
  Clause D-4: "… no transfer for 3 years."

  Background:
    Given an HR officer of "hangzhou"
    And the community "GS-001" of "hangzhou.gongshu" with 4000 households
    And the community "XH-001" of "hangzhou.xihu" with 4000 households
    And the community "XH-SMALL" of "hangzhou.xihu" with 400 households

  Scenario: A transfer is kept in the history and published
    Given a worker "郑洁" of "GS-001" hired on "2019-03-01"
    When the officer transfers "郑洁" to "XH-001" from "2025-09-01"
    Then the answer is 201
    And "郑洁" is in "XH-001" of "hangzhou.xihu"
    And the history of "郑洁" shows a "transfer" from "GS-001" to "XH-001" on "2025-09-01"
    And a "worker.changed" event of kind "transfer" is published for "郑洁"

  Scenario: No room in the destination's quota
    Given a worker "钱多" of "XH-SMALL" hired on "2019-03-01"
    And a worker "郑洁" of "GS-001" hired on "2019-03-01"
    When the officer transfers "郑洁" to "XH-SMALL" from "2025-09-01"
    Then the answer is 409 with code "quota_full"
    And "郑洁" is in "GS-001" of "hangzhou.gongshu"

  Scenario: No transfer in the three years after the hire
    Given a worker "新人" of "GS-001" hired on "2024-03-01"
    When the officer transfers "新人" to "XH-001" from "2025-09-01"
    Then the answer is 409 with code "no_transfer_period" citing "D-4"

  Scenario: A post change is published too
    Given a worker "孙丽" of "GS-001" hired on "2019-03-01"
    When the officer moves "孙丽" to the post "正职" from "2025-10-01"
    Then the answer is 201
    And a "worker.changed" event of kind "post_change" is published for "孙丽"
    And the history of "孙丽" shows a "post_change" dated "2025-10-01"
