@clause:S4-1
Feature: A community's staffing quota, headcount and vacancies
  Clause S4-1 (社区居委会按照每400户左右有一名社区工作者): "Staffing quota of a
  community = ceil(households / 400) workers (parameter: 400). A recruitment
  plan may not open more posts than quota − current headcount."
  Clause S4-3 (对拥有100名以上党员的社区建立社区党委,市里配两名专职党务干部): "A
  community with ≥100 party members has a party committee and 2 full-time
  party-affairs posts, which count in its establishment (编制) on top of S4-1."
  Clause D-9 (design default): "Staffing cap: at most 15 workers in one
  community whatever S4-1 gives."

  Background:
    Given an HR officer of "hangzhou.gongshu"

  Scenario: One worker per 400 households, rounded up
    Given a community "GS001" of "hangzhou.gongshu" with 1201 households and 30 party members
    When the officer asks for the staffing of "GS001"
    Then the quota is 4: 4 for the households and 0 party-affairs posts
    And the headcount is 0 and the vacancies are 4

  @clause:S4-3
  Scenario: A community with 100 party members has two party-affairs posts on top
    Given a community "GS002" of "hangzhou.gongshu" with 1200 households and 100 party members
    When the officer asks for the staffing of "GS002"
    Then the quota is 5: 3 for the households and 2 party-affairs posts

  @clause:S4-3
  Scenario: 99 party members are not enough for a party committee
    Given a community "GS003" of "hangzhou.gongshu" with 1200 households and 99 party members
    When the officer asks for the staffing of "GS003"
    Then the quota is 3: 3 for the households and 0 party-affairs posts

  @clause:D-9
  Scenario: No community has more than 15 workers
    Given a community "GS004" of "hangzhou.gongshu" with 6000 households and 150 party members
    When the officer asks for the staffing of "GS004"
    Then the quota is 15: 15 for the households and 2 party-affairs posts
    And the quota is capped

  Scenario: Workers on the rolls fill the quota
    Given a community "GS001" of "hangzhou.gongshu" with 1200 households and 30 party members
    And 2 workers on the rolls of "GS001"
    When the officer asks for the staffing of "GS001"
    Then the headcount is 2 and the vacancies are 1

  Scenario: The households per worker are a policy figure of the district
    Given "hangzhou.gongshu" counts one worker per 300 households from 2025-01-01
    And a community "GS001" of "hangzhou.gongshu" with 1200 households and 30 party members
    When the officer asks for the staffing of "GS001"
    Then the quota is 4: 4 for the households and 0 party-affairs posts

  Scenario: A campaign may not open more places than the vacancies
    Given a community "GS001" of "hangzhou.gongshu" with 1200 households and 30 party members
    And 2 workers on the rolls of "GS001"
    And a campaign announced on 2025-03-03 in "hangzhou.gongshu"
    When the officer opens 2 "委员" places in "GS001"
    Then the answer is 409 with code "over_quota" citing "S4-1"
    And the campaign has no posts
    When the officer opens 1 "委员" places in "GS001"
    Then the answer is 201

  Scenario: Places open in another campaign count against the vacancies
    Given a community "GS001" of "hangzhou.gongshu" with 800 households and 30 party members
    And a campaign announced on 2025-03-03 in "hangzhou.gongshu"
    And the campaign opens 2 "委员" places in "GS001"
    And another campaign announced on 2025-04-01 in "hangzhou.gongshu"
    When the officer opens 1 "副职" places in "GS001"
    Then the answer is 409 with code "over_quota" citing "S4-1"

  Scenario: An unknown community is refused by name
    Given a campaign announced on 2025-03-03 in "hangzhou.gongshu"
    When the officer opens 1 "委员" places in "GS404"
    Then the answer is 422 naming the field "community_code"
    And the campaign has no posts

  @clause:D-8
  Scenario: An officer of another district may not open places in this district's campaign
    Given a community "GS001" of "hangzhou.gongshu" with 1200 households and 30 party members
    And a campaign announced on 2025-03-03 in "hangzhou.gongshu"
    And an HR officer of "hangzhou.xihu"
    When the officer of "hangzhou.xihu" opens 1 "委员" places in "GS001"
    Then the answer is 403 with code "outside_jurisdiction" citing "D-8"
    And the campaign has no posts
