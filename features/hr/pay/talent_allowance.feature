@clause:D-7
Feature: The leader-talent allowance on the payslips of the term
  Clause D-7 (design default): "… designation for a 3-year term, 1000
  yuan/month allowance, enrolment in the leader programme (S2-6)."
  Certs finalises the round and publishes talent.selected with the term and the
  allowance; HR records the designation and pays the allowance in every month
  whose last day the term covers.

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And a "正职" worker "王磊" at grade 12 hired on "2014-03-01"

  Scenario: The allowance is paid in the months of the term only
    Given "王磊" was selected a leader talent in round 1 for "2025-03-15" to "2028-03-14" with 1000.00 yuan a month
    Then the payslip of "王磊" for "2025-02" shows a leader-talent allowance of 0.00 yuan
    And the payslip of "王磊" for "2025-03" shows a leader-talent allowance of 1,000.00 yuan
    And the payslip of "王磊" for "2028-02" shows a leader-talent allowance of 1,000.00 yuan
    And the payslip of "王磊" for "2028-03" shows a leader-talent allowance of 0.00 yuan
