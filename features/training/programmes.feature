Feature: Layered and classified programmes
  A coordinator builds programmes by tier (分层: who they are for) and class
  (分类: the seven classes of the policy table), with their content area,
  topics, delivery, mode, location, hours, CPD accreditation and cost.

  Background:
    Given a training coordinator of "hangzhou.gongshu"

  @clause:S2-2
  Scenario: A programme is layered by tier and classified by one of the seven classes
    S2-2 "遵守分层分类的培训原则…7大类培训班，采取'线上+线下''理论+实务'的方式授课，
    内容涵盖为老服务、行动矫治、纠纷调解、志愿帮扶等内容"
    When the coordinator creates a programme "三社联动实务班" with:
      | tier         | three_social                         |
      | category     | three_social                         |
      | content_area | practical_skills                     |
      | delivery     | online                               |
      | mode         | practice                             |
      | location     | in_city                              |
      | hours        | 12.5                                 |
      | topics       | elder_services,volunteer_support     |
      | cost_fen     | 30000                                |
    Then the answer is 201
    And the programme "三社联动实务班" has 12.50 hours in class "three_social" of tier "three_social"
    And the classes in force are 7

  @clause:S2-2
  Scenario: A class outside the policy table is refused
    S2-2 "7大类培训班": the classes are a policy table, not free text.
    When the coordinator creates a programme "烹饪班" with:
      | tier     | continuing |
      | category | cooking    |
    Then the answer is 422 naming the field "category" citing "S2-2"

  @clause:S2-2
  Scenario: Negative hours are refused and nothing is written
    When the coordinator creates a programme "负学时" with:
      | hours | -8 |
    Then the answer is 422 naming the field "hours"
    And there are no programmes

  @clause:S1-1
  Scenario Outline: Training content covers political theory, professional knowledge and practical skills
    S1-1 "加強對社區專職工作者政治理論、專業知識及業務技能的培訓"
    When the coordinator creates a programme "<title>" with:
      | content_area | <area> |
    Then the answer is <status>

    Examples:
      | title    | area                   | status |
      | 理论学习 | political_theory       | 201    |
      | 专业知识 | professional_knowledge | 201    |
      | 业务技能 | practical_skills       | 201    |
      | 其他     | cooking                | 400    |

  @clause:S4-4
  Scenario: Degree-level classes stand beside short courses
    S4-4 "建立社区工作人员培训制度，会同杭州师院举办社区工作者社会工作大专学历班"
    When the coordinator creates a programme "社会工作大专学历班" with:
      | tier           | degree |
      | category       | degree |
      | hours          | 600    |
      | cpd_accredited | true   |
      | cpd_hours      | 90     |
    Then the answer is 201
    And the programme "社会工作大专学历班" has 600.00 hours in class "degree" of tier "degree"

  @clause:S4-15
  Scenario: Party-school training is one of the classes and counts in the ledger
    S4-15 "将社区工作者的培训纳入我市各级党校的培训计划"
    Given the roster of "hangzhou.gongshu":
      | worker_id | name | post |
      | 101       | 王芳 | 委员 |
    And a programme "区委党校社区工作者轮训" in class "party_school" of 16 hours
    And session "轮训一期" of "区委党校社区工作者轮训" from "2025-04-14 09:00" to "2025-04-15 17:00" with 30 seats
    And "王芳" is enrolled in "轮训一期"
    And "王芳" attended "轮训一期" on 2 of its 2 days
    When the coordinator closes "轮训一期"
    Then the ledger of "王芳" for 2025 shows 16.00 hours in class "party_school"
