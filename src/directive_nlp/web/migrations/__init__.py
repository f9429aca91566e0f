"""Alembic migrations of the desk's schema, configured in code (no alembic.ini), so they run from
the installed package.

    >>> from sqlalchemy import create_engine
    >>> upgrade(create_engine("sqlite://"))  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

HERE = Path(__file__).resolve().parent


def config() -> Config:
    """An Alembic config pointing at this folder."""
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database at ``engine`` to ``revision`` (idempotent)."""
    cfg = config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
