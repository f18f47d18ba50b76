@clause:S3-7
Feature: Professional-title exam entries (职称考试)
  Clause S3-7: "积极组织194名社区工作者参加职称考试" — professional-title exam
  entries are recorded.

  Background:
    Given a cert officer of "hangzhou.gongshu"
    And a worker "王芳" of "hangzhou.gongshu"
    And a worker "李明" of "hangzhou.gongshu"
    And a worker "张伟" of "hangzhou.gongshu"

  Scenario: Entries of a year are counted by level
    When "王芳" is entered for the 2025 "助理社会工作师" exam on 2025-03-10
    And "李明" is entered for the 2025 "助理社会工作师" exam on 2025-03-11
    And "张伟" is entered for the 2025 "社会工作师" exam on 2025-03-12
    Then the 2025 exam has 3 entries, 2 of them for "助理社会工作师"

  Scenario: A worker is entered once per year and level
    Given "王芳" is entered for the 2025 "助理社会工作师" exam on 2025-03-10
    When "王芳" is entered for the 2025 "助理社会工作师" exam on 2025-03-20
    Then the answer is 409 with code "exam_entry_exists" citing "S3-7"

  Scenario: The result of an entry is recorded
    Given "王芳" is entered for the 2025 "社会工作师" exam on 2025-03-10
    When the result of "王芳"'s entry is "passed"
    Then the 2025 exam has 1 passed entry for "社会工作师"
