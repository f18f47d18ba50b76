@clause:S3-6 @clause:D-4
Feature: Open recruitment: applications, eligibility, scores and ranking
  Clause S3-6 (今年又公开招考社区工作者12名,使社区工作者的年龄结构、文化层次等方面不断优化):
  "Recruitment is by open competitive exam (公开招考); age and education are
  eligibility criteria."
  Clause D-4 (design default): "announce → apply → eligibility review (age
  18–35, up to 40 with a social-work certificate; education 大专 or above; no
  disqualifying record) → written exam (+15 for 社会工作师, +10 for 助理, highest
  only) → interview → composite score (written 50% + interview 50%) → ranking
  per post, ties by written then interview score → physical exam and
  background check → …"

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And a community "GS001" of "hangzhou.gongshu" with 1200 households and 30 party members
    And a campaign announced on 2025-03-03 in "hangzhou.gongshu"
    And the campaign opens 1 "委员" places in "GS001"

  Scenario: An applicant aged 38 with a social-work certificate is eligible
    Given these applications:
      | name | born       | education | certificates |
      | 李娜 | 1986-06-01 | 大专      | 社会工作师   |
    When the officer reviews the applications
    Then "李娜" is eligible

  Scenario: An applicant aged 38 without a certificate is refused for age
    Given these applications:
      | name | born       | education | certificates |
      | 王强 | 1986-06-01 | 本科      |              |
    When the officer reviews the applications
    Then "王强" is refused for "too_old" on the field "birth_date"
    And the reason given to "王强" mentions "maximum age is 35, or 40 with a social-work certificate"

  Scenario: Every reason for a refusal is given
    Given these applications:
      | name | born       | education | certificates | records         |
      | 赵敏 | 1980-01-01 | 高中      |              | criminal_record |
    When the officer reviews the applications
    Then "赵敏" is refused for "too_old", "education_below_minimum" and "disqualifying_record"

  Scenario: An ID number with a wrong check digit is refused at once
    When "周杰" applies with the ID number "330105199001011235" born 1990-01-01
    Then the answer is 422 naming the field "id_number"
    And the campaign has no applications

  Scenario: No scores before the eligibility review
    Given these applications:
      | name | born       | education |
      | 张伟 | 1990-05-01 | 本科      |
    When the officer enters for "张伟" a written score of 80
    Then the answer is 409 with code "step_out_of_order" citing "D-4"

  Scenario: A score out of range is refused and nothing is written
    Given these applications:
      | name | born       | education |
      | 张伟 | 1990-05-01 | 本科      |
    And the officer has reviewed the applications
    When the officer enters for "张伟" a written score of 100.5
    Then the answer is 422 naming the field "written"
    And "张伟" has no scores

  Scenario: Scores by CSV upload
    Given these applications:
      | name | born       | education |
      | 张伟 | 1990-05-01 | 本科      |
      | 刘洋 | 1992-07-15 | 大专      |
    And the officer has reviewed the applications
    When the officer uploads the scores (candidates' names stand for their ID numbers):
      """
      id_number,written,interview
      张伟,82.5,88
      刘洋,79,91.25
      """
    Then the answer is 200
    And the scores are:
      | name | written | interview |
      | 张伟 | 82.50   | 88.00     |
      | 刘洋 | 79.00   | 91.25     |

  Scenario: A CSV with a bad row writes nothing
    Given these applications:
      | name | born       | education |
      | 张伟 | 1990-05-01 | 本科      |
      | 刘洋 | 1992-07-15 | 大专      |
    And the officer has reviewed the applications
    When the officer uploads the scores (candidates' names stand for their ID numbers):
      """
      id_number,written,interview
      张伟,82.5,88
      刘洋,seventy,91
      """
    Then the answer is 422 naming the field "row 3: written"
    And "张伟" has no scores
    And "刘洋" has no scores

  Scenario: A certificate adds bonus points to the written score, the highest only
    Given these applications:
      | name | born       | education | certificates               |
      | 张伟 | 1990-05-01 | 本科      |                            |
      | 李娜 | 1991-06-01 | 大专      | 助理社会工作师, 社会工作师 |
    And the officer has reviewed the applications
    And these scores:
      | name | written | interview |
      | 张伟 | 80      | 80        |
      | 李娜 | 70      | 80        |
    When the officer ranks the candidates
    Then the ranking of the "委员" places in "GS001" is:
      | name | rank | bonus | composite | status   |
      | 李娜 | 1    | 15    | 82.50     | selected |
      | 张伟 | 2    | 0     | 80.00     | standby  |

  Scenario: A tie on the composite score goes to the better written score
    Given these applications:
      | name | born       | education |
      | 张伟 | 1990-05-01 | 本科      |
      | 刘洋 | 1992-07-15 | 大专      |
    And the officer has reviewed the applications
    And these scores:
      | name | written | interview |
      | 刘洋 | 70      | 80        |
      | 张伟 | 80      | 70        |
    When the officer ranks the candidates
    Then the ranking of the "委员" places in "GS001" is:
      | name | rank | bonus | composite | status   |
      | 张伟 | 1    | 0     | 75.00     | selected |
      | 刘洋 | 2    | 0     | 75.00     | standby  |

  Scenario: A tie on the composite and written scores goes to the better interview score
    Given these applications:
      | name | born       | education | certificates   |
      | 张伟 | 1990-05-01 | 本科      | 助理社会工作师 |
      | 刘洋 | 1992-07-15 | 大专      |                |
    And the officer has reviewed the applications
    And these scores:
      | name | written | interview |
      | 张伟 | 70      | 70        |
      | 刘洋 | 70      | 80        |
    When the officer ranks the candidates
    Then the ranking of the "委员" places in "GS001" is:
      | name | rank | bonus | composite | status   |
      | 刘洋 | 1    | 0     | 75.00     | selected |
      | 张伟 | 2    | 10    | 75.00     | standby  |

  Scenario: A failed physical exam passes the place to the next in rank
    Given a ranked campaign with "张伟", "刘洋" and "陈静" in that order
    When the physical exam of "张伟" fails
    Then "张伟" is removed and "刘洋" takes the place
    And the campaign's history shows "check" then "next_in_rank"

  Scenario: No public notice before the ranking
    Given these applications:
      | name | born       | education |
      | 张伟 | 1990-05-01 | 本科      |
    And the officer has reviewed the applications
    When the officer starts the public notice on 2025-04-01
    Then the answer is 409 with code "step_out_of_order" citing "D-4"
