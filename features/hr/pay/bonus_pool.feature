@clause:S4-12 @clause:S2-5
Feature: The bonus and welfare pool, shared by performance
  Clause S4-12 (source 004): "奖金、福利费,按社区工作人员职务等级工资的30%安排,列入社区年度经费预算"
  — the pool is 30% of the community's grade pay.
  Clause S2-5 (source 002): "推行社工绩效工资改革,破除社工“大锅饭”制度,实行多劳多得、奖优罚劣"
  — it is shared by performance score, not equally:
  share = pool × grade pay × score / Σ(grade pay × score), rounded down to the fen.

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And a "委员" worker "王芳" at grade 3 hired on "2020-03-01"
    And a "委员" worker "李明" at grade 3 hired on "2020-03-01"

  Scenario: Equal scores give each 30% of their own grade pay
    Given "王芳" was assessed "合格" for 2024 with score 80
    And "李明" was assessed "合格" for 2024 with score 80
    Then the payslip of "王芳" for "2025-03" shows a bonus share of 2,280.00 yuan
    And the payslip of "李明" for "2025-03" shows a bonus share of 2,280.00 yuan

  Scenario: The better score takes more of the same pool
    Given "王芳" was assessed "优秀" for 2024 with score 95
    And "李明" was assessed "合格" for 2024 with score 65
    Then the payslip of "王芳" for "2025-03" shows a bonus share of 2,707.50 yuan
    And the payslip of "李明" for "2025-03" shows a bonus share of 1,852.50 yuan
    And the community's pool for "2025-03" is 4,560.00 yuan
