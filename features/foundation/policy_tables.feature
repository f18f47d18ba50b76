@clause:S3-5 @clause:S0-1
Feature: Policy tables, per jurisdiction and effective-dated
  Clause S3-5: "出台了《吴兴区社区工作者管理办法》,规范社区工作职业准入门槛、用人机制、
  待遇标准、教育培训、评估考核等制度" — district rules fix entry thresholds, pay,
  training and evaluation: the policy tables are per jurisdiction (city, district).
  Clause S0-1: "《关于加强社区工作者队伍建设的若干意见》和《杭州市社区工作者管理规范》" —
  the governing documents; every policy figure names the clause it comes from.

  Background:
    Given the administrator of "hangzhou"

  Scenario: A district without its own version follows the city
    When the staffing rule in force for "hangzhou.wuxing" on "2026-01-01" is asked for
    Then it is the city's version with 400 households per worker, citing "S4-1"

  Scenario: A district sets its own figure from a date, and the city's stands elsewhere
    When the administrator sets 350 households per worker for "hangzhou.wuxing" from "2026-07-01"
    Then the staffing rule in force for "hangzhou.wuxing" on "2026-06-30" has 400 households per worker
    And the staffing rule in force for "hangzhou.wuxing" on "2026-07-01" has 350 households per worker
    And the staffing rule in force for "hangzhou.gongshu" on "2026-07-01" has 400 households per worker

  Scenario: The past is never rewritten
    Given the administrator set 350 households per worker for "hangzhou.wuxing" from "2026-07-01"
    When the administrator sets 300 households per worker for "hangzhou.wuxing" from "2026-03-01"
    Then the answer is 409 with code "policy_rewrites_past" citing "S4-1"

  Scenario: Every policy figure of every service names its clause
    Then every policy key of "hr", "training" and "certs" cites a clause of the policy
    And every seeded version cites a clause of the policy
