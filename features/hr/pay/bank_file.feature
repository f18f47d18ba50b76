@clause:D-16
Feature: The bank payment file of an approved pay run
  Clause D-16: "An approved run yields a bank payment file whose total equals the
  run's net total."
  One row per payslip (姓名, 身份证号, 开户银行, 银行账号, 实发金额（元）, 备注) and a
  合计 row: a worker without a bank account is listed with 缺少银行账户, never
  skipped. The account number is shown in full only to HR officers of the
  worker's jurisdiction; anyone else sees it masked, keeping the last 4 digits.

  Background:
    Given HR officers "maker" and "checker" of "hangzhou.gongshu"
    And a "委员" worker "王芳" at grade 3 hired on "2020-03-01"
    And a "委员" worker "李明" at grade 5 hired on "2020-03-01"
    And a "副职" worker "张伟" at grade 8 hired on "2015-03-01"
    And "maker" records the account "6222 0212 3456 7890" at "中国工商银行" for "王芳"
    And "maker" records the account "9559 9800 1234 5678" at "中国农业银行" for "张伟"

  Scenario Outline: The file's total is the run's net total, a worker without an account listed
    Given "maker" has computed the pay of "hangzhou.gongshu" for "2025-03" and "checker" has approved it
    When "maker" downloads the bank file of the pay run as <format>
    Then the answer is 200
    And the bank file lists "王芳", "李明" and "张伟" and a "合计" row
    And the bank file shows "李明" with the remark "缺少银行账户"
    And the bank file's total equals the pay run's net total
    And the bank file reports 3 rows and 1 missing account

    Examples:
      | format |
      | csv    |
      | xlsx   |

  Scenario: No bank file before the run is approved
    Given "maker" has computed and submitted the pay of "hangzhou.gongshu" for "2025-03"
    When "maker" downloads the bank file of the pay run as csv
    Then the answer is 409 with code "pay_run_not_approved" citing "D-16"

  Scenario: The account number in full to the HR officer, masked to others
    Given "王芳" has a worker login "wangfang"
    And a training coordinator "coordinator" of "hangzhou.gongshu"
    Then "maker" sees the account number of "王芳" as "6222021234567890"
    And "coordinator" sees the account number of "王芳" masked as "************7890"
    And "wangfang" sees her own account number masked as "************7890"
