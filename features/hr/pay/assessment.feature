@clause:S3-1 @clause:S4-14 @clause:S0-6 @clause:D-1
Feature: The annual assessment
  Clause S3-1 (source 003): "规定每个社区工作者每月走访居民达到20户以上" — the monthly
  household visits are a quantitative input; months under the minimum are flagged.
  Clause S4-14 (source 004): "由下而上由社区居民对社区进行评价" — the residents' evaluation
  is an input. Clause S0-6 (source 000): "按照定性与定量相结合的要求…进行考核" — a qualitative
  grade (D-1: 优秀, 合格, 基本合格, 不合格) beside quantitative measures and a performance score.

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And a "委员" worker "王芳" at grade 3 hired on "2020-03-01"

  Scenario: Months under twenty household visits are flagged
    When the officer records the 2024 assessment of "王芳" as "合格" with visits "25 25 18 25 25 25 0 25 25 25 25 21" and residents' satisfaction 93
    Then the answer is 201
    And the assessment flags months "3, 7"
    And the assessment keeps residents' satisfaction 93

  Scenario: One assessment per worker per year
    Given "王芳" was assessed "合格" for 2024
    When the officer records the 2024 assessment of "王芳" as "优秀" with visits "25 25 25 25 25 25 25 25 25 25 25 25" and residents' satisfaction 90
    Then the answer is 409 with code "assessment_exists" citing "S4-10"

  Scenario: An assessment for a future year is refused
    When the officer records the 2099 assessment of "王芳" as "合格" with visits "25 25 25 25 25 25 25 25 25 25 25 25" and residents' satisfaction 90
    Then the answer is 422 with code "date_in_future" citing "S4-10"

  Scenario: A correction needs a reason and is kept in the history
    Given "王芳" was assessed "基本合格" for 2024
    When the officer corrects the 2024 assessment of "王芳" to "合格" because "appeal upheld by the review board"
    Then the answer is 200
    And the 2024 assessment of "王芳" is "合格" with a history entry "基本合格" because "appeal upheld by the review board"
