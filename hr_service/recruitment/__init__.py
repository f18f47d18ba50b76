"""Communities, staffing quotas, work funds, open recruitment and postings."""
