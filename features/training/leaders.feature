Feature: Programmes for community leaders and leader talents
  Background:
    Given a training coordinator of "hangzhou.gongshu"
    And the roster of "hangzhou.gongshu":
      | worker_id | name   | post | designations  |
      | 701       | 张书记 | 正职 |               |
      | 702       | 李委员 | 委员 |               |
      | 703       | 周人才 | 副职 | leader_talent |

  @clause:S0-4
  Scenario: The "lead goose" programme is for secretaries and directors
    S0-4 "突出'领头雁'工程，强化个性化培训，提高整体素质，打造'团队冠军'"
    Given a programme "领头雁书记主任班" of tier "secretary_director" in class "party_school" of 40 hours
    And session "领头雁一期" of "领头雁书记主任班" from "2025-04-07 09:00" to "2025-04-11 17:00" with 30 seats
    When "张书记" is enrolled in "领头雁一期"
    Then "张书记" holds a seat in "领头雁一期"
    When "李委员" is enrolled in "领头雁一期"
    Then the answer is 422 with code "not_eligible_for_tier" citing "S0-4"

  @clause:S2-2
  Scenario: The leader-talent programme takes only designated leader talents
    S2-2 "遵守分层分类的培训原则"; S2-6 "建立领军人才专项培训制度"
    Given a programme "领军人才专项培训" of tier "leader_talent" in class "leader_talent" of 40 hours
    And session "深圳学习" of "领军人才专项培训" from "2025-09-15 09:00" to "2025-09-19 17:00" with 30 seats
    When "张书记" is enrolled in "深圳学习"
    Then the answer is 422 with code "not_eligible_for_tier" citing "S2-6"
    When "周人才" is enrolled in "深圳学习"
    Then "周人才" holds a seat in "深圳学习"
