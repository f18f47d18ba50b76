"""The suite's common package: settings, storage, auth, errors, money and dates,
event contracts, the outbox and inbox, and the broker set-up.

It imports no service package.
"""
