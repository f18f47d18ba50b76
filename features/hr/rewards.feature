@clause:S4-13
Feature: Rewards for community workers from the community's own income
  Clause S4-13 (社区通过为居民服务取得的劳务收入…允许一部分税后收入以及年终经费结余用于社区工作人员的奖励):
  "Part of after-tax service income and year-end surplus may fund rewards."
  The fund of a year = after-tax service income × the income share + the
  year-end surplus (the share is a policy figure; the seeded 30% is
  illustrative, the surplus counts in full). The year's rewards may not
  exceed it.

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And a community "GS001" of "hangzhou.gongshu" with worker "张三"
    And a community "GS002" of "hangzhou.gongshu" with worker "李四"

  Scenario: The fund is a share of the after-tax income plus the year-end surplus
    When the officer records for "GS001" in 2024 an after-tax service income of 10000.00 yuan and a surplus of 500.00 yuan
    Then the reward fund is 3500.00 yuan, of which 3000.00 from the income and 500.00 from the surplus

  Scenario: A reward within the fund
    Given "GS001" has recorded for 2024 an after-tax service income of 10000.00 yuan and a surplus of 500.00 yuan
    When the officer rewards "张三" of "GS001" with 2000.00 yuan for 2024
    Then the reward is granted
    And the reward fund of "GS001" for 2024 shows 2000.00 yuan awarded and 1500.00 yuan left

  Scenario: A reward beyond the fund is refused
    Given "GS001" has recorded for 2024 an after-tax service income of 10000.00 yuan and a surplus of 500.00 yuan
    And "张三" of "GS001" has been rewarded 3000.00 yuan for 2024
    When the officer rewards "张三" of "GS001" with 500.01 yuan for 2024
    Then the request is refused with 409 "reward_fund_exceeded" citing "S4-13"
    And the reward fund of "GS001" for 2024 shows 3000.00 yuan awarded and 500.00 yuan left

  Scenario: A worker of another community is refused
    Given "GS001" has recorded for 2024 an after-tax service income of 10000.00 yuan and a surplus of 500.00 yuan
    When the officer rewards "李四" of "GS001" with 100.00 yuan for 2024
    Then the request is refused with 422 "not_on_rolls" citing "S4-13"
    And the reward fund of "GS001" for 2024 shows 0.00 yuan awarded and 3500.00 yuan left
