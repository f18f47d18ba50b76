@clause:D-18
Feature: Accounts with a life: created, closed, reopened, passwords and a guarded login
  Clause D-18: "Accounts: created, deactivated, reactivated; deactivation stops
  tokens at once; passwords changed by their owner, reset by an admin as
  one-time; failed logins throttled and temporarily locked."
  A password has at least 10 characters, letters and digits both, does not
  contain the username and is not the last one. After 5 failures in a row
  (or 20 from one address within 15 minutes) a login waits a growing delay
  (429 with Retry-After); after 10 in a row the account is locked 15 minutes.
  Workers' accounts come with the worker and receive one-time passwords in bulk.

  Background:
    Given an HR officer "hr-gs" of "hangzhou.gongshu" made by the administrator

  Scenario: A deactivated account's token stops at once on every service; reactivated, it logs in again
    Given "hr-gs" is logged in
    When the administrator deactivates "hr-gs" because "left the office"
    Then the token of "hr-gs" is refused as "token_revoked" by hr, training and certs
    And "hr-gs" cannot log in with their password
    When the administrator reactivates "hr-gs"
    Then "hr-gs" logs in and is served by hr, training and certs

  Scenario: A one-time password must be changed at first login
    When the administrator sets a one-time password for "hr-gs"
    And "hr-gs" logs in with the one-time password
    Then the login says the password must be changed
    And that token is refused as "password_change_required" by hr, training and certs
    When "hr-gs" changes the one-time password to "river-stone-42"
    Then "hr-gs" logs in with "river-stone-42" and is served by hr, training and certs

  Scenario Outline: A new password the rule refuses is named with its reason
    Given "hr-gs" is logged in
    When "hr-gs" changes their password to "<password>"
    Then the change is refused as "<code>" on field "new_password"

    Examples:
      | password          | code                              |
      | short1            | password_too_short                |
      | no-digits-at-all  | password_needs_letters_and_digits |
      | x-hr-gs-2025-x    | password_contains_username        |
      | password-123      | password_reused                   |

  Scenario: Workers' accounts come with the hire; their one-time passwords are issued in bulk
    Given 3 workers hired in "hangzhou.gongshu"
    When "hr-gs" issues one-time passwords for the workers of "hangzhou.gongshu" without a password
    Then 3 slips are answered, each naming the worker's ID number as the username
    And each worker logs in with their slip and must change the password
    And issuing again for the workers without a password answers 0 slips

  Scenario: Forty wrong passwords meet the throttle, then the lock; the lock ends
    Given the clock stands still
    When someone tries 40 wrong passwords for "hr-gs"
    Then the first 5 are refused as "bad_credentials"
    And the next 5 are refused as "login_throttled" with a growing Retry-After
    And the rest are refused as "account_locked" with a Retry-After of 900 seconds
    And "hr-gs" is refused as "account_locked" with the right password
    When the clock moves on 15 minutes and 1 second
    Then "hr-gs" logs in and is served by hr, training and certs
    And the attempt log holds 41 failed attempts and 1 success for "hr-gs"
