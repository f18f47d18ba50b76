@clause:D-5
Feature: Social-work certificates
  Clause D-5 (design default): "Social-work certificate: three levels
  助理社会工作师, 社会工作师, 高级社会工作师 (senior by exam plus review). The
  certificate never expires; its registration (登记) does."

  Background:
    Given a cert officer of "hangzhou.gongshu"
    And a worker "王芳" of "hangzhou.gongshu"

  Scenario: A passed exam is recorded as a certificate
    When the officer records a "社会工作师" certificate "SW2019001" for "王芳" passed on 2019-09-20 in the 2019 exam
    Then the answer is 201
    And "王芳" holds a "社会工作师" certificate held from 2019-09-20

  Scenario: An unknown level is refused and nothing is written
    When the officer records a "社会工作大师" certificate "SW2019002" for "王芳" passed on 2019-09-20 in the 2019 exam
    Then the answer is 422 with code "unknown_level" naming "level"
    And "王芳" holds no certificate

  Scenario: A certificate number is recorded once
    Given "王芳" holds a "助理社会工作师" certificate passed on 2018-09-20
    And a worker "李明" of "hangzhou.gongshu"
    When the officer records a "社会工作师" certificate with the number of "王芳"'s for "李明" passed on 2019-09-20 in the 2019 exam
    Then the answer is 409 with code "certificate_number_taken" naming "number"
    And "李明" holds no certificate

  Scenario: A pass date in the future is refused
    When the officer records a "助理社会工作师" certificate "SW2099001" for "王芳" passed on 2099-09-20 in the 2099 exam
    Then the answer is 422 with code "date_in_future" naming "passed_on"
    And "王芳" holds no certificate

  Scenario: The senior level is held only from its passed review
    When the officer records a "高级社会工作师" certificate "SW2020009" for "王芳" passed on 2020-10-10 in the 2020 exam
    Then "王芳"'s certificate awaits its review
    And registering "王芳"'s certificate on 2020-11-01 is refused with code "senior_review_not_passed"
    When the review of "王芳"'s certificate is recorded as "passed" on 2021-03-01
    Then "王芳" holds a "高级社会工作师" certificate held from 2021-03-01

  @clause:D-8
  Scenario: An officer of another district may not record a certificate
    Given a cert officer of "hangzhou.xihu"
    When the officer of "hangzhou.xihu" records a "社会工作师" certificate for "王芳"
    Then the answer is 403 with code "outside_jurisdiction" citing "D-8"
    And "王芳" holds no certificate

  @clause:D-8
  Scenario: A worker sees their own certificate and no one else's
    Given "王芳" holds a "社会工作师" certificate passed on 2019-09-20
    And a worker "李明" of "hangzhou.gongshu"
    And "李明" holds a "助理社会工作师" certificate passed on 2019-09-20
    When "王芳" asks for the certificate of "王芳"
    Then the answer is 200
    When "王芳" asks for the certificate of "李明"
    Then the answer is 404 with code "not_found"
