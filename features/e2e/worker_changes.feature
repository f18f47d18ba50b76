@clause:D-11 @clause:D-6
Feature: A transfer and a post change reach training and certs
  Clause D-11 (design default): "Changes of a worker — post, community
  (transfer), jurisdiction, status … — take effect from a date, are kept in the
  worker's history and published so training and certs follow."
  HR publishes worker.changed with the change; training's roster and certs'
  profile follow it (docs/events.md).
  Clause D-6: "secretaries/directors at least 7 days of centralised training a year".

  Scenario: A transfer to another community
    Given a worker "郑洁" hired 6 years ago, known to training and certs
    And a community "GS-E2E-1" of "hangzhou.gongshu" with 4000 households
    When HR transfers "郑洁" to "GS-E2E-1" from yesterday
    Then training's roster shows "郑洁" in "GS-E2E-1" of "hangzhou.gongshu"
    And certs' profile of "郑洁" shows "GS-E2E-1" of "hangzhou.gongshu"

  Scenario: A post change to 正职 brings the seven days a year
    Given a worker "孙丽" hired 6 years ago, known to training and certs
    When HR moves "孙丽" to the post "正职" from yesterday
    Then training's roster shows "孙丽" as "正职"
    And training says "孙丽" owes "annual_days" this year
