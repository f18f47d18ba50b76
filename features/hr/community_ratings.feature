@clause:S1-4
Feature: Community ratings: 规范, 星级 and 花园 communities, scored, ranked and announced
  Clause S1-4 (source 001): "創建"規範、星級、花園"社區…陳述答辯評審會,經過激烈角逐,
  排出了各個類別的先後排名,然後向社會公示,征求群眾意見和建議"
  — each year communities apply for a level: 规范 (standard), 星级 (starred,
  with a star count), 花园 (garden); a panel scores a presentation and defence;
  communities are ranked per level; the results are publicly announced (公示)
  for comment before they stand, and are kept on the community record by year.
  The figures are the community_rating policy (illustrative, the clause names
  none): 陈述 40 %, 答辩 60 %; a panel of at least 5, the highest and the lowest
  mark dropped from 5 reviewers; pass marks 规范 60, 星级 75, 花园 85; 星级 needs
  规范 and 花园 needs 星级 held from an earlier year; 公示 of 5 working days (D-10).

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And communities "GS101", "GS102", "GS103" and "GS104" of "hangzhou.gongshu"

  Scenario: The full round: apply, panel, ranking per level, 公示 with an objection, results
    Given these results of earlier years:
      | community | year | level | stars |
      | GS102     | 2024 | 规范  |       |
      | GS103     | 2023 | 规范  |       |
      | GS103     | 2024 | 星级  | 3     |
    And a rating round for 2025 of "hangzhou.gongshu" opened on 2025-03-03
    And these applications:
      | community | level | stars |
      | GS101     | 规范  |       |
      | GS104     | 规范  |       |
      | GS102     | 星级  | 4     |
      | GS103     | 花园  |       |
    And the panel "评委一", "评委二", "评委三", "评委四" and "评委五"
    # each cell is 陈述/答辩; a mark is 陈述 × 40% + 答辩 × 60%
    When the panel scores:
      | community | 评委一 | 评委二 | 评委三 | 评委四 | 评委五 |
      | GS101     | 80/90  | 70/80  | 90/95  | 60/70  | 85/85  |
      | GS104     | 60/50  | 55/60  | 70/65  | 50/55  | 65/60  |
      | GS102     | 80/80  | 75/85  | 90/90  | 70/75  | 85/80  |
      | GS103     | 90/92  | 88/90  | 95/94  | 80/85  | 92/88  |
    And the officer ranks the round
    # GS101: marks 86, 76, 93, 66, 85 → 66 and 93 dropped → (76 + 85 + 86) / 3 = 82.333… → 82.33
    # GS104: 54, 58, 67, 53, 62 → (54 + 58 + 62) / 3 = 58.00, below 60
    # GS102: 80, 81, 90, 73, 82 → 81.00; GS103: 91.2, 89.2, 94.4, 83, 89.6 → 90.00
    Then the ranking is:
      | level | rank | community | score | status   |
      | 规范  | 1    | GS101     | 82.33 | proposed |
      | 规范  | 2    | GS104     | 58.00 | failed   |
      | 星级  | 1    | GS102     | 81.00 | proposed |
      | 花园  | 1    | GS103     | 90.00 | proposed |
    When the officer starts the public notice on 2025-04-30
    Then the notice ends on 2025-05-09
    When an objection to "GS102" is lodged on 2025-05-06
    And the objection is upheld on 2025-05-08
    And the officer finalises the round on 2025-05-12
    Then the round is final
    And the community "GS101" shows the ratings "2025 规范"
    And the community "GS102" shows the ratings "2024 规范"
    And the community "GS103" shows the ratings "2023 规范, 2024 星级 3, 2025 花园"
    And the community "GS104" shows no ratings
    And the 2025 summary by district counts for "hangzhou.gongshu" 1 规范, 0 星级 and 1 花园

  Scenario: 星级 without 规范 from an earlier year is refused
    Given a rating round for 2025 of "hangzhou.gongshu" opened on 2025-03-03
    When "GS101" applies for "星级" with 3 stars
    Then the answer is 409 with code "rating_prerequisite" citing "S1-4"
    And the round has no applications

  Scenario: A score outside 0–100 is refused and nothing is recorded
    Given a rating round for 2025 of "hangzhou.gongshu" opened on 2025-03-03
    And these applications:
      | community | level | stars |
      | GS101     | 规范  |       |
    And the panel "评委一", "评委二", "评委三", "评委四" and "评委五"
    And the officer has closed the applications
    When "评委一" scores "GS101" with 陈述 101 and 答辩 90
    Then the answer is 422 with code "score_out_of_range" citing "S1-4"
    And "GS101" has no scores

  Scenario: Finalising while the 公示 runs is refused
    Given a rating round for 2025 of "hangzhou.gongshu" opened on 2025-03-03
    And these applications:
      | community | level | stars |
      | GS101     | 规范  |       |
    And the panel "评委一", "评委二", "评委三", "评委四" and "评委五"
    And every reviewer has scored every application 80/80
    And the officer has ranked the round
    And the officer has started the public notice on 2025-04-30
    When the officer finalises the round on 2025-05-08
    Then the answer is 409 with code "notice_not_ended" citing "S1-4"
    And the community "GS101" shows no ratings
