"""The editor desk's store: SQLAlchemy 2 models and the repository functions the routes call.

One schema for SQLite (the default, a file) and PostgreSQL; the Alembic migration in
``migrations/`` creates it and runs on every start.

    >>> store = Store.open("sqlite:///desk.sqlite3")            # doctest: +SKIP
    >>> store.add_user("lan", "editor", "correct horse")         # doctest: +SKIP
    >>> art, created = store.add_article(Article(id="a1", text="..."), Pipeline(), "lan")  # doctest: +SKIP

Every change to an article's mentions, directives or status goes through ``_bump``: the caller
says which ``version`` it saw, the row is updated only if that is still the version
(``UPDATE ... WHERE version = :seen``), and otherwise ``StaleVersion`` carries what changed since.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Optional

from pydantic import ValidationError
from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, create_engine, delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from ..errors import DirectiveNLPError, InputError
from ..schema import AgencyMention, Article, ArticleRecord, DateMention, Directive, DocumentRef, Figure, Target
from .text import check_text, clean_text, fold, short_title

ROLES = ("admin", "editor", "viewer")
STATUSES = ("new", "in_review", "reviewed")
DECISIONS = ("accepted", "rejected", "edited")
#: what the export calls an item: a person's decision, ``added`` (an editor's own item) or ``undecided``
EXPORT_DECISIONS = ("accepted", "rejected", "edited", "added", "undecided")
SOURCES = ("rule", "model", "editor")
#: mention kind -> the schema class that validates its payload
KIND_CLASSES = {"document_refs": DocumentRef, "dates": DateMention, "agencies": AgencyMention, "targets": Target, "figures": Figure}
#: what a mention's ``source`` ranks: an editor's word beats a model's, a model's beats a rule's
SOURCE_RANK = {"rule": 0, "model": 1, "editor": 2}


class StoreError(DirectiveNLPError):
    """A store operation was refused; ``status`` is the HTTP status the routes answer with."""

    code = "store"
    status = 400


class NotFound(StoreError):
    status = 404


class Invalid(StoreError):
    status = 422


class Conflict(StoreError):
    status = 409


class StaleVersion(StoreError):
    """The article changed since the editor loaded it; nothing was saved."""

    status = 409

    def __init__(self, article_id: str, seen: int, current: int, changes: list[dict]):
        self.article_id, self.seen, self.current, self.changes = article_id, seen, current, changes
        who = ", ".join(sorted({c["who"] for c in changes})) or "someone else"
        super().__init__(
            f"Article {article_id} was changed by {who} since you opened it (you had version {seen}, "
            f"it is now version {current}). Your change was not saved; it is kept below so you can apply it again."
        )


def now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_used_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)


class ArticleRow(Base):
    __tablename__ = "articles"
    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    lang: Mapped[Optional[str]] = mapped_column(String(8), nullable=True, index=True)
    published: Mapped[Optional[str]] = mapped_column(String(32), nullable=True)
    url: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    title: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="new", index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_by: Mapped[Optional[str]] = mapped_column(String(80), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    reviewed_by: Mapped[Optional[str]] = mapped_column(String(80), nullable=True)
    reviewed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True), nullable=True)
    #: title and text folded (no accents, lower case) for accent-blind search
    search: Mapped[Optional[str]] = mapped_column(Text, nullable=True)


class _ReviewedSpan:
    """The columns a reviewed span of an article's text has: where it is, what the extractor said
    (``payload``, ``source``) and the editor's ``decision``."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), nullable=False, index=True)
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    payload: Mapped[dict] = mapped_column(JSON, nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    decision: Mapped[Optional[str]] = mapped_column(String(16), nullable=True)


class MentionRow(_ReviewedSpan, Base):
    __tablename__ = "mentions"
    __table_args__ = (UniqueConstraint("article_id", "kind", "start", "end", name="uq_mention_span"),)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)


class DirectiveRow(_ReviewedSpan, Base):
    __tablename__ = "directives"
    __table_args__ = (UniqueConstraint("article_id", "start", "end", name="uq_directive_span"),)


