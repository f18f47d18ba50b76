@clause:S4-11
Feature: Five social insurances and the housing fund
  Clause S4-11 (source 004): "社区工作人员参加基本养老保险、失业保险、基本医疗保险、女工生育保险和工伤保险等5项保险"
  — every worker is enrolled in the five insurances; the rates are policy figures, applied
  to the worker's declared monthly wage held within the city's floor and ceiling (D-14);
  S0-2 adds the housing fund.

  Background:
    Given an HR officer of "hangzhou.gongshu"
    And a "正职" worker "张伟" at grade 12 hired on "2010-03-01"

  Scenario: Each insurance is on the payslip, for the employer and the worker
    Then the payslip of "张伟" for "2025-03" shows employer and worker contributions for every insurance and the housing fund
    And the payslip's net pay is its pay and welfare less the worker's contributions and income tax
