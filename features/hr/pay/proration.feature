@clause:D-15
Feature: Part months paid for the days employed
  Clause D-15 (劳社部发〔2008〕3号): "joiners, leavers and unpaid absence are paid for the days
  employed in the month, on 21.75 paid days a month." Monday to Friday are paid days; a whole
  month is 21.75 of them. The bonus share (S4-12) follows the grade pay for the days, and so
  does the floor (S0-2). The workers here have no community: each is a bonus pool of one.

  Background:
    Given the payroll office of "hangzhou.binjiang": "maker" prepares the pay and "checker" approves it
    And the figures of "hangzhou.binjiang" from "2024-01-01" are the worked examples' figures

  Scenario: A joiner on Monday 17 March is paid for 11 of its days
    Given "李娜", a "委员" at grade 3 of "none", is hired on "2025-03-17"
    When the months "2025-03" to "2025-04" are paid
    Then the payslips of "李娜" are, in yuan:
      | month | paid days | grade pay | bonus share | gross |
      | 2025-03 | 11.00 | 3,843.68 | 1,153.10 | 4,996.78 |
      | 2025-04 | 21.75 | 7,600.00 | 2,280.00 | 9,880.00 |

  Scenario: A leaver on Wednesday 15 October is paid for 11 of its days, and charged the month's contributions
    Given "陈静", a "委员" at grade 9 of "none", hired on "2016-09-01", assessed 合格 for 2024
    When the months "2025-09" to "2025-09" are paid
    And "陈静" leaves on "2025-10-15"
    And the months "2025-10" to "2025-10" are paid
    Then the payslips of "陈静" are, in yuan:
      | month | paid days | grade pay | bonus share | gross | worker contributions | net pay |
      | 2025-09 | 21.75 | 9,400.00 | 2,820.00 | 12,220.00 | 2,115.00 | 9,951.85 |
      | 2025-10 | 11.00 | 4,754.02 | 1,426.21 | 6,180.23 | 2,115.00 | 4,065.23 |

  Scenario: Three weekdays of unpaid absence take three days off the month
    Given "王芳", a "委员" at grade 3 of "none", hired on "2020-03-01", assessed 合格 for 2024
    And "王芳" is absent without pay from "2025-04-09" to "2025-04-11"
    When the months "2025-04" to "2025-04" are paid
    Then the payslips of "王芳" are, in yuan:
      | month | paid days | grade pay | bonus share | gross |
      | 2025-04 | 18.75 | 6,551.72 | 1,965.52 | 8,517.24 |

  Scenario: The floor top-up of a part month is the floor for its days
    Given in "hangzhou.binjiang" the pay floor's average wage is 150,000 yuan a year from "2025-03-01"
    And "李娜", a "委员" at grade 3 of "none", is hired on "2025-03-17"
    When the months "2025-03" to "2025-04" are paid
    Then the payslips of "李娜" are, in yuan:
      | month | paid days | grade pay | bonus share | floor top-up | gross |
      | 2025-03 | 11.00 | 3,843.68 | 1,153.10 | 1,325.06 | 6,321.84 |
      | 2025-04 | 21.75 | 7,600.00 | 2,280.00 | 2,620.00 | 12,500.00 |
