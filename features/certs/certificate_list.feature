@clause:D-5
Feature: The certificate list shows where each registration stands
  Clause D-5 (design default): "The certificate never expires; its
  registration (登记) does: first registration within 1 year of passing,
  valid 3 years, re-registration in the 3 months before expiry, …". An
  officer reading the list of certificates sees each one's registration as
  its own page gives it.

  Background:
    Given a cert officer of "hangzhou.gongshu"
    And a worker "王芳" of "hangzhou.gongshu"
    And a worker "李娜" of "hangzhou.gongshu"

  Scenario: A certificate with an active registration shows it in the list
    Given "王芳" holds a "助理社会工作师" certificate passed on 2025-09-01
    And "王芳"'s certificate was registered on 2025-10-01
    And "李娜" holds a "社会工作师" certificate passed on 2026-06-01
    When the officer lists the certificates as of 2026-11-01
    Then "王芳"'s certificate is listed "active", registered on 2025-10-01 and valid until 2028-09-30
    And "李娜"'s certificate is listed "unregistered", to be registered by 2027-06-01
    And each listed certificate shows what its own page shows
