@clause:D-6 @clause:D-5 @clause:D-3
Feature: An accredited course renews the registration and the allowance reaches the payslip
  Training publishes cpd.credited when a worker completes an accredited
  course; certs counts the hours toward the registration cycle; a
  re-registration publishes certificate.registered; HR's pay starts the
  certificate allowance (docs/architecture.md, "How an event flows").
  Clause D-6 (design default): "Community training hours are their own
  ledger; an accredited course also credits social-work CPD hours."
  Clause D-5 (design default): "… valid 3 years, re-registration in the 3
  months before expiry, which needs the cycle's continuing education: 72
  hours for 助理 …"
  Clause D-3 (design default): "certificate allowance 社会工作师 400,
  助理社会工作师 200 yuan/month while the registration is valid …"
  docs/architecture.md "Boundaries": "Consumers record each event id in an inbox
  table and skip repeats … the same message delivered twice: nothing is lost
  and nothing counts twice."

  Background:
    Given a worker "陈思" hired 6 years ago, known to training and certs
    And "陈思" holds a "助理社会工作师" certificate whose registration expires in 20 days

  Scenario: Course hours renew the registration and next month's payslip carries the allowance
    Given an accredited programme of 80 hours worth 72 CPD hours
    And a 5-day session of it that ended 10 days ago, with "陈思" seated
    And "陈思" attended 4 of its 5 days
    And next month's payslip of "陈思" carries no certificate allowance
    When the coordinator closes the session
    Then training's ledger of "陈思" shows 80.00 training hours and 72.00 CPD hours
    And certs counts 72.00 of the 72.00 hours the cycle of "陈思" needs
    When the cert officer re-registers the certificate of "陈思" today
    Then the new registration runs 3 years from the day after the old one ends, with 72.00 hours counted
    And next month's payslip of "陈思" carries a certificate allowance of 20000 fen

  Scenario: The same cpd.credited delivered twice counts once
    Given an accredited programme of 16 hours worth 12 CPD hours
    And a 2-day session of it that ended 3 days ago, with "陈思" seated
    And "陈思" attended 2 of its 2 days
    And the coordinator has closed the session
    And certs counts 12.00 of the 72.00 hours the cycle of "陈思" needs
    When training's cpd.credited for "陈思" is delivered to certs again
    Then certs' CPD ledger of "陈思" holds one credit of 12.00 hours
    And certs counts 12.00 of the 72.00 hours the cycle of "陈思" needs
