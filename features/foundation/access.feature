@clause:D-8
Feature: Who may see and change which records
  Clause D-8 (design default): "A worker sees only their own record; HR
  officers, training coordinators and certification officers act only within
  their jurisdiction (city, or one district). Another person's record answers
  404."

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And a worker "王芳" on the rolls of "hangzhou.gongshu" with a login
    And a worker "李明" on the rolls of "hangzhou.gongshu" with a login

  Scenario: A worker sees their own record
    When "王芳" asks for the record of "王芳"
    Then the answer is 200
    And the record shown is that of "王芳"

  Scenario: A worker asking for another worker's record is told there is none
    When "王芳" asks for the record of "李明"
    Then the answer is 404 with code "not_found"

  Scenario: A worker's list of workers holds only themselves
    When "王芳" lists the workers
    Then the list holds only "王芳"

  Scenario: An officer of another district is told there is no such record
    Given an HR officer of "hangzhou.xihu"
    When the officer of "hangzhou.xihu" asks for the record of "王芳"
    Then the answer is 404 with code "not_found"

  Scenario: A city officer sees the records of every district
    Given an HR officer of "hangzhou"
    When the officer of "hangzhou" asks for the record of "王芳"
    Then the answer is 200

  Scenario: An officer may not put a worker on another district's rolls
    Given an HR officer of "hangzhou.xihu"
    When the officer of "hangzhou.xihu" adds a worker to "hangzhou.gongshu"
    Then the answer is 403 with code "outside_jurisdiction" citing "D-8"

  Scenario: A training coordinator may not add workers
    Given a training coordinator of "hangzhou.gongshu"
    When the training coordinator adds a worker to "hangzhou.gongshu"
    Then the answer is 403 with code "role_not_allowed" citing "D-8"

  Scenario: Every service applies the same token
    When "王芳" calls the health-checked policy list of the training service
    Then the answer is 403 with code "role_not_allowed" citing "D-8"
