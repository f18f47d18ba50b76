@clause:S2-1 @clause:D-4 @clause:D-6
Feature: A hire through recruitment reaches training and certs
  Clause S2-1: "建立社区专职工作者的招录、使用、培训、鼓励和保障机制" — recruitment,
  deployment and training are one life cycle: a hire arrives in training and
  certification without being typed in again.
  HR publishes worker.hired when a campaign's candidate is hired; the
  training and certs workers consume it over Dramatiq on Redis, each through
  its inbox (docs/architecture.md "How an event flows": "worker.hired → training: enrol in
  induction tier; → certs: open the worker's profile").
  Clause D-4 (design default): "… → physical exam and background check →
  public notice (公示) of 5 working days, objections possible → hire with 6
  months' probation; no transfer for 3 years."
  Clause D-6 (design default): "Training obligations: every new hire
  completes induction (岗前培训) within the probation period; …"

  Scenario: A worker hired through recruitment is enrolled in induction and has a certs profile
    Given an induction session of "hangzhou.gongshu" starting in 14 days
    And a community "E2E001" of "hangzhou.gongshu" with 1200 households
    And a campaign announced 40 days ago opening 1 "委员" place in "E2E001"
    And "林晓" applied, was found eligible, scored 88 and 82 and ranked first
    And "林晓" has passed the physical exam and the background check
    And the public notice started 30 days ago
    When the officer hires the candidates today
    Then "林晓" is on HR's rolls in "E2E001" on probation for 6 months
    And "林晓" appears on training's roster with the same probation
    And "林晓" holds a seat in the induction session
    And certs has opened a profile for "林晓" hired today
