"""Server-side sessions, atomic login counters, review fields, a folded search column.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_table(
        "login_attempts",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("window_start", sa.Float, nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
    )
    with op.batch_alter_table("articles") as b:
        b.add_column(sa.Column("reviewed_by", sa.String(80), nullable=True))
        b.add_column(sa.Column("reviewed_at", TS, nullable=True))
        b.add_column(sa.Column("search", sa.Text, nullable=True))
    _backfill_search()


def _backfill_search() -> None:
    from directive_nlp.web.text import fold

    conn = op.get_bind()
    arts = sa.table("articles", sa.column("id", sa.String), sa.column("title", sa.Text), sa.column("text", sa.Text), sa.column("search", sa.Text))
    for aid, title, text in conn.execute(sa.select(arts.c.id, arts.c.title, arts.c.text)).all():
        conn.execute(arts.update().where(arts.c.id == aid).values(search=fold(f"{title or ''}\n{text}")))


def downgrade() -> None:
    with op.batch_alter_table("articles") as b:
        b.drop_column("search")
        b.drop_column("reviewed_at")
        b.drop_column("reviewed_by")
    op.drop_table("login_attempts")
    op.drop_index("ix_sessions_user_id", "sessions")
    op.drop_table("sessions")
