"""The desk's first schema: users, API tokens, articles, mentions, directives, audit, settings.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_used_at", TS, nullable=True),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "articles",
        sa.Column("id", sa.String(120), primary_key=True),
        sa.Column("lang", sa.String(8), nullable=True),
        sa.Column("published", sa.String(32), nullable=True),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("title", sa.Text, nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_articles_lang", "articles", ["lang"])
    op.create_index("ix_articles_status", "articles", ["status"])
    for name, extra in (("mentions", [sa.Column("kind", sa.String(32), nullable=False)]), ("directives", [])):
        op.create_table(
            name,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("article_id", sa.String(120), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
            *extra,
            sa.Column("start", sa.Integer, nullable=False),
            sa.Column("end", sa.Integer, nullable=False),
            sa.Column("text", sa.Text, nullable=False),
            sa.Column("payload", sa.JSON, nullable=False),
            sa.Column("source", sa.String(16), nullable=False),
            sa.Column("decision", sa.String(16), nullable=True),
            sa.UniqueConstraint("article_id", *(["kind"] if extra else []), "start", "end", name=f"uq_{name[:-1]}_span"),
        )
        op.create_index(f"ix_{name}_article_id", name, ["article_id"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("who", sa.String(80), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("article_id", sa.String(120), nullable=True),
        sa.Column("object", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("before", sa.JSON, nullable=True),
        sa.Column("after", sa.JSON, nullable=True),
        sa.Column("version", sa.Integer, nullable=True),
    )
    op.create_index("ix_audit_article_id", "audit", ["article_id"])
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for name in ("settings", "audit", "directives", "mentions", "articles", "api_tokens", "users"):
        op.drop_table(name)
