"""The self-service page's files (a package so that they ship as package data)."""
