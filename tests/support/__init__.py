"""Test support: real servers (Redis, PostgreSQL) and an API client helper."""
