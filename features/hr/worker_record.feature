@clause:D-8
Feature: A worker's record complete enough to serve
  Clause D-8: "a worker sees only their own record; HR officers … act only
  within their jurisdiction". The record keeps gender, ethnicity, political
  status, contacts, emergency contact and education history, each optional and
  checked where given; ID numbers and contacts are masked except for HR of the
  worker's jurisdiction and the worker.

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And a worker "王芳" of "hangzhou.gongshu" born 1990-06-09, a woman by her ID number

  Scenario: The gender comes from the ID number and a contradiction is refused
    Then "王芳" is recorded as "female"
    When the officer sets the gender of "王芳" to "male"
    Then the answer is 422 with code "gender_mismatch"

  Scenario: Party membership from the 18th birthday only
    When the officer records "王芳" as "中共党员" since 2008-06-08
    Then the answer is 422 with code "party_member_too_young"
    When the officer records "王芳" as "中共党员" since 2008-06-09
    Then the answer is 200

  Scenario: An education year before the age of fourteen is refused naming the row
    When the officer records the education of "王芳" as "大专" in 2012 and "本科" in 2003
    Then the answer is 422 naming "education[1].graduated_year"

  Scenario: Others see the ID number and the phone masked
    Given "王芳" has the phone "13812345678"
    And a training coordinator of "hangzhou.gongshu"
    When the coordinator reads the record of "王芳"
    Then the phone shows "138****5678" and the ID number keeps only its first six and last four
    When the officer reads the record of "王芳"
    Then the phone shows "13812345678"

  Scenario: The worker keeps their own contacts, nothing else
    When "王芳" sets her own phone to "13700002222"
    Then the answer is 200
    When "王芳" sets her own ethnicity to "汉族"
    Then the answer is 400
