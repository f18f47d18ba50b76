@clause:S4-7a @clause:S4-12
Feature: A community's pay against its work fund and the 30% pool
  Clause S4-7a (source 004): "社区年工作经费(含社区工作者工资、福利、奖金)按每百户4000元,由市财政…拨付各区,区财政另按1:1的原则配套"
  — the year's work fund, which pays the workers, is 4,000 yuan per 100
  households from the city (grown 5% a year since 2004, S4-7b: 11,143.85 yuan
  in 2025), matched 1:1 by the district, on the figures in force on 1 January.
  Clause S4-12 (source 004): "奖金、福利费,按社区工作人员职务等级工资的30%安排,列入社区年度经费预算"
  — the bonus and welfare pool is 30% of grade pay, budgeted in that fund.
  The fund of a month is the year's fund / 12; of the year to date, the months
  elapsed × the year's fund / 12; each rounded half up to the fen.
  Pay cost = grade pay + the bonus pool + the employer's contributions;
  what is left = fund − pay cost, negative when the pay is over the fund.

  Background:
    Given an HR officer of "hangzhou.gongshu"

  Scenario: A small community paid for two months, month and year to date
    # 1,200 households: 11,143.85 × 12 = 133,726.20 from the city, as much from
    # the district: 267,452.40 a year, 22,287.70 a month, 44,575.40 for two.
    # One 委员 at grade 3: 7,600.00 grade pay and a pool of 30% (2,280.00) a month,
    # plus the employer's contributions of the payslips (D-14's rates and base).
    Given a community "BG-A" of "hangzhou.gongshu" with 1200 households from "2024-01-01"
    And a "委员" worker "王芳" at grade 3 in "BG-A" hired on "2020-03-01"
    And the officer has drafted the pay of "hangzhou.gongshu" for "2025-01" and "2025-02"
    When the officer asks for the pay budget of "hangzhou.gongshu" for "2025-02"
    Then the budget of "BG-A" for the month reads:
      | grade pay | bonus pool | pool allowed | fund      |
      | 7,600.00  | 2,280.00   | 2,280.00     | 22,287.70 |
    And the budget of "BG-A" for the year to date reads:
      | grade pay | bonus pool | pool allowed | fund      |
      | 15,200.00 | 4,560.00   | 4,560.00     | 44,575.40 |
    And the pay cost of "BG-A" adds the employer's contributions of its payslips, month and year to date
    And what is left of the fund of "BG-A" is the fund less the pay cost, above nothing
    And the budget of "BG-A" is from draft pay runs over 2 months

  Scenario: A community whose pay is over its fund shows a negative remainder
    # 400 households: 89,150.80 a year, 7,429.23 a month, 14,858.47 for two;
    # the same 委员 costs 9,880.00 a month before the employer's contributions.
    Given a community "BG-B" of "hangzhou.gongshu" with 400 households from "2024-01-01"
    And a "委员" worker "李明" at grade 3 in "BG-B" hired on "2020-03-01"
    And the officer has drafted the pay of "hangzhou.gongshu" for "2025-01" and "2025-02"
    When the officer asks for the pay budget of "hangzhou.gongshu" for "2025-02"
    Then the budget of "BG-B" for the month reads:
      | grade pay | bonus pool | pool allowed | fund     |
      | 7,600.00  | 2,280.00   | 2,280.00     | 7,429.23 |
    And the budget of "BG-B" for the year to date reads:
      | grade pay | bonus pool | pool allowed | fund      |
      | 15,200.00 | 4,560.00   | 4,560.00     | 14,858.47 |
    And the pay cost of "BG-B" adds the employer's contributions of its payslips, month and year to date
    And what is left of the fund of "BG-B" is the fund less the pay cost, below nothing

  Scenario: A month without payslips answers with a note, not an error
    When the officer asks for the pay budget of "hangzhou.gongshu" for "2025-02"
    Then the budget has no rows and a note

  Scenario: A malformed month is refused
    When the officer asks for the pay budget of "hangzhou.gongshu" for "2025-13"
    Then the answer is 422 with code "malformed_month"
    And the refusal names the field "month"

  Scenario: Another district's budget is not the officer's to read
    When the officer asks for the pay budget of "hangzhou.xihu" for "2025-02"
    Then the answer is 403 with code "outside_jurisdiction" citing "D-8"
