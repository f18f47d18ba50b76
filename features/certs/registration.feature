@clause:D-5
Feature: Registration cycles renewed on continuing education
  Clause D-5 (design default): "The certificate never expires; its
  registration (登记) does: first registration within 1 year of passing, valid
  3 years, re-registration in the 3 months before expiry, which needs the
  cycle's continuing education: 72 hours for 助理, 90 hours for 社会工作师 and
  高级. A completed social-work degree counts 90 hours once."

  Background:
    Given a cert officer of "hangzhou.gongshu"
    And a worker "王芳" of "hangzhou.gongshu" with a login

  Scenario: The first registration on the last day of the year is accepted
    Given "王芳" holds a "助理社会工作师" certificate passed on 2021-09-15
    When the officer registers "王芳"'s certificate on 2022-09-15
    Then the answer is 201
    And the registration is valid from 2022-09-15 until 2025-09-14
    And certificate.registered is published for "王芳" valid until 2025-09-14

  Scenario: The first registration one day late is refused
    Given "王芳" holds a "助理社会工作师" certificate passed on 2021-09-15
    When the officer registers "王芳"'s certificate on 2022-09-16
    Then the answer is 422 with code "first_registration_too_late" citing "D-5"
    And "王芳"'s certificate has no registration

  Scenario: Re-registration a day before the window is refused with the window's dates
    Given "王芳" holds a "助理社会工作师" certificate passed on 2021-09-01
    And "王芳"'s certificate was registered on 2021-10-01
    And "王芳" is credited 72 hours of continuing education on 2023-05-10
    When the officer registers "王芳"'s certificate on 2024-06-30
    Then the answer is 409 with code "outside_renewal_window" citing "D-5"
    And the window given is from 2024-07-01 to 2024-09-30

  Scenario: Re-registration on the first day of the window continues the cycle
    Given "王芳" holds a "助理社会工作师" certificate passed on 2021-09-01
    And "王芳"'s certificate was registered on 2021-10-01
    And "王芳" is credited 72 hours of continuing education on 2023-05-10
    When the officer registers "王芳"'s certificate on 2024-07-01
    Then the answer is 201
    And the registration is valid from 2024-10-01 until 2027-09-30
    And 72.00 hours were counted for it

  Scenario: 71 hours for an 助理 are not enough
    Given "王芳" holds a "助理社会工作师" certificate passed on 2021-09-01
    And "王芳"'s certificate was registered on 2021-10-01
    And "王芳" is credited 71 hours of continuing education on 2023-05-10
    When the officer registers "王芳"'s certificate on 2024-07-15
    Then the answer is 422 with code "cpd_hours_short" citing "D-5"
    And the hours given are 72.00 required and 71.00 counted

  Scenario: Fractional hours add up exactly
    Given "王芳" holds a "助理社会工作师" certificate passed on 2021-09-01
    And "王芳"'s certificate was registered on 2021-10-01
    And "王芳" is credited 35.75 hours of continuing education on 2022-05-10
    And "王芳" is credited 36.25 hours of continuing education on 2023-05-10
    When the officer registers "王芳"'s certificate on 2024-08-01
    Then the answer is 201

  Scenario: 72 hours are not enough for a 社会工作师
    Given "王芳" holds a "社会工作师" certificate passed on 2021-09-01
    And "王芳"'s certificate was registered on 2021-10-01
    And "王芳" is credited 72 hours of continuing education on 2023-05-10
    When the officer registers "王芳"'s certificate on 2024-08-01
    Then the answer is 422 with code "cpd_hours_short" citing "D-5"
    And the hours given are 90.00 required and 72.00 counted

  Scenario: A completed social-work degree counts 90 hours
    Given "王芳" holds a "社会工作师" certificate passed on 2021-09-01
    And "王芳"'s certificate was registered on 2021-10-01
    And "王芳" is credited a completed social-work degree on 2023-06-30
    When the officer registers "王芳"'s certificate on 2024-08-01
    Then the answer is 201
    And 90.00 hours were counted for it

  Scenario: A degree counts only once
    Given "王芳" is credited a completed social-work degree on 2023-06-30
    When "王芳" is credited a completed social-work degree on 2024-06-30
    Then the answer is 409 with code "degree_already_credited" citing "D-5"

  Scenario: A registration not renewed lapses, once
    Given "王芳" holds a "助理社会工作师" certificate passed on 2021-09-01
    And "王芳"'s certificate was registered on 2021-10-01
    When the daily registration check runs on 2024-10-01
    And the daily registration check runs on 2024-10-01
    And the daily registration check runs on 2024-10-02
    Then "王芳"'s registration is "lapsed" on 2024-10-02
    And registration.lapsed is published once for "王芳", lapsed on 2024-10-01

  Scenario: Officers are reminded 90, 60 and 30 days before expiry
    Given "王芳" holds a "助理社会工作师" certificate passed on 2021-09-01
    And "王芳"'s certificate was registered on 2021-10-01
    When the daily registration check runs on 2024-07-01
    And the daily registration check runs on 2024-07-02
    And the daily registration check runs on 2024-08-01
    And the daily registration check runs on 2024-08-31
    And the daily registration check runs on 2024-09-01
    Then the officers' reminders for "王芳" are 90 days on 2024-07-02, 60 days on 2024-08-01, 30 days on 2024-08-31

  Scenario: A worker sees their registration status and the days to expiry
    Given "王芳" holds a "助理社会工作师" certificate passed on 2021-09-01
    And "王芳"'s certificate was registered on 2021-10-01
    And "王芳" is credited 20 hours of continuing education on 2023-05-10
    When "王芳" looks at their own certificates on 2024-08-31
    Then the registration is "due" with 30 days to expiry and 20.00 of 72.00 hours counted
