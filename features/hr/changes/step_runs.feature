@clause:S4-10 @clause:D-12
Feature: Step runs are stored as they ran, and a late assessment still gets its step
  Clause S4-10 (source 004): "每年对社区工作人员进行考核，合格者每年从7月1日起执行上一档次等级工资"
  Clause D-12 (design default): "Corrections: a supplementary step run (补晋档)
  for a past 1 July moves the workers who qualify by the assessments now
  recorded and were not moved …"

  Background:
    Given an HR officer of "hangzhou"
    And the community "GS-001" of "hangzhou.gongshu" with 4000 households
    And a worker "王芳" of "GS-001" at grade 3 hired on "2020-03-01"
    And a worker "李明" of "GS-001" at grade 3 hired on "2020-03-01"
    And "王芳" was assessed "合格" for 2024

  Scenario: The run's tallies are read back as they were
    When the officer runs the step increment of "2025-07-01"
    Then the stored run of "2025-07-01" says 1 moved and 1 not moved for "no_assessment"

  Scenario: A late assessment is moved by a supplementary run, once
    Given the officer has run the step increment of "2025-07-01"
    And "李明" was assessed "合格" for 2024
    When the officer runs a supplementary step run of "2025-07-01"
    Then the answer is 201
    And "李明" is at grade 4 from "2025-07-01"
    And "王芳" is at grade 4 from "2025-07-01"
    When the officer runs a supplementary step run of "2025-07-01"
    Then the answer is 200
    And nobody was moved

  Scenario: A grade correction from a date
    When the officer corrects the grade of "李明" to 5 from "2024-01-01"
    Then the answer is 201
    And "李明" is at grade 5 from "2024-01-01"
    And the history of "李明" shows a "grade_correction" dated "2024-01-01"
