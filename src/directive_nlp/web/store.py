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
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Optional

from pydantic import ValidationError
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, create_engine, func, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from ..errors import DirectiveNLPError, InputError
from ..schema import AgencyMention, Article, ArticleRecord, DateMention, Directive, DocumentRef, Figure, Target

ROLES = ("admin", "editor", "viewer")
STATUSES = ("new", "in_review", "reviewed")
DECISIONS = ("accepted", "rejected", "edited")
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
    }
    if counts is not None:
        out.update(counts)
    return out


def audit_dict(r: AuditRow) -> dict:
    return {"who": r.who, "at": _iso(r.at), "article_id": r.article_id, "object": r.object, "action": r.action, "before": r.before, "after": r.after, "version": r.version}


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

    def create_token(self, name: str) -> str:
        """A new API token for ``name``; only its hash is stored, so it is shown once."""
        token = "dnlp_" + secrets.token_urlsafe(32)
        with self.Session.begin() as s:
            u = s.scalar(select(User).where(User.name == name))
            if u is None:
                raise NotFound(f"no user named {name!r}")
            s.add(ApiToken(user_id=u.id, token_hash=hash_token(token), created_at=now()))
            s.add(AuditRow(who="cli", at=now(), object=f"user:{name}", action="token_created"))
        return token

    def user_for_token(self, token: str) -> Optional[dict]:
        with self.Session.begin() as s:
            t = s.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
            if t is None:
                return None
            t.last_used_at = now()
            u = s.get(User, t.user_id)
            return {"id": u.id, "name": u.name, "role": u.role} if u else None

    # -- articles ------------------------------------------------------------------------------
    def add_article(self, article: Article, pipeline: Any, who: str) -> tuple[dict, bool]:
        """Extract ``article`` and store it with its mentions and directives.

        Returns ``(article, created)``; the same text again gives the stored article and ``False``.
        Raises ``InputError`` (empty text, unsupported language) before anything is written.
        """
        rec = pipeline.extract(article.text, article.published, article.lang, None if article.id.startswith("a-") else article.id,
                               article.url, article.title, article.input)
        with self.Session.begin() as s:
            existing = s.get(ArticleRow, rec.id)
            if existing is not None:
                return article_dict(existing), False
            t = now()
            row = ArticleRow(id=rec.id, lang=rec.lang, published=rec.published, url=rec.url, title=rec.title, text=rec.text,
                             status="new", version=1, created_by=who, created_at=t, updated_at=t)
            s.add(row)
            s.flush()
            for m in _record_mentions(rec):
                s.add(MentionRow(article_id=rec.id, **m))
            for d in _record_directives(rec):
                s.add(DirectiveRow(article_id=rec.id, **d))
            s.add(AuditRow(who=who, at=t, article_id=rec.id, object="article", action="added", after={"title": rec.title, "lang": rec.lang}, version=1))
            return article_dict(row), True

    def list_articles(self, status: Optional[str] = None, lang: Optional[str] = None, q: Optional[str] = None, limit: int = 500) -> list[dict]:
        """Articles, newest first, with mention/directive counts; ``q`` searches title and text."""
        with self.Session() as s:
            stmt = select(ArticleRow).order_by(ArticleRow.created_at.desc(), ArticleRow.id)
            if status:
                stmt = stmt.where(ArticleRow.status == status)
            if lang:
                stmt = stmt.where(ArticleRow.lang == lang)
            if q:
                like = f"%{q.lower()}%"
                stmt = stmt.where(or_(func.lower(ArticleRow.title).like(like), func.lower(ArticleRow.text).like(like)))
            rows = list(s.scalars(stmt.limit(limit)))
            ids = [r.id for r in rows]
            mc = dict(s.execute(select(MentionRow.article_id, func.count()).where(MentionRow.article_id.in_(ids)).group_by(MentionRow.article_id)).all()) if ids else {}
            dc = dict(s.execute(select(DirectiveRow.article_id, func.count()).where(DirectiveRow.article_id.in_(ids)).group_by(DirectiveRow.article_id)).all()) if ids else {}
            open_ = dict(s.execute(select(MentionRow.article_id, func.count()).where(MentionRow.article_id.in_(ids), MentionRow.decision.is_(None)).group_by(MentionRow.article_id)).all()) if ids else {}
            return [article_dict(r, {"mentions": mc.get(r.id, 0), "directives": dc.get(r.id, 0), "open": open_.get(r.id, 0)}) for r in rows]

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

    def audit(self, article_id: Optional[str] = None, limit: int = 200) -> list[dict]:
        with self.Session() as s:
            stmt = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
            if article_id:
                stmt = stmt.where(AuditRow.article_id == article_id)
            return [audit_dict(r) for r in s.scalars(stmt)]

    # -- editor decisions --------------------------------------------------------------------
    def _bump(self, s: Session, article_id: str, seen: int, status: Optional[str] = None) -> int:
        """Raise the article's version if it is still ``seen``; else ``StaleVersion`` (or ``NotFound``)."""
        values: dict[str, Any] = {"version": ArticleRow.version + 1, "updated_at": now()}
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

    def decide_mention(self, article_id: str, mention_id: int, version: int, decision: str, who: str, fields: Optional[dict] = None) -> dict:
        """Accept, reject or edit one mention; ``fields`` (for ``edited``) are checked against the schema.

        Returns ``{"version": new_version, "mention": {...}}``.
        """
        if decision not in DECISIONS:
            raise Invalid(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
        with self.Session.begin() as s:
            m = s.get(MentionRow, mention_id)
            if m is None or m.article_id != article_id:
                raise NotFound(f"article {article_id!r} has no mention {mention_id}")
            before = mention_dict(m)
            if decision == "edited" or fields:
                m.payload = _checked_payload(m.kind, {**m.payload, **(fields or {})}, m.text, m.start, m.end)
            new_version = self._bump(s, article_id, version, status="in_review")
            m.decision = decision
            after = mention_dict(m)
            s.add(AuditRow(who=who, at=now(), article_id=article_id, object=f"mention:{m.id}", action=decision, before=before, after=after, version=new_version))
            return {"version": new_version, "mention": after}

    def add_mention(self, article_id: str, version: int, kind: str, start: int, end: int, who: str, text: Optional[str] = None, fields: Optional[dict] = None) -> dict:
        """Add a mention the extractors missed (source ``editor``); ``text`` must match the article span."""
        if kind not in KIND_CLASSES:
            raise Invalid(f"kind must be one of {', '.join(KIND_CLASSES)}, not {kind!r}")
        with self.Session.begin() as s:
            a = s.get(ArticleRow, article_id)
            if a is None:
                raise NotFound(f"no article with id {article_id!r}")
            if not (0 <= start < end <= len(a.text)):
                raise Invalid(f"span {start}-{end} is outside the article text (0-{len(a.text)})")
            span = a.text[start:end]
            if text is not None and text != span:
                raise Invalid(f"the selected text {text!r} does not match the article at {start}-{end} ({span!r})")
            if s.scalar(select(MentionRow).where(MentionRow.article_id == article_id, MentionRow.kind == kind, MentionRow.start == start, MentionRow.end == end)):
                raise Invalid(f"a {kind} mention at {start}-{end} already exists")
            payload = _checked_payload(kind, {**_default_fields(kind, span), **(fields or {})}, span, start, end, source="editor")
            new_version = self._bump(s, article_id, version, status="in_review")
            m = MentionRow(article_id=article_id, kind=kind, start=start, end=end, text=span, payload=payload, source="editor", decision="accepted")
            s.add(m)
            s.flush()
            after = mention_dict(m)
            s.add(AuditRow(who=who, at=now(), article_id=article_id, object=f"mention:{m.id}", action="added", after=after, version=new_version))
            return {"version": new_version, "mention": after}

    def decide_directive(self, article_id: str, directive_id: int, version: int, decision: str, who: str, fields: Optional[dict] = None) -> dict:
        """Accept, reject or edit a directive (verb, deadline, agencies, ...); fields are schema-checked."""
        if decision not in DECISIONS:
            raise Invalid(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
        with self.Session.begin() as s:
            d = s.get(DirectiveRow, directive_id)
            if d is None or d.article_id != article_id:
                raise NotFound(f"article {article_id!r} has no directive {directive_id}")
            before = directive_dict(d)
            if decision == "edited" or fields:
                payload = {**d.payload, **(fields or {})}
                try:
                    d.payload = Directive(**payload).model_dump(mode="json")
                except ValidationError as exc:
                    raise Invalid(f"directive fields are not valid: {_first_error(exc)}") from exc
            new_version = self._bump(s, article_id, version, status="in_review")
            d.decision = decision
            after = directive_dict(d)
            s.add(AuditRow(who=who, at=now(), article_id=article_id, object=f"directive:{d.id}", action=decision, before=before, after=after, version=new_version))
            return {"version": new_version, "directive": after}

    def set_status(self, article_id: str, version: int, status: str, who: str) -> dict:
        """Mark an article ``new``, ``in_review`` or ``reviewed``."""
        if status not in STATUSES:
            raise Invalid(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        with self.Session.begin() as s:
            a = s.get(ArticleRow, article_id)
            before = {"status": a.status} if a else None
            new_version = self._bump(s, article_id, version, status=status)
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
        with self.Session() as s:
            stmt = select(ArticleRow.id).order_by(ArticleRow.created_at, ArticleRow.id)
            if reviewed_only:
                stmt = stmt.where(ArticleRow.status == "reviewed")
            ids = list(s.scalars(stmt))
        for article_id in ids:
            yield self.record(article_id)

    def record(self, article_id: str) -> ArticleRecord:
        """One stored article as an ``ArticleRecord`` with the editors' decisions applied."""
        a = self.get_article(article_id)
        lists: dict[str, list] = {k: [] for k in KIND_CLASSES}
        for m in a["mentions"]:
            if m["decision"] == "rejected":
                continue
            src = "editor" if m["decision"] in ("accepted", "edited") or m["source"] == "editor" else m["payload"].get("source", m["source"])
            lists[m["kind"]].append(KIND_CLASSES[m["kind"]](**{**m["payload"], "text": m["text"], "start": m["start"], "end": m["end"], "source": src}))
        directives = []
        for d in a["directives"]:
            if d["decision"] == "rejected":
                continue
            payload = dict(d["payload"])
            if d["decision"] in ("accepted", "edited"):
                payload["source"] = {k: "editor" for k in (payload.get("source") or {"sentence": "editor"})}
            directives.append(Directive(**payload))
        return ArticleRecord(id=a["id"], lang=a["lang"], published=a["published"], url=a["url"], title=a["title"], text=a["text"],
                             directives=directives, **{k: sorted(v, key=lambda m: (m.start, m.end)) for k, v in lists.items()})


# -- helpers ---------------------------------------------------------------------------------------
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


def default_db_url(path: str | Path = "desk.sqlite3") -> str:
    return f"sqlite:///{path}"
