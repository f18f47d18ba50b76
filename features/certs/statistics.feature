@clause:S2-7
Feature: Certified workers by level and jurisdiction
  Clause S2-7: "共有8307人通过考试…社区工作者持证人数为6633人,占比为79.85%" —
  the suite reports how many hold the certificate and what share are
  community workers.

  Background:
    Given a cert officer of "hangzhou"

  Scenario: The share of community workers among the city's holders
    Given 8307 certificate holders passed by 2016-06-30, 6633 of them community workers
    When the officer asks for the holders as of 2016-12-31
    Then there are 8307 holders, 6633 community workers, 79.85 percent

  Scenario: A holder counts once, at the highest level held on the date
    Given a worker "王芳" of "hangzhou.gongshu"
    And "王芳" holds a "助理社会工作师" certificate passed on 2014-09-01
    And "王芳" holds a "社会工作师" certificate passed on 2016-09-01
    And a holder "陈静" of "hangzhou.xihu" who is not a community worker
    And "陈静" holds a "社会工作师" certificate passed on 2015-09-01
    When the officer asks for the holders as of 2015-12-31
    Then there are 2 holders, 1 community workers, 50.00 percent
    And "hangzhou.gongshu" has 1 "助理社会工作师" and 0 "社会工作师"
    When the officer asks for the holders as of 2016-12-31
    Then "hangzhou.gongshu" has 0 "助理社会工作师" and 1 "社会工作师"
    And "hangzhou.xihu" has 1 holders, 0 community workers

  @clause:D-8
  Scenario: A district officer asks only for their own district
    Given a cert officer of "hangzhou.xihu"
    When the officer of "hangzhou.xihu" asks for the holders of "hangzhou.gongshu"
    Then the answer is 403 with code "outside_jurisdiction" citing "D-8"
