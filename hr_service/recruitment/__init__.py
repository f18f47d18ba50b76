"""Communities, staffing quotas, work funds, open recruitment and postings (issue 4).

``hr_service.rules`` is imported first so that it can take this package's
policy keys at its end whichever module a program imports first.
"""
import hr_service.rules  # noqa: F401
