@clause:D-7 @clause:S2-6 @clause:D-1
Feature: HR's assessments feed talent eligibility; a finalised round enrols the leader programme
  HR publishes assessment.recorded; certs keeps the grades its talent
  eligibility reads. Certs publishes talent.selected when a round is
  finalised; training records the designation and enrols the worker in the
  leader-talent programme, and HR puts the designation on the worker's record
  and its allowance on the payslips of the term (docs/architecture.md, "How an event flows").
  Clause D-1 (design default): "Assessment grades: 优秀 (excellent), 合格
  (pass), 基本合格 (basic pass), 不合格 (fail)."
  Clause D-7 (design default): "… eligibility (≥5 years' service, no
  assessment below 合格 in the last 3 years, at least 助理社会工作师) … →
  designation for a 3-year term, 1000 yuan/month allowance, enrolment in the
  leader programme (S2-6)."
  Clause S2-6: "建立领军人才专项培训制度" (a dedicated training programme for
  the leader talents).

  Scenario: An assessment recorded in HR reaches certs' talent-eligibility read model
    Given a worker "郑洁" hired 6 years ago, known to training and certs
    When HR records the assessment of "郑洁" for last year as "基本合格"
    Then certs' profile of "郑洁" shows "基本合格" for last year
    And "郑洁" is not eligible in a leader-talent round opened today, for "assessment_below_pass"

  Scenario: A finalised leader-talent round enrols the selected in the leader programme
    Given a worker "王磊" hired 6 years ago, known to training and certs
    And "王磊" holds a "助理社会工作师" certificate passed 2 years ago
    And HR has recorded the assessment of "王磊" for last year as "优秀", and certs has it
    And a leader-talent session of "hangzhou.gongshu" starting in 30 days
    And a leader-talent round opened 60 days ago with 1 place and 2 nominations for "hangzhou.gongshu"
    When "王磊" is nominated, scored, ranked and given a public notice starting 40 days ago
    And the city finalises the round today
    Then "王磊" is a leader talent in certs for 3 years from today
    And training's roster shows "王磊" designated "leader_talent" for the same term
    And HR's record of "王磊" carries the "leader_talent" designation for the same term
    And the payslip of "王磊" for next month carries the leader-talent allowance of 1000.00 yuan
    And "王磊" holds a seat in the leader-talent session
