"""Alembic environment: the connection comes from ``config.attributes`` (see ``upgrade``)."""

from alembic import context

from directive_nlp.web.store import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable through a hand-written alembic.ini
    raise RuntimeError("run migrations through directive_nlp.web.migrations.upgrade(engine)")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
