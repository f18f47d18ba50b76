@clause:D-7
Feature: Leader-talent rounds
  Clause D-7 (design default): "Leader-talent round: a call with a city quota
  and per-district nomination quotas → nominations → eligibility (≥5 years'
  service, no assessment below 合格 in the last 3 years, at least
  助理社会工作师) → expert scoring on integrity and ability, public recognition,
  results, training, certificate (weights are parameters) → ranking against
  quota → public notice 5 working days with objections → designation for a
  3-year term, 1000 yuan/month allowance, enrolment in the leader programme
  (S2-6)."

  Background:
    Given a cert officer of "hangzhou"
    And a cert officer of "hangzhou.gongshu"
    And a cert officer of "hangzhou.xihu"
    And a leader-talent round opened on 2025-03-01 with a city quota of 2 and nomination quotas:
      | district         | quota |
      | hangzhou.gongshu | 2     |
      | hangzhou.xihu    | 2     |

  @clause:S2-6
  Scenario: The first city-wide round has a quota of 61
    When the city opens a leader-talent round on 2025-03-01 with a city quota of 61
    Then the answer is 201
    And the round is "nominating" with a city quota of 61

  Scenario: A district over its nomination quota is refused
    Given eligible workers "王芳", "李明" and "张伟" of "hangzhou.gongshu"
    And "hangzhou.gongshu" nominates "王芳"
    And "hangzhou.gongshu" nominates "李明"
    When "hangzhou.gongshu" nominates "张伟"
    Then the answer is 409 with code "district_quota_full" citing "D-7"
    And the round has 2 nominations from "hangzhou.gongshu"

  Scenario: An ineligible worker is refused with every reason
    Given a worker "赵磊" of "hangzhou.gongshu" hired on 2022-03-01
    And "赵磊" was assessed "不合格" in 2024
    When "hangzhou.gongshu" nominates "赵磊"
    Then the answer is 422 with code "not_eligible" citing "D-7"
    And the reasons are "service_too_short", "assessment_below_pass" and "certificate_level_too_low"

  @clause:D-8
  Scenario: A district may not nominate another district's worker
    Given eligible workers "王芳" of "hangzhou.gongshu"
    When "hangzhou.xihu" nominates "王芳"
    Then the answer is 403 with code "outside_jurisdiction" citing "D-8"

  Scenario: A step of the round out of order is refused
    When the city ranks the round
    Then the answer is 409 with code "round_step_out_of_order" citing "D-7"

  @clause:S0-3 @clause:S1-2
  Scenario: Experts score the D-7 criteria and the weighted means rank the nominees
    Given eligible workers "王芳" and "李明" of "hangzhou.gongshu"
    And eligible workers "陈静" of "hangzhou.xihu"
    And the nominations are "王芳", "李明" and "陈静" and they are closed
    When 3 experts score:
      | worker | integrity | recognition | results | training | certificate |
      | 王芳   | 90        | 90          | 90      | 90       | 90          |
      | 李明   | 70        | 70          | 70      | 70       | 70          |
      | 陈静   | 80        | 80          | 80      | 80       | 80          |
    And the city ranks the round
    Then the ranking is "王芳" 90.00 selected, "陈静" 80.00 selected, "李明" 70.00 reserve

  Scenario: A score out of range is refused and nothing is written
    Given eligible workers "王芳" of "hangzhou.gongshu"
    And the nominations are "王芳" and they are closed
    When an expert scores "王芳" 101 on "results"
    Then the answer is 422 with code "score_out_of_range" naming "entries[0].scores.results"
    And no scores are recorded for "王芳"

  Scenario: A tie at the quota line goes to the higher score on the heaviest criterion
    Given eligible workers "王芳" and "李明" of "hangzhou.gongshu"
    And eligible workers "陈静" of "hangzhou.xihu"
    And the nominations are "王芳", "李明" and "陈静" and they are closed
    When 3 experts score:
      | worker | integrity | recognition | results | training | certificate |
      | 王芳   | 95        | 95          | 95      | 95       | 95          |
      | 李明   | 80        | 80          | 90      | 80       | 80          |
      | 陈静   | 90        | 80          | 80      | 85       | 80          |
    And the city ranks the round
    Then the ranking is "王芳" 95.00 selected, "李明" 83.00 selected, "陈静" 83.00 reserve

  @clause:S1-2
  Scenario: The public notice runs 5 working days
    Given a ranked round with "王芳" and "李明" selected and "陈静" in reserve
    When the city publishes the notice on 2025-09-29
    Then the notice ends on 2025-10-11

  @clause:S1-2
  Scenario: An upheld objection gives the place to the next in rank
    Given a ranked round with "王芳" and "李明" selected and "陈静" in reserve
    And the city published the notice on 2025-09-29
    When an objection to "李明" is raised on 2025-10-09
    And the objection is upheld on 2025-10-10
    Then "李明" is struck and "陈静" is selected with a notice until 2025-10-16
    And finalising on 2025-10-16 is refused with code "notice_not_over"

  @clause:S1-2
  Scenario: An objection after the notice is refused
    Given a ranked round with "王芳" and "李明" selected and "陈静" in reserve
    And the city published the notice on 2025-09-29
    When an objection to "李明" is raised on 2025-10-13
    Then the answer is 409 with code "objection_outside_notice" citing "S1-2"

  @clause:S2-6 @clause:S0-4
  Scenario: The selected become leader talents for a term, with an allowance
    Given a ranked round with "王芳" and "李明" selected and "陈静" in reserve
    And the city published the notice on 2025-09-29
    When the city finalises the round on 2025-10-13
    Then "王芳" and "李明" are leader talents from 2025-10-13 until 2028-10-12 with 100000 fen a month
    And talent.selected is published for "王芳" and "李明", for training's leader programme
    And the roster of leader talents on 2026-01-01 is "王芳" and "李明"

  @clause:S2-6
  Scenario: After a full term a leader talent may take the supervisor role
    Given a ranked round with "王芳" and "李明" selected and "陈静" in reserve
    And the city published the notice on 2025-09-29
    And the city finalised the round on 2025-10-13
    Then "王芳" may not take the supervisor role on 2028-10-12
    And "王芳" may take the supervisor role on 2028-10-13
