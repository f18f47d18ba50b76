@clause:S2-4
Feature: Real-name registration, service record and continuing education
  Clause S2-4: "要求全市持证社区工作者实名注册,加强服务履历、继续教育、服务能力等情况的动态监管"
  — every certified worker is registered under real name; the system keeps
  their service record (服务履历) and continuing education (继续教育) current.

  Background:
    Given a cert officer of "hangzhou.gongshu"

  Scenario: A holder not registered under their real name cannot register the certificate
    Given a worker "赵磊" of "hangzhou.gongshu" not yet registered under real name
    And "赵磊" holds a "助理社会工作师" certificate passed on 2024-09-01
    When the officer registers "赵磊"'s certificate on 2024-10-01
    Then the answer is 409 with code "real_name_required" citing "S2-4"
    When the officer registers "赵磊" under real name
    And the officer registers "赵磊"'s certificate on 2024-10-01
    Then the answer is 201

  Scenario: Officers see which holders still have to register under real name
    Given a worker "赵磊" of "hangzhou.gongshu" not yet registered under real name
    And a worker "王芳" of "hangzhou.gongshu"
    Then the holders without real-name registration are "赵磊"

  Scenario: An ID number that is not valid is refused
    Given a worker "赵磊" of "hangzhou.gongshu" not yet registered under real name
    When the officer registers "赵磊" under real name with ID number "330106198001011234"
    Then the answer is 422 with code "invalid_id_number" citing "S2-4"

  Scenario: Continuing education is on the worker's own record
    Given a worker "王芳" of "hangzhou.gongshu"
    And "王芳" is credited 12.5 hours of continuing education on 2024-05-10
    And "王芳" is credited 6 hours of continuing education on 2024-06-10
    When "王芳" looks at their own continuing education
    Then it holds 2 credits of 18.50 hours in all

  @clause:S2-8
  Scenario: Postings, awards, cases and studios are entries on the service record
    Given a worker "王芳" of "hangzhou.gongshu"
    When the officer adds to "王芳"'s service record:
      | kind           | title                  | started_on |
      | posting        | 湖墅街道社区社会工作站 | 2018-03-01 |
      | award          | 最美社工               | 2022-12-20 |
      | excellent_case | 独居老人关爱优秀案例   | 2023-06-15 |
      | studio         | 王芳特色社会工作室     | 2024-01-08 |
    Then "王芳" sees 4 entries on their own service record, among them the award "最美社工"

  @clause:S2-8
  Scenario: An unknown kind of entry is refused
    Given a worker "王芳" of "hangzhou.gongshu"
    When the officer adds a "medal" entry to "王芳"'s service record
    Then the answer is 422 with code "unknown_kind" naming "kind"
