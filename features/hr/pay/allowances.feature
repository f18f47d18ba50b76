@clause:D-3
Feature: Certificate and length-of-service allowances
  Clause D-3 (design default): "certificate allowance 社会工作师 400, 助理社会工作师 200
  yuan/month while the registration is valid; length-of-service allowance by bands."
  The 高级社会工作师 amount and the service bands seeded here are illustrative.

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And a "委员" worker "王芳" at grade 3 hired on "2014-03-01"

  Scenario: The allowance runs while the registration is valid, and only the highest counts
    Given "王芳" registered a "助理社会工作师" certificate on "2024-01-01" valid until "2027-01-01"
    And "王芳" registered a "社会工作师" certificate on "2025-03-10" valid until "2028-03-09"
    Then the payslip of "王芳" for "2025-02" shows a certificate allowance of 200.00 yuan
    And the payslip of "王芳" for "2025-03" shows a certificate allowance of 400.00 yuan

  Scenario: The allowance stops when the registration lapses
    Given "王芳" registered a "社会工作师" certificate on "2024-01-01" valid until "2027-01-01"
    And the "社会工作师" registration of "王芳" lapsed on "2025-06-15"
    Then the payslip of "王芳" for "2025-05" shows a certificate allowance of 400.00 yuan
    And the payslip of "王芳" for "2025-06" shows a certificate allowance of 0.00 yuan

  Scenario: Length of service moves the worker up the bands
    Then the payslip of "王芳" for "2025-02" shows a service allowance of 200.00 yuan
    And the payslip of "王芳" for "2024-02" shows a service allowance of 100.00 yuan
