@clause:S4-10 @clause:D-1
Feature: The 1 July step increment
  Clause S4-10 (source 004): "试行社区工作人员职务等级工资制度。将社区工作人员的工资与工作职务、
  工作年限、工作能力挂钩,每年对社区工作人员进行考核,合格者每年从7月1日起执行上一档次等级工资"
  — every worker assessed at least 合格 moves up one grade on 1 July; not-pass: no move;
  top of the scale: no move.
  Clause D-1 (design default): "合格者" means 优秀 or 合格; 基本合格 and 不合格 do not pass.

  Background:
    Given an HR officer of "hangzhou.gongshu"

  Scenario Outline: The assessment of the year before decides the move
    Given a "委员" worker "王芳" at grade 3 hired on "2020-03-01"
    And "王芳" was assessed "<assessment>" for 2024
    When the officer runs the step increment effective "2025-07-01"
    Then "王芳" is at grade <grade>
    And the run reports "王芳" as "<outcome>"

    Examples:
      | assessment | grade | outcome    |
      | 优秀       | 4     | advanced   |
      | 合格       | 4     | advanced   |
      | 基本合格   | 3     | basic_pass |
      | 不合格     | 3     | fail       |

  Scenario: At the top of the band a worker stays, with that reason
    Given a "委员" worker "李明" at grade 12 hired on "2008-03-01"
    And "李明" was assessed "优秀" for 2024
    When the officer runs the step increment effective "2025-07-01"
    Then "李明" is at grade 12
    And the run reports "李明" as "top_of_band"

  Scenario: A worker hired after the assessment year does not move yet
    Given a "委员" worker "赵新" at grade 1 hired on "2025-02-01"
    When the officer runs the step increment effective "2025-07-01"
    Then "赵新" is at grade 1
    And the run reports "赵新" as "hired_after_assessment_year"

  Scenario: A worker without an assessment does not move
    Given a "委员" worker "钱漏" at grade 5 hired on "2019-03-01"
    When the officer runs the step increment effective "2025-07-01"
    Then the run reports "钱漏" as "no_assessment"

  Scenario Outline: An effective date just before or after 1 July is refused
    Given a "委员" worker "王芳" at grade 3 hired on "2020-03-01"
    And "王芳" was assessed "合格" for 2024
    When the officer runs the step increment effective "<date>"
    Then the answer is 422 with code "not_step_date" citing "S4-10"
    And "王芳" is at grade 3

    Examples:
      | date       |
      | 2025-06-30 |
      | 2025-07-02 |

  Scenario: The new grade is paid from July, not June
    Given a "委员" worker "王芳" at grade 3 hired on "2020-03-01"
    And "王芳" was assessed "合格" for 2024
    When the officer runs the step increment effective "2025-07-01"
    Then the payslip of "王芳" for "2025-06" shows grade 3 and grade pay 7,600.00 yuan
    And the payslip of "王芳" for "2025-07" shows grade 4 and grade pay 7,900.00 yuan

  Scenario: A dry run reports without writing
    Given a "委员" worker "王芳" at grade 3 hired on "2020-03-01"
    And "王芳" was assessed "合格" for 2024
    When the officer dry-runs the step increment effective "2025-07-01"
    Then the run counts 1 "advanced"
    And "王芳" is at grade 3

  Scenario: Running it again for the same date changes nothing
    Given a "委员" worker "王芳" at grade 3 hired on "2020-03-01"
    And "王芳" was assessed "合格" for 2024
    When the officer runs the step increment effective "2025-07-01"
    And the officer runs the step increment effective "2025-07-01"
    Then the answer is 200
    And "王芳" is at grade 4
    And the grade history of "王芳" holds 1 step citing "S4-10"
