@clause:D-17 @clause:D-8
Feature: Four levels: city, district, street and community
  Clause D-17 (design default): "Organisation levels: city → district →
  street (街道) → community. Officers act within their level; a community
  secretary reads their own community. Policy versions may be set at any
  level and fall back upward (S3-5)."
  Clause D-8 (design default): "... act only within their jurisdiction ...
  Another person's record answers 404."

  Background:
    Given the streets "east" and "west" of "hangzhou.gongshu"
    And the community "E-01" in street "east" and "W-01" in street "west"
    And officers of street "east" and of the district

  Scenario: A street officer hires into their street's community
    When the street officer hires "陈东" into "E-01"
    Then the answer is 201
    And "陈东" has the jurisdiction "hangzhou.gongshu.east"

  Scenario: A street officer may not hire into the other street
    When the street officer hires "林西" into "W-01"
    Then the answer is 403 with code "outside_jurisdiction" citing "D-8"

  Scenario: A jurisdiction that does not cover the community is refused
    When the district officer hires "林西" into "W-01" with the jurisdiction "hangzhou.gongshu.east"
    Then the answer is 422 with code "jurisdiction_mismatch" citing "D-17"
    And the refusal names the field "jurisdiction"

  Scenario: A street officer is told there is no worker of the other street; the district sees both
    Given "陈东" is hired into "E-01" and "林西" into "W-01"
    When the street officer asks for the record of "林西"
    Then the answer is 404 with code "not_found"
    When the street officer lists the workers
    Then the list holds "陈东" only
    When the district officer lists the workers
    Then the list holds "陈东" and "林西"

  Scenario: A transfer to a community of another street moves the worker's jurisdiction
    Given "陈东" is hired into "E-01" and "林西" into "W-01"
    When the district officer transfers "陈东" to "W-01"
    Then "陈东" has the jurisdiction "hangzhou.gongshu.west"
    And the street officer asking for the record of "陈东" is told there is none

  Scenario: Training and certificates keep to the street as HR does
    Given "陈东" is hired into "E-01" and "林西" into "W-01"
    And HR's events have reached training and certs
    Then the street's training coordinator reads the enrolments of "陈东" and not those of "林西"
    And the street's certification officer records a certificate for "陈东"
    But the street's certification officer may not record one for "林西"
    And the district's certification officer records a certificate for "林西"

  Scenario: A community secretary reads their own community on every service
    Given "陈东" is hired into "E-01" and "林西" into "W-01"
    And HR's events have reached training and certs
    And the district's certification officer records a certificate for each of them
    And a secretary of "E-01"
    When the secretary lists the workers
    Then the list holds "陈东" only
    And the secretary reads the record and the history of "陈东" and not the record of "林西"
    And the secretary's training roster holds "陈东" only, whose enrolments they read
    And the secretary's certificate list holds the certificate of "陈东" only
    And the secretary may not put a worker on the rolls of "E-01"

  Scenario: A street's policy version wins for its workers; the other street keeps the district's
    Given the administrator counts "本科" as 5 years of service for street "east" from "2020-01-01"
    When the district officer hires "陈东" with a 本科 degree and no grade into "E-01"
    And the district officer hires "林西" with a 本科 degree and no grade into "W-01"
    Then "陈东" starts at grade 6
    And "林西" starts at grade 4

  Scenario: A community renamed from a date keeps its old name for earlier dates
    When the district officer renames "E-01" to "东新社区" from "2024-01-01"
    Then the communities as of "2023-06-30" show "E-01" as "E-01社区"
    And the communities as of "2024-01-01" show "E-01" as "东新社区"
    And "E-01" has 2 names in its history

  Scenario: A community with workers is not moved into a street by hand
    Given the community "G-09" of the district in no street
    And "王五" is on the rolls of "G-09"
    When the district officer puts "G-09" in street "east"
    Then the answer is 409 with code "community_has_workers" citing "D-17"

  Scenario: A deactivated account's token stops working on every service
    Given a street officer "hr-east-2" of "hangzhou.gongshu.east" with a login
    When the administrator deactivates "hr-east-2"
    Then the answer is 200
    And the token of "hr-east-2" is refused with 401 by hr, training and certs