class AuditRow(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    who: Mapped[str] = mapped_column(String(80), nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    article_id: Mapped[Optional[str]] = mapped_column(String(120), nullable=True, index=True)
    object: Mapped[str] = mapped_column(String(64), nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    before: Mapped[Optional[dict]] = mapped_column(JSON, nullable=True)
    after: Mapped[Optional[dict]] = mapped_column(JSON, nullable=True)
    version: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)


class SessionRow(Base):
    """A logged-in browser session; the cookie holds the session id, the table only its hash."""

    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class LoginAttempt(Base):
    """Login attempts per key (an account or a client address) in the current window."""

    __tablename__ = "login_attempts"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[float] = mapped_column(Float, nullable=False)
    count: Mapped[int] = mapped_column(Integer, nullable=False)


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


# -- plain views of rows -------------------------------------------------------------------------
def _iso(d: Optional[datetime]) -> Optional[str]:
    return d.isoformat() if d else None


def mention_dict(m: MentionRow) -> dict:
    return {"id": m.id, "kind": m.kind, "start": m.start, "end": m.end, "text": m.text, "payload": m.payload, "source": m.source, "decision": m.decision}


def directive_dict(d: DirectiveRow) -> dict:
    return {"id": d.id, "start": d.start, "end": d.end, "text": d.text, "payload": d.payload, "source": d.source, "decision": d.decision}


def article_dict(a: ArticleRow, counts: Optional[dict] = None) -> dict:
    out = {
        "id": a.id, "lang": a.lang, "published": a.published, "url": a.url, "title": a.title, "status": a.status,
        "version": a.version, "created_by": a.created_by, "created_at": _iso(a.created_at), "updated_at": _iso(a.updated_at),
        "reviewed_by": a.reviewed_by, "reviewed_at": _iso(a.reviewed_at),
    }
    if counts is not None:
        out.update(counts)
    return out


def audit_dict(r: AuditRow) -> dict:
    return {"who": r.who, "at": _iso(r.at), "article_id": r.article_id, "object": r.object, "action": r.action, "before": r.before, "after": r.after, "version": r.version}


def _aware(d: datetime) -> datetime:
    """SQLite hands datetimes back without a zone; they were written in UTC."""
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


def _upsert(engine: Engine):
    """The dialect's ``insert`` with ``on_conflict_do_update`` (SQLite and PostgreSQL)."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _mention_source(m: Any) -> str:
    s = getattr(m, "source", "rule") or "rule"
    return s if s in SOURCES else ("model" if "model" in s else "rule")


def _directive_source(d: Directive) -> str:
    vals = set(d.source.values())
    return "editor" if "editor" in vals else "model" if any("model" in v for v in vals) else "rule"


class Store:
    """Repository over one database URL; every method opens and commits its own transaction."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.Session = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, migrate: bool = True) -> "Store":
        """Connect to ``url`` (``sqlite:///file`` or ``postgresql+psycopg://...``) and apply migrations.

        >>> Store.open("sqlite:///:memory:").list_users()
        []
        """
        if not url or "://" not in url:
            raise InputError(str(url), "database URL must look like sqlite:///desk.sqlite3 or postgresql+psycopg://user@host/db")
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False}
            if ":memory:" in url or url in ("sqlite://", "sqlite:///"):
                from sqlalchemy.pool import StaticPool

                kwargs["poolclass"] = StaticPool
        try:
            engine = create_engine(url, **kwargs)
        except Exception as exc:  # bad dialect, missing driver
            raise InputError(url, f"cannot use this database URL: {exc}") from exc
        if url.startswith("sqlite"):
            from sqlalchemy import event

            @event.listens_for(engine, "connect")
            def _fk_on(dbapi_conn, _rec):  # noqa: ANN001 - SQLite enforces foreign keys only when asked
                dbapi_conn.execute("PRAGMA foreign_keys=ON")

        store = cls(engine)
        if migrate:
            from .migrations import upgrade

            upgrade(engine)
        return store

    # -- settings --------------------------------------------------------------------------
    def secret(self) -> str:
        """The session-signing secret, generated and stored on first use."""
        with self.Session.begin() as s:
            row = s.get(Setting, "secret")
            if row is None:
                row = Setting(key="secret", value=secrets.token_urlsafe(48))
                s.add(row)
            return row.value

    # -- users and tokens ----------------------------------------------------------------------
    def add_user(self, name: str, role: str, password: str) -> dict:
        """Create a user with an argon2 password hash; ``Invalid`` on a bad role, name or password."""
        from .auth import hash_password

        name = (name or "").strip()
        if not name or len(name) > 80:
            raise Invalid("user name must be 1-80 characters")
        if role not in ROLES:
            raise Invalid(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        if len(password or "") < 8:
            raise Invalid("password must be at least 8 characters")
        with self.Session.begin() as s:
            if s.scalar(select(User).where(User.name == name)):
                raise Invalid(f"user {name!r} already exists")
            u = User(name=name, role=role, password_hash=hash_password(password), created_at=now())
            s.add(u)
            s.add(AuditRow(who="cli", at=now(), object=f"user:{name}", action="user_added", after={"name": name, "role": role}))
        return {"name": name, "role": role}

    def list_users(self) -> list[dict]:
        with self.Session() as s:
            return [{"name": u.name, "role": u.role, "created_at": _iso(u.created_at)} for u in s.scalars(select(User).order_by(User.name))]

    def user(self, name: str) -> Optional[dict]:
        with self.Session() as s:
            u = s.scalar(select(User).where(User.name == name))
            return {"id": u.id, "name": u.name, "role": u.role} if u else None

    def _named(self, s: Session, name: str) -> User:
        u = s.scalar(select(User).where(User.name == name))
        if u is None:
            raise NotFound(f"no user named {name!r}")
        return u

    def check_password(self, name: str, password: str) -> Optional[dict]:
        """The user if ``password`` is right, else ``None`` (same work whether or not the user exists)."""
        from .auth import verify_password

        with self.Session.begin() as s:
            u = s.scalar(select(User).where(User.name == name))
            ok, new_hash = verify_password(u.password_hash if u else None, password)
            if not (u and ok):
                return None
            if new_hash:
                u.password_hash = new_hash
            return {"id": u.id, "name": u.name, "role": u.role}

    def set_password(self, name: str, password: str, who: str = "cli") -> int:
        """A new password for ``name``; every browser session of the user ends.  Returns how many ended."""
        from .auth import hash_password

        if len(password or "") < 8:
            raise Invalid("password must be at least 8 characters")
        with self.Session.begin() as s:
            u = self._named(s, name)
            u.password_hash = hash_password(password)
            ended = s.execute(delete(SessionRow).where(SessionRow.user_id == u.id)).rowcount
            s.add(AuditRow(who=who, at=now(), object=f"user:{name}", action="password_set", after={"sessions_ended": ended}))
            return ended

    def set_role(self, name: str, role: str, who: str = "cli") -> dict:
        """Change a user's role (checked on every request, so it holds at once)."""
        if role not in ROLES:
            raise Invalid(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        with self.Session.begin() as s:
            u = self._named(s, name)
            before, u.role = u.role, role
            s.add(AuditRow(who=who, at=now(), object=f"user:{name}", action="role_set", before={"role": before}, after={"role": role}))
            return {"name": name, "role": role}

    def remove_user(self, name: str, who: str = "cli") -> None:
        """Delete a user with their sessions and API tokens (their audit rows stay)."""
        with self.Session.begin() as s:
            u = self._named(s, name)
            s.execute(delete(SessionRow).where(SessionRow.user_id == u.id))
            s.execute(delete(ApiToken).where(ApiToken.user_id == u.id))
            s.delete(u)
            s.add(AuditRow(who=who, at=now(), object=f"user:{name}", action="user_removed"))

    def create_token(self, name: str) -> str:
        """A new API token for ``name``; only its hash is stored, so it is shown once."""
        token = "dnlp_" + secrets.token_urlsafe(32)
        with self.Session.begin() as s:
            u = self._named(s, name)
            s.add(ApiToken(user_id=u.id, token_hash=hash_token(token), created_at=now()))
            s.add(AuditRow(who="cli", at=now(), object=f"user:{name}", action="token_created"))
        return token

    def revoke_tokens(self, name: str, token: Optional[str] = None, who: str = "cli") -> int:
        """Revoke one API token of ``name`` (``token``) or all of them; returns how many were revoked."""
        with self.Session.begin() as s:
            u = self._named(s, name)
            stmt = delete(ApiToken).where(ApiToken.user_id == u.id)
            if token is not None:
                stmt = stmt.where(ApiToken.token_hash == hash_token(token.strip()))
            n = s.execute(stmt).rowcount
            if token is not None and n == 0:
                raise NotFound(f"{name} has no such token (nothing revoked)")
            s.add(AuditRow(who=who, at=now(), object=f"user:{name}", action="tokens_revoked", after={"revoked": n}))
            return n

    def user_for_token(self, token: str) -> Optional[dict]:
        with self.Session.begin() as s:
            t = s.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
            if t is None:
                return None
            t.last_used_at = now()
            u = s.get(User, t.user_id)
            return {"id": u.id, "name": u.name, "role": u.role} if u else None

    # -- browser sessions and login attempts ---------------------------------------------------
    def start_session(self, user_id: int, max_age: int) -> str:
        """A new session id for ``user_id`` (the cookie carries it; the table keeps its hash)."""
        sid = secrets.token_urlsafe(32)
        t = now()
        with self.Session.begin() as s:
            s.execute(delete(SessionRow).where(SessionRow.expires_at < t))
            s.add(SessionRow(id=hash_token(sid), user_id=user_id, created_at=t, expires_at=t + timedelta(seconds=max_age)))
        return sid

    def session_user(self, sid: str) -> Optional[dict]:
        """The user of a live session, or ``None`` once it has ended (logout, password change, removal)."""
        with self.Session() as s:
            row = s.get(SessionRow, hash_token(sid))
            if row is None or _aware(row.expires_at) < now():
                return None
            u = s.get(User, row.user_id)
            return {"id": u.id, "name": u.name, "role": u.role} if u else None

    def end_session(self, sid: str) -> None:
        with self.Session.begin() as s:
            s.execute(delete(SessionRow).where(SessionRow.id == hash_token(sid)))

    def count_attempt(self, key: str, window: float) -> int:
        """Count one login attempt for ``key`` atomically and return the count in the window.

        One ``INSERT .. ON CONFLICT DO UPDATE`` per key: concurrent attempts each get their own
        number, so the limit is checked before the password is (no burst slips through)."""
        t = time.time()
        ins = _upsert(self.engine)(LoginAttempt).values(key=key, window_start=t, count=1)
        fresh = LoginAttempt.window_start < t - window
        from sqlalchemy import case

        stmt = ins.on_conflict_do_update(index_elements=["key"], set_={
            "count": case((fresh, 1), else_=LoginAttempt.count + 1),
            "window_start": case((fresh, t), else_=LoginAttempt.window_start)})
        with self.Session.begin() as s:
            s.execute(delete(LoginAttempt).where(LoginAttempt.window_start < t - max(window, 3600.0)))  # old windows go
            s.execute(stmt)
            return s.scalar(select(LoginAttempt.count).where(LoginAttempt.key == key)) or 1

    def attempt_age(self, key: str) -> float:
        with self.Session() as s:
            start = s.scalar(select(LoginAttempt.window_start).where(LoginAttempt.key == key))
            return time.time() - start if start else 0.0

    def forget_attempts(self, key: str, one: bool = False) -> None:
        """Clear ``key``'s count (or take back one attempt: a login that succeeded)."""
        with self.Session.begin() as s:
            if one:
                s.execute(update(LoginAttempt).where(LoginAttempt.key == key, LoginAttempt.count > 0).values(count=LoginAttempt.count - 1))
            else:
                s.execute(delete(LoginAttempt).where(LoginAttempt.key == key))

    # -- articles ------------------------------------------------------------------------------
    def add_article(self, article: Article, pipeline: Any, who: str) -> tuple[dict, bool]:
        """Extract ``article`` and store it with its mentions and directives.

        Returns ``(article, created)``; the same text again gives the stored article and ``False``;
        another text under a stored id is a ``Conflict`` (409), never a silent drop.  Line ends
        are normalized to ``\\n`` first.  Raises ``InputError`` (empty text, unsupported language,
        a lone surrogate) before anything is written.
        """
        where = article.input or article.id
        article = article.model_copy(update={"text": check_text(clean_text(article.text), where)})
        for k in ("title", "url", "published"):
            check_text(getattr(article, k) or "", f"{where} ({k})")
        if not article.title or len(article.title) > 120:  # no headline, or a first line standing in for one
            article = article.model_copy(update={"title": short_title(article.title or article.text) or None})
        rec = pipeline.extract(article.text, article.published, article.lang, None if article.id.startswith("a-") else article.id,
                               article.url, article.title, article.input)
        with self.Session.begin() as s:
            existing = s.get(ArticleRow, rec.id)
            if existing is not None:
                if existing.text != rec.text:
                    raise Conflict(f"article id {rec.id!r} is already stored with a different text "
                                   f"({len(existing.text)} characters, added by {existing.created_by or '?'}); "
                                   "give the new text another id, or leave the id out to get one from the text")
                return article_dict(existing), False
            t = now()
            row = ArticleRow(id=rec.id, lang=rec.lang, published=rec.published, url=rec.url, title=rec.title, text=rec.text,
                             status="new", version=1, created_by=who, created_at=t, updated_at=t, search=fold(f"{rec.title or ''}\n{rec.text}"))
            s.add(row)
            s.flush()
            for m in _record_mentions(rec):
                s.add(MentionRow(article_id=rec.id, **m))
            for d in _record_directives(rec):
                s.add(DirectiveRow(article_id=rec.id, **d))
            s.add(AuditRow(who=who, at=t, article_id=rec.id, object="article", action="added", after={"title": rec.title, "lang": rec.lang}, version=1))
            return article_dict(row), True

    def list_articles(self, status: Optional[str] = None, lang: Optional[str] = None, q: Optional[str] = None, limit: int = 500) -> list[dict]:
        """Articles, newest first, with counts (``open``: undecided items); ``q`` searches title and
        text without regard to accents or case ("bo chinh tri" finds "Bộ Chính trị")."""
        with self.Session() as s:
            stmt = select(ArticleRow).order_by(ArticleRow.created_at.desc(), ArticleRow.id)
            if status:
                stmt = stmt.where(ArticleRow.status == status)
            if lang:
                stmt = stmt.where(ArticleRow.lang == lang)
            if q and fold(q):
                stmt = stmt.where(ArticleRow.search.contains(fold(q), autoescape=True))
            rows = list(s.scalars(stmt.limit(limit)))
            counts = self._counts(s, [r.id for r in rows])
            return [article_dict(r, counts.get(r.id, {"mentions": 0, "directives": 0, "open": 0})) for r in rows]

    def _counts(self, s: Session, ids: list[str]) -> dict[str, dict]:
        """Per article: mentions, directives and ``open`` (undecided mentions and directives)."""
        out: dict[str, dict] = {i: {"mentions": 0, "directives": 0, "open": 0} for i in ids}
        if not ids:
            return out
        for model, col in ((MentionRow, "mentions"), (DirectiveRow, "directives")):
            stmt = select(model.article_id, func.count(), func.count(model.decision)).where(model.article_id.in_(ids)).group_by(model.article_id)
            for aid, n, decided in s.execute(stmt).all():
                out[aid][col] = n
                out[aid]["open"] += n - decided
        return out

    def undecided(self, article_id: str) -> int:
        """How many of an article's mentions and directives nobody has decided on yet."""
        with self.Session() as s:
            return self._counts(s, [article_id])[article_id]["open"]

    def next_to_review(self, after: Optional[str] = None) -> Optional[str]:
        """The next article waiting for review (oldest first, ``in_review`` before ``new``), not ``after``."""
        with self.Session() as s:
            for status in ("in_review", "new"):
                stmt = select(ArticleRow.id).where(ArticleRow.status == status).order_by(ArticleRow.created_at, ArticleRow.id)
                if after:
                    stmt = stmt.where(ArticleRow.id != after)
                found = s.scalar(stmt.limit(1))
                if found:
                    return found
            return None

    def get_article(self, article_id: str) -> dict:
        """The article with its text, mentions, directives and last audit rows; ``NotFound`` if absent."""
        with self.Session() as s:
            a = s.get(ArticleRow, article_id)
            if a is None:
                raise NotFound(f"no article with id {article_id!r}")
            out = article_dict(a)
            out["text"] = a.text
            out["mentions"] = [mention_dict(m) for m in s.scalars(select(MentionRow).where(MentionRow.article_id == article_id).order_by(MentionRow.start, MentionRow.end))]
            out["directives"] = [directive_dict(d) for d in s.scalars(select(DirectiveRow).where(DirectiveRow.article_id == article_id).order_by(DirectiveRow.start))]
            return out

    def audit(self, article_id: Optional[str] = None, limit: int = 200, who: Optional[str] = None, offset: int = 0) -> list[dict]:
        """Audit rows, newest first, optionally of one article and/or one editor."""
        with self.Session() as s:
            stmt = select(AuditRow).order_by(AuditRow.id.desc()).offset(offset).limit(limit)
            if article_id:
                stmt = stmt.where(AuditRow.article_id == article_id)
            if who:
                stmt = stmt.where(AuditRow.who == who)
            return [audit_dict(r) for r in s.scalars(stmt)]

    def all_directives(self) -> list[dict]:
        """Every directive with its article's id, title, language, status and published date."""
        cols = (DirectiveRow, ArticleRow.title, ArticleRow.lang, ArticleRow.status, ArticleRow.published)
        with self.Session() as s:
            rows = s.execute(select(*cols).join(ArticleRow, ArticleRow.id == DirectiveRow.article_id)
                             .order_by(ArticleRow.created_at.desc(), DirectiveRow.article_id, DirectiveRow.start)).all()
            return [{**directive_dict(d), "article_id": d.article_id, "article_title": t, "lang": lang, "article_status": st, "published": pub}
                    for d, t, lang, st, pub in rows]

    # -- editor decisions --------------------------------------------------------------------
    def _bump(self, s: Session, article_id: str, seen: int, status: Optional[str] = None, **extra: Any) -> int:
        """Raise the article's version if it is still ``seen``; else ``StaleVersion`` (or ``NotFound``)."""
        values: dict[str, Any] = {"version": ArticleRow.version + 1, "updated_at": now(), **extra}
        if status:
            values["status"] = status
        res = s.execute(update(ArticleRow).where(ArticleRow.id == article_id, ArticleRow.version == seen).values(**values))
        if res.rowcount == 1:
            return seen + 1
        a = s.get(ArticleRow, article_id)
        if a is None:
            raise NotFound(f"no article with id {article_id!r}")
        changes = [audit_dict(r) for r in s.scalars(select(AuditRow).where(AuditRow.article_id == article_id, AuditRow.version > seen).order_by(AuditRow.id))]
        raise StaleVersion(article_id, seen, a.version, changes)

    def decide(self, item: str, article_id: str, item_id: int, version: int, decision: str, who: str, fields: Optional[dict] = None) -> dict:
        """Accept, reject or edit one ``item`` (``mention`` or ``directive``) of an article.

        ``fields`` (for ``edited``) are checked against the schema; offsets, text and article
        cannot be changed (``Invalid``).  Returns ``{"version": new_version, item: {...}}``; the
        audit row keeps the item before and after.
        """
        if decision not in DECISIONS:
            raise Invalid(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
        kind = ITEMS.get(item)
        if kind is None:
            raise NotFound(f"no such kind of item: {item!r} (mention or directive)")
        _refuse_fixed(item, fields)
        with self.Session.begin() as s:
            row = s.get(kind.model, item_id)
            if row is None or row.article_id != article_id:
                raise NotFound(f"article {article_id!r} has no {item} {item_id}")
            before = kind.view(row)
            if decision == "edited" or fields:
                row.payload = kind.check(s, row, {**row.payload, **(fields or {})})
            new_version = self._bump(s, article_id, version, status="in_review")
            row.decision = decision
            after = kind.view(row)
            s.add(AuditRow(who=who, at=now(), article_id=article_id, object=f"{item}:{row.id}", action=decision, before=before, after=after, version=new_version))
            if item == "directive" and decision == "edited":
                _sync_agency_mentions(s, row, who, new_version)
            return {"version": new_version, item: after}

    def add_mention(self, article_id: str, version: int, kind: str, start: int, end: int, who: str, text: Optional[str] = None, fields: Optional[dict] = None) -> dict:
        """Add a mention the extractors missed (source ``editor``); ``text`` must match the article span."""
        if kind not in KIND_CLASSES:
            raise Invalid(f"kind must be one of {', '.join(KIND_CLASSES)}, not {kind!r}")
        _refuse_fixed("mention", fields)
        with self.Session.begin() as s:
            span = _span_of(s, article_id, start, end, text)
            if s.scalar(select(MentionRow).where(MentionRow.article_id == article_id, MentionRow.kind == kind, MentionRow.start == start, MentionRow.end == end)):
                raise Invalid(f"a {kind} mention at {start}-{end} already exists")
            payload = _checked_payload(kind, {**_default_fields(kind, span), **(fields or {})}, span, start, end, source="editor")
            new_version = self._bump(s, article_id, version, status="in_review")
            m = MentionRow(article_id=article_id, kind=kind, start=start, end=end, text=span, payload=payload, source="editor", decision="accepted")
            return self._added(s, "mention", m, who, new_version)

    def add_directive(self, article_id: str, version: int, start: int, end: int, who: str, text: Optional[str] = None, fields: Optional[dict] = None) -> dict:
        """Add a directive the extractors missed, from a span of the text (source ``editor``)."""
        from ..assemble import directive_id

        _refuse_fixed("directive", fields)
        with self.Session.begin() as s:
            span = _span_of(s, article_id, start, end, text)
            if s.scalar(select(DirectiveRow).where(DirectiveRow.article_id == article_id, DirectiveRow.start == start, DirectiveRow.end == end)):
                raise Invalid(f"a directive at {start}-{end} already exists")
            a = s.get(ArticleRow, article_id)
            base = {"id": directive_id(article_id, start, end, span), "article_id": article_id, "language": a.lang or "vi",
                    "text": span, "start": start, "end": end, "source": {"sentence": "editor"}}
            row = DirectiveRow(article_id=article_id, start=start, end=end, text=span, payload=base, source="editor", decision="accepted")
            row.payload = ITEMS["directive"].check(s, row, {**base, **(fields or {})})
            new_version = self._bump(s, article_id, version, status="in_review")
            out = self._added(s, "directive", row, who, new_version)
            _sync_agency_mentions(s, row, who, new_version)
            return out

    def _added(self, s: Session, item: str, row: Any, who: str, version: int) -> dict:
        s.add(row)
        s.flush()
        after = ITEMS[item].view(row)
        s.add(AuditRow(who=who, at=now(), article_id=row.article_id, object=f"{item}:{row.id}", action="added", after=after, version=version))
        return {"version": version, item: after}

    def set_status(self, article_id: str, version: int, status: str, who: str) -> dict:
        """Mark an article ``new``, ``in_review`` or ``reviewed`` (which records who and when)."""
        if status not in STATUSES:
            raise Invalid(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        with self.Session.begin() as s:
            a = s.get(ArticleRow, article_id)
            before = {"status": a.status} if a else None
            reviewed = {"reviewed_by": who, "reviewed_at": now()} if status == "reviewed" else {"reviewed_by": None, "reviewed_at": None}
            new_version = self._bump(s, article_id, version, status=status, **reviewed)
            s.add(AuditRow(who=who, at=now(), article_id=article_id, object="article", action=f"status:{status}", before=before, after={"status": status}, version=new_version))
            return {"version": new_version, "status": status}

    def reextract(self, article_id: str, pipeline: Any, who: str = "system") -> dict:
        """Run ``pipeline`` again on a stored article, keeping every editor decision.

        A mention (kind+start+end) or directive (start+end) an editor decided on, or added, stays
        as the editor left it; undecided ones are replaced by the new extraction, and where two
        extractors found the same span the stronger source wins (editor > model > rule).
        """
        with self.Session.begin() as s:
            a = s.get(ArticleRow, article_id)
            if a is None:
                raise NotFound(f"no article with id {article_id!r}")
            rec = pipeline.extract(a.text, a.published, a.lang, a.id, a.url, a.title)
            kept = _merge(s, MentionRow, article_id, _record_mentions(rec), lambda r: (r["kind"], r["start"], r["end"]))
            kept_d = _merge(s, DirectiveRow, article_id, _record_directives(rec), lambda r: (r["start"], r["end"]))
            new_version = self._bump(s, article_id, a.version)
            s.add(AuditRow(who=who, at=now(), article_id=article_id, object="article", action="reextracted",
                           after={"mentions": len(rec.mentions()), "directives": len(rec.directives), "kept_decisions": kept + kept_d}, version=new_version))
            return {"version": new_version, "kept_decisions": kept + kept_d}

    # -- export --------------------------------------------------------------------------------
    def export(self, reviewed_only: bool = False) -> Iterable[ArticleRecord]:
        """Records in the ``extract`` format; rejected items left out, ``source: editor`` where a person decided."""
        for article_id in self._export_ids(reviewed_only):
            yield self.record(article_id)

    def export_dicts(self, reviewed_only: bool = False) -> Iterable[dict]:
        """Record dicts with the review fields: ``review`` on the article, ``decision`` on every
        mention and directive (accepted, rejected, edited, added, undecided).  ``reviewed_only``
        keeps reviewed articles and leaves rejected items out."""
        for article_id in self._export_ids(reviewed_only):
            yield self.record_dict(article_id, keep_rejected=not reviewed_only)

    def _export_ids(self, reviewed_only: bool) -> list[str]:
        with self.Session() as s:
            stmt = select(ArticleRow.id).order_by(ArticleRow.created_at, ArticleRow.id)
            if reviewed_only:
                stmt = stmt.where(ArticleRow.status == "reviewed")
            return list(s.scalars(stmt))

    def record(self, article_id: str) -> ArticleRecord:
        """One stored article as an ``ArticleRecord`` with the editors' decisions applied (rejected items left out)."""
        rec, _ = self._record(self.get_article(article_id), keep_rejected=False)
        return rec

    def record_dict(self, article_id: str, keep_rejected: bool = True) -> dict:
        """One stored article as a record dict with its review fields (see ``export_dicts``)."""
        a = self.get_article(article_id)
        rec, decisions = self._record(a, keep_rejected)
        out = rec.model_dump(mode="json")
        for kind in (*KIND_CLASSES, "directives"):
            for item, dec in zip(out[kind], decisions[kind]):
                item["decision"] = dec
        out["review"] = {"status": a["status"], "reviewer": a["reviewed_by"], "reviewed_at": a["reviewed_at"]}
        return out

    def _record(self, a: dict, keep_rejected: bool) -> tuple[ArticleRecord, dict[str, list[str]]]:
        pairs: dict[str, list] = {k: [] for k in (*KIND_CLASSES, "directives")}
        for m in a["mentions"]:
            dec = export_decision(m)
            if dec != "rejected" or keep_rejected:
                pairs[m["kind"]].append((_mention_obj(m), dec))
        for d in a["directives"]:
            dec = export_decision(d)
            if dec != "rejected" or keep_rejected:
                pairs["directives"].append((_directive_obj(d), dec))
        for k in KIND_CLASSES:
            pairs[k].sort(key=lambda p: (p[0].start, p[0].end))
        rec = ArticleRecord(id=a["id"], lang=a["lang"], published=a["published"], url=a["url"], title=a["title"], text=a["text"],
                            **{k: [p[0] for p in v] for k, v in pairs.items()})
        return rec, {k: [p[1] for p in v] for k, v in pairs.items()}


def export_decision(item: dict) -> str:
    """What the export says about a mention or directive: rejected, added (an editor's own), accepted, edited or undecided."""
    if item["decision"] == "rejected":
        return "rejected"
    if item["source"] == "editor":
        return "added"
    return item["decision"] or "undecided"


def _mention_obj(m: dict) -> Any:
    src = "editor" if m["decision"] in ("accepted", "edited") or m["source"] == "editor" else m["payload"].get("source", m["source"])
    return KIND_CLASSES[m["kind"]](**{**m["payload"], "text": m["text"], "start": m["start"], "end": m["end"], "source": src})


def _directive_obj(d: dict) -> Directive:
    payload = dict(d["payload"])
    if d["decision"] in ("accepted", "edited"):
        payload["source"] = {k: "editor" for k in (payload.get("source") or {"sentence": "editor"})}
    return Directive(**payload)


# -- helpers ---------------------------------------------------------------------------------------
#: what an editor may not change through ``fields``: where an item is and what it says
FIXED_FIELDS = {"mention": ("start", "end", "text", "article_id"), "directive": ("start", "end", "text", "article_id", "id", "language")}


def _refuse_fixed(item: str, fields: Optional[dict]) -> None:
    bad = sorted(set(fields or {}) & set(FIXED_FIELDS[item]))
    if bad:
        raise Invalid(f"{item} fields {', '.join(bad)} cannot be edited: offsets, text and article stay as extracted "
                      f"(reject the {item} and add a new one from a selection of the text instead)")


def _span_of(s: Session, article_id: str, start: int, end: int, text: Optional[str]) -> str:
    """The article's text at ``start:end``; ``Invalid`` if outside or unlike what the editor selected."""
    a = s.get(ArticleRow, article_id)
    if a is None:
        raise NotFound(f"no article with id {article_id!r}")
    if not (0 <= start < end <= len(a.text)):
        raise Invalid(f"span {start}-{end} is outside the article text (0-{len(a.text)})")
    span = a.text[start:end]
    if text is not None and text != span:
        raise Invalid(f"the selected text {text!r} does not match the article at {start}-{end} ({span!r})")
    return span


def _check_mention(s: Session, row: "MentionRow", payload: dict) -> dict:
    return _checked_payload(row.kind, payload, row.text, row.start, row.end)


def _check_directive(s: Session, row: "DirectiveRow", payload: dict) -> dict:
    """A directive payload checked against the schema and its article: agencies as written in the
    text, deadlines in the spec's granularities, documents among the article's references."""
    from .records import check_directive, with_canonicals, with_offsets

    a = s.get(ArticleRow, row.article_id)
    refs = {p.get("id") for p in s.scalars(select(MentionRow.payload).where(MentionRow.article_id == row.article_id, MentionRow.kind == "document_refs"))}
    payload = {**payload, "id": row.payload.get("id"), "article_id": row.article_id, "text": row.text, "start": row.start, "end": row.end,
               "language": row.payload.get("language") or a.lang or "vi"}
    try:
        d = Directive(**payload)
    except ValidationError as exc:
        raise Invalid(f"directive fields are not valid: {_first_error(exc)}") from exc
    known = {p.get("canonical") for p in s.scalars(select(MentionRow.payload).where(MentionRow.article_id == row.article_id, MentionRow.kind == "agencies"))}
    problems = check_directive(with_offsets(with_canonicals(d), a.text), a.text, refs - {None}, known - {None})
    if problems:
        raise Invalid("directive fields are not valid: " + "; ".join(problems))
    return d.model_dump(mode="json")


def _sync_agency_mentions(s: Session, row: "DirectiveRow", who: str, version: int) -> None:
    """An editor's role or canonical name for a directive's agency holds for the agency mention at
    the same place too (marked edited), so both export tables say what the editor said."""
    for a in row.payload.get("agencies") or []:
        if a.get("start") is None:
            continue
        m = s.scalar(select(MentionRow).where(MentionRow.article_id == row.article_id, MentionRow.kind == "agencies",
                                              MentionRow.start == a["start"], MentionRow.end == a["end"]))
        change = {k: a[k] for k in ("role", "canonical") if a.get(k) and m is not None and m.payload.get(k) != a[k]}
        if m is None or not change:
            continue
        before = mention_dict(m)
        m.payload, m.decision = {**m.payload, **change}, "edited"
        s.add(AuditRow(who=who, at=now(), article_id=row.article_id, object=f"mention:{m.id}", action="edited",
                       before=before, after=mention_dict(m), version=version))


class _Item:
    """One kind of reviewed item: its table, its plain view and how its payload is checked."""

    def __init__(self, model: type, view, check):
        self.model, self.view, self.check = model, view, check


def _first_error(exc: ValidationError) -> str:
    e = exc.errors()[0]
    return f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}"


def _default_fields(kind: str, span: str) -> dict:
    if kind == "agencies":
        return {"name": span}
    if kind in ("targets", "figures"):
        return {"value": 0}
    return {}


def _checked_payload(kind: str, payload: dict, text: str, start: int, end: int, source: Optional[str] = None) -> dict:
    """``payload`` validated by the kind's schema class; ``Invalid`` names the bad field."""
    data = {**payload, "text": text, "start": start, "end": end}
    if source:
        data["source"] = source
    try:
        obj = KIND_CLASSES[kind](**data)
    except ValidationError as exc:
        raise Invalid(f"{kind} fields are not valid: {_first_error(exc)}") from exc
    out = obj.model_dump(mode="json")
    for k in ("text", "start", "end"):
        out.pop(k)
    return out


def _record_mentions(rec: ArticleRecord) -> list[dict]:
    """Mention rows of a record; where two extractors give the same span the stronger source wins."""
    best: dict[tuple, dict] = {}
    for kind, m in rec.mentions():
        payload = m.model_dump(mode="json")
        for k in ("text", "start", "end"):
            payload.pop(k)
        row = {"kind": kind, "start": m.start, "end": m.end, "text": m.text, "payload": payload, "source": _mention_source(m), "decision": None}
        key = (kind, m.start, m.end)
        if key not in best or SOURCE_RANK[row["source"]] > SOURCE_RANK[best[key]["source"]]:
            best[key] = row
    return list(best.values())


def _record_directives(rec: ArticleRecord) -> list[dict]:
    best: dict[tuple, dict] = {}
    for d in rec.directives:
        row = {"start": d.start, "end": d.end, "text": d.text, "payload": d.model_dump(mode="json"), "source": _directive_source(d), "decision": None}
        key = (d.start, d.end)
        if key not in best or SOURCE_RANK[row["source"]] > SOURCE_RANK[best[key]["source"]]:
            best[key] = row
    return list(best.values())


def _merge(s: Session, model: type, article_id: str, fresh: list[dict], key) -> int:
    """Replace undecided rows by ``fresh`` ones; rows an editor decided or added stay.  Returns how many stayed."""
    old = {key({"kind": getattr(r, "kind", None), "start": r.start, "end": r.end}): r for r in s.scalars(select(model).where(model.article_id == article_id))}
    kept = 0
    for k, r in old.items():
        if r.decision is not None or r.source == "editor":
            kept += 1
        else:
            s.delete(r)
    s.flush()
    for row in fresh:
        k = key(row)
        if k in old and (old[k].decision is not None or old[k].source == "editor"):
            continue
        s.add(model(article_id=article_id, **row))
    return kept


ITEMS = {"mention": _Item(MentionRow, mention_dict, _check_mention), "directive": _Item(DirectiveRow, directive_dict, _check_directive)}


def default_db_url(path: str | Path = "desk.sqlite3") -> str:
    return f"sqlite:///{path}"
