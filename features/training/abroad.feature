@clause:S2-3
Feature: Places abroad go to selected workers
  S2-3 "不仅展开'本市学''跨市学'，还每一年选派优秀社区工作者'出境学'": a programme
  located abroad takes only workers on that year's selection list, and the
  places a year are a parameter.

  Background:
    Given a training coordinator of "hangzhou.gongshu"
    And the roster of "hangzhou.gongshu":
      | worker_id | name | post |
      | 601       | 王芳 | 委员 |
      | 602       | 李明 | 副职 |
    And the places abroad for "hangzhou.gongshu" are 1 a year from "2025-01-01"
    And a programme "境外研修" located "abroad" of 40 hours
    And session "十月出境" of "境外研修" from "2025-10-13 09:00" to "2025-10-17 17:00" with 20 seats

  Scenario: Only a selected worker may enrol in a programme abroad
    When "王芳" is enrolled in "十月出境"
    Then the answer is 422 with code "not_selected_abroad" citing "S2-3"
    When the coordinator selects "王芳" for study abroad in 2025
    And "王芳" is enrolled in "十月出境"
    Then "王芳" holds a seat in "十月出境"

  Scenario: The selection list holds no more than the year's places
    When the coordinator selects "王芳" for study abroad in 2025
    And the coordinator selects "李明" for study abroad in 2025
    Then the answer is 409 with code "abroad_places_full" citing "S2-3"

  Scenario: Study in the city and in other cities needs no selection
    Given a programme "跨市学习" located "other_city" of 24 hours
    And session "杭州以外" of "跨市学习" from "2025-11-03 09:00" to "2025-11-05 17:00" with 20 seats
    When "李明" is enrolled in "杭州以外"
    Then "李明" holds a seat in "杭州以外"
