@clause:S3-8
Feature: Secondments and exchanges on a worker's record
  Clause S3-8 (采取挂职锻炼、异地交流、培养激励等形式,加大社区干部培养): "Secondment
  and cross-area exchange are recorded postings."
  Clause S4-8 (凡拟提拔的干部都要有到社区挂职锻炼的经历): "Secondments (挂职锻炼) are
  recorded on a worker's record."

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And a community "GS001" of "hangzhou.gongshu" with 1200 households and 30 party members
    And a worker "王芳" of "GS001" hired on 2020-03-01

  @clause:S4-8
  Scenario: A secondment is recorded on the worker's record
    When the officer records a "secondment" of "王芳" to "拱墅区民政局" from 2024-03-01 to 2024-08-31
    Then the answer is 201
    And the record of "王芳" shows a "挂职锻炼" at "拱墅区民政局" citing "S4-8"

  Scenario: An exchange is recorded on the worker's record
    When the officer records a "exchange" of "王芳" to "西湖区翠苑社区" from 2024-09-01 to 2025-08-31
    Then the answer is 201
    And the record of "王芳" shows a "异地交流" at "西湖区翠苑社区" citing "S3-8"

  Scenario: Postings do not overlap
    Given the officer has recorded a "secondment" of "王芳" to "拱墅区民政局" from 2024-03-01 to 2024-08-31
    When the officer records a "exchange" of "王芳" to "西湖区翠苑社区" from 2024-08-01 to 2025-07-31
    Then the answer is 409 with code "posting_overlaps" citing "S3-8"

  @clause:D-4
  Scenario: No exchange in the first three years after hire
    Given a worker "李明" of "GS001" hired on 2024-03-01
    When the officer records a "exchange" of "李明" to "西湖区翠苑社区" from 2025-09-01 to 2026-08-31
    Then the answer is 409 with code "no_transfer_period" citing "D-4"

  @clause:D-8
  Scenario: A worker sees their own postings and no one else's
    Given the officer has recorded a "secondment" of "王芳" to "拱墅区民政局" from 2024-03-01 to 2024-08-31
    And a worker "李明" of "GS001" hired on 2024-03-01
    When "王芳" asks for the postings of "王芳"
    Then the answer is 200
    When "李明" asks for the postings of "王芳"
    Then the answer is 404 with code "not_found"
