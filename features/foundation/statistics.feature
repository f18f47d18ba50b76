@clause:D-17
Feature: Statistics by organisation level on a date
  Clause D-17: "Organisation levels: city → district → street (街道) →
  community." Headcount, vacancies against the quota (S4-1), training
  person-times (S3-7) and certificate holders (S2-7) are reported per street
  and per district, as of a date.

  @clause:S4-1
  Scenario: Headcount and vacancies per street on a date
    Given a community "HS-1" of "hangzhou.gongshu.hushu" with 800 households
    And workers of "hangzhou.gongshu.hushu" in "HS-1" hired on 2020-03-01 and 2024-07-01
    When HR asks for the workforce of "hangzhou" as of 2024-06-30 by street
    Then "hangzhou.gongshu.hushu" has 1 on the rolls, a quota of 2 and 1 vacancy

  @clause:S3-7
  Scenario: Training person-times per street
    Given roster workers of "hangzhou.gongshu.hushu" and "hangzhou.xihu.beishan" trained in one session of 2025
    When the coordinator asks for the statistics of 2025 by street
    Then "hangzhou.gongshu.hushu" has 1 person-times and "hangzhou.xihu.beishan" has 1

  @clause:S2-7
  Scenario: The community workers' share of holders per district
    Given holders of "hangzhou.gongshu.hushu" (a community worker) and "hangzhou.gongshu" (not one)
    When the cert officer asks for the holders as of 2016-01-01 by district
    Then "hangzhou.gongshu" has 2 holders at a 50.00 percent community share
