@clause:S4-7a
Feature: A community's annual work fund
  Clause S4-7a (社区年工作经费(含社区工作者工资、福利、奖金)按每百户4000元,由市财政…拨付各区,
  区财政另按1:1的原则配套): "A community's annual work fund = 4000 yuan per 100
  households from the city, matched 1:1 by the district (parameters)."
  Clause S4-7b (并以每年5个百分点的速度递增): "The per-100-household figure grows
  5% a year (parameter), compounding from its base year."
  Clause S4-7c (建立党委的社区每年增加6.4万元的社区党务工作经费…按每个党员每年10元的标准):
  "+64,000 yuan a year for a community with a party committee; +10 yuan per
  party member a year."

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And a community "GS001" of "hangzhou.gongshu" with 1000 households and 50 party members

  Scenario: The city pays 4000 yuan per 100 households and the district matches it
    When the officer asks for the work fund of "GS001" for 2004
    Then the fund is made of:
      | part            | clause | yuan     |
      | city            | S4-7a  | 40000.00 |
      | district_match  | S4-7a  | 40000.00 |
      | party_committee | S4-7c  | 0.00     |
      | party_members   | S4-7c  | 500.00   |
    And the total is 80500.00 yuan

  @clause:S4-7b
  Scenario: The figure per 100 households grows 5% a year, compounding
    When the officer asks for the work fund of "GS001" for 2006
    Then the figure per 100 households is 4410.00 yuan after 2 years of growth
    And the fund is made of:
      | part           | clause | yuan     |
      | city           | S4-7a  | 44100.00 |
      | district_match | S4-7a  | 44100.00 |

  @clause:S4-7c
  Scenario: A community with a party committee gets 64,000 yuan and 10 yuan per member
    Given a community "GS002" of "hangzhou.gongshu" with 1000 households and 120 party members
    When the officer asks for the work fund of "GS002" for 2004
    Then the fund is made of:
      | part            | clause | yuan     |
      | party_committee | S4-7c  | 64000.00 |
      | party_members   | S4-7c  | 1200.00  |
    And the total is 145200.00 yuan
