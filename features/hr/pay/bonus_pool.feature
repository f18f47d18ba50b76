@clause:S4-12 @clause:S2-5
Feature: The bonus and welfare pool, shared by performance and paid in full
  Clause S4-12 (source 004): "奖金、福利费,按社区工作人员职务等级工资的30%安排,列入社区年度经费预算"
  — the pool is 30% of the community's grade pay, and all of it is paid.
  Clause S2-5 (source 002): "推行社工绩效工资改革,破除社工“大锅饭”制度,实行多劳多得、奖优罚劣"
  — it is shared by performance score, not equally:
  exact share = pool × grade pay × score / Σ(grade pay × score).
  Each gets the floor of the exact share to the fen; the fen left over go one
  each to the largest remainders (of equal remainders, the larger grade pay ×
  score first, then the lower worker id), so the shares add up to the pool.

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

  Scenario: The fen rounding leaves over go to the largest remainder
    # 6,840.00 yuan shared 90 : 85 : 70 is 2,512.653…, 2,373.061… and 1,954.285…:
    # the floors leave one fen, which goes to the largest remainder (0.571… fen)
    Given a "委员" worker "张伟" at grade 3 hired on "2020-03-01"
    And "王芳" was assessed "优秀" for 2024 with score 90
    And "李明" was assessed "合格" for 2024 with score 85
    And "张伟" was assessed "合格" for 2024 with score 70
    When the officer runs the pay of "hangzhou.gongshu" for "2025-03"
    Then the payslip of "王芳" for "2025-03" shows a bonus share of 2,512.65 yuan
    And the payslip of "李明" for "2025-03" shows a bonus share of 2,373.06 yuan
    And the payslip of "张伟" for "2025-03" shows a bonus share of 1,954.29 yuan
    And the community's pool for "2025-03" is 6,840.00 yuan, paid in full

  Scenario: Of equal remainders, the lower worker id takes the fen
    # 6,840.00 yuan shared 85 : 85 : 60 is 2,527.826… twice and 1,784.347…: two fen
    # left over, one to 张伟's larger remainder, one to 王芳 (hired before 李明, the lower id)
    Given a "委员" worker "张伟" at grade 3 hired on "2020-03-01"
    And "王芳" was assessed "合格" for 2024 with score 85
    And "李明" was assessed "合格" for 2024 with score 85
    And "张伟" was assessed "合格" for 2024 with score 60
    When the officer runs the pay of "hangzhou.gongshu" for "2025-03"
    Then the payslip of "王芳" for "2025-03" shows a bonus share of 2,527.83 yuan
    And the payslip of "李明" for "2025-03" shows a bonus share of 2,527.82 yuan
    And the payslip of "张伟" for "2025-03" shows a bonus share of 1,784.35 yuan
    And the community's pool for "2025-03" is 6,840.00 yuan, paid in full
    And the pay run of "2025-03" leaves nothing of the pools unallocated
