"""Certs's tables (this service's database only)."""
from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from shared.db import add_infra_tables, new_metadata

metadata = new_metadata()
infra = add_infra_tables(metadata)


class Base(DeclarativeBase):
    metadata = metadata
