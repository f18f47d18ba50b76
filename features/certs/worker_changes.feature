@clause:D-11
Feature: Training and certs follow a worker's changes
  Clause D-11 (design default): "Changes of a worker — post, community
  (transfer), jurisdiction, status (probation confirmed, left, reinstated) —
  take effect from a date, are kept in the worker's history and published so
  training and certs follow."
  HR publishes worker.changed (docs/events.md). Training keeps its roster and
  certs the worker's profile from it; each applies a change only when it is
  newer than the last one applied, and a change for a worker not yet hired
  there fails so that the message is delivered again.

  Background:
    Given HR has hired "王芳" as "委员" into "GS001" of "hangzhou.gongshu" on 2015-03-01

  Scenario: A transfer reaches training's roster and the certs profile
    When HR transfers "王芳" to "XH007" of "hangzhou.xihu" from 2026-03-01
    Then training's roster has "王芳" in "XH007" of "hangzhou.xihu"
    And the certs profile of "王芳" is in "XH007" of "hangzhou.xihu"
    And a training coordinator of "hangzhou.xihu" finds "王芳" on the roster
    And a training coordinator of "hangzhou.gongshu" no longer finds "王芳"

  @clause:D-6
  Scenario: A move to 正职 brings the seven days of centralised training a year, a move off it ends them
    Clause D-6: "secretaries/directors at least 7 days of centralised
    training a year; other workers at least one programme every 2 years."
    When HR changes the post of "王芳" to "正职" from 2026-03-01
    Then in 2026 "王芳" owes "annual_days" and not "periodic_programme"
    When HR changes the post of "王芳" to "副职" from 2026-06-01
    Then in 2026 "王芳" owes "periodic_programme" and not "annual_days"

  Scenario: A change older than the last one applied changes nothing
    When HR changes the post of "王芳" to "正职" from 2026-03-01
    And an older change moving "王芳" to "副职" arrives late
    Then training's roster has "王芳" as "正职"

  Scenario: A change that arrives before the hire is delivered again after it
    When a change moving "李娜" to "XH001" of "hangzhou.xihu" arrives before her hire
    Then the change fails in training and in certs, and nothing is recorded
    When HR has hired "李娜" as "委员" into "GS002" of "hangzhou.gongshu" on 2026-01-05
    And the change is delivered again
    Then training's roster has "李娜" in "XH001" of "hangzhou.xihu"
    And the certs profile of "李娜" is in "XH001" of "hangzhou.xihu"

  Scenario: Employment ended in probation closes the records, reinstatement reopens them
    Given HR has hired "张伟" as "委员" into "GS003" of "hangzhou.gongshu" on 2026-01-05
    When HR ends the employment of "张伟" in probation on 2026-03-31
    Then training's roster has "张伟" "left" since 2026-03-31
    And the certs profile of "张伟" is "left" since 2026-03-31
    When HR reinstates "张伟" from 2026-04-15
    Then training's roster has "张伟" "active"
    And the certs profile of "张伟" is "active"
