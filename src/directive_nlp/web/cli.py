"""``directive-nlp serve`` and ``directive-nlp users``: run the desk and manage its people.

    directive-nlp users add lan --role editor          # prompts for the password
    directive-nlp users token lan                       # prints a new API token once
    directive-nlp users revoke-token lan                # every token of lan stops working
    directive-nlp users set-password lan                # ends lan's browser sessions
    directive-nlp serve --db sqlite:///desk.sqlite3 --port 8000
    directive-nlp corpus from-desk sqlite:///desk.sqlite3 -o reviewed.jsonl
"""

from __future__ import annotations

import sys
from typing import Optional

import click

from ..errors import DirectiveNLPError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
DB_HELP = "Database URL: sqlite:///desk.sqlite3 (default) or postgresql+psycopg://user:pass@host/db."


def _store(db: str):
    from .store import Store

    try:
        return Store.open(db)
    except DirectiveNLPError as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:  # connection refused, bad credentials, ...
        raise click.ClickException(f"{db}: cannot open the database: {exc}") from exc


@click.command(context_settings=CONTEXT)
@click.option("--db", default="sqlite:///desk.sqlite3", show_default=True, envvar="DIRECTIVE_NLP_DB", help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--secure-cookies", is_flag=True, help="Mark the session cookie Secure (when served over HTTPS).")
@click.option("--trusted-proxy", "trusted", multiple=True, envvar="DIRECTIVE_NLP_TRUSTED_PROXIES",
              help="Address of a reverse proxy whose X-Forwarded-For is believed (repeat for several). Without it the header is ignored.")
def serve(db: str, host: str, port: int, secure_cookies: bool, trusted: tuple) -> None:
    """Run the editor desk web app.

    Example: directive-nlp serve --db sqlite:///desk.sqlite3 --port 8000
    """
    import uvicorn

    from .app import create_app

    proxies = [p for t in trusted for p in t.replace(",", " ").split()]
    try:
        app = create_app(db, secure_cookies=secure_cookies, trusted_proxies=proxies)
    except DirectiveNLPError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"editor desk on http://{host}:{port}/ (database {db.split('@')[-1]})", err=True)
    uvicorn.run(app, **uvicorn_options(host, port))


def uvicorn_options(host: str, port: int) -> dict:
    """uvicorn's own proxy-header handling stays off (it trusts 127.0.0.1 by default): the app
    reads X-Forwarded-For itself, and only from the proxies named with --trusted-proxy."""
    return {"host": host, "port": port, "log_level": "info", "proxy_headers": False, "forwarded_allow_ips": ""}


@click.group(context_settings=CONTEXT)
def users() -> None:
    """Manage the desk's users and API tokens."""


@users.command("add", context_settings=CONTEXT)
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "editor", "viewer"]), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
@click.option("--db", default="sqlite:///desk.sqlite3", show_default=True, envvar="DIRECTIVE_NLP_DB", help=DB_HELP)
def users_add(name: str, role: str, password_stdin: bool, db: str) -> None:
    """Add a user.  Example: directive-nlp users add lan --role editor"""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    from .store import StoreError

    try:
        _store(db).add_user(name, role, password)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"added {name} ({role})")


@users.command("token", context_settings=CONTEXT)
@click.argument("name")
@click.option("--db", default="sqlite:///desk.sqlite3", show_default=True, envvar="DIRECTIVE_NLP_DB", help=DB_HELP)
def users_token(name: str, db: str) -> None:
    """Create an API token for NAME and print it (it is shown only once)."""
    from .store import StoreError

    try:
        click.echo(_store(db).create_token(name))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


@users.command("list", context_settings=CONTEXT)
@click.option("--db", default="sqlite:///desk.sqlite3", show_default=True, envvar="DIRECTIVE_NLP_DB", help=DB_HELP)
def users_list(db: str) -> None:
    """List users and their roles."""
    for u in _store(db).list_users():
        click.echo(f"{u['name']}\t{u['role']}\t{u['created_at']}")


def _users_call(db: str, fn: str, *args):
    from .store import StoreError

    try:
        return getattr(_store(db), fn)(*args)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("New password", hide_input=True, confirmation_prompt=True)


@users.command("revoke-token", context_settings=CONTEXT)
@click.argument("name")
@click.option("--token", help="Revoke only this token (default: every token of NAME).")
@click.option("--db", default="sqlite:///desk.sqlite3", show_default=True, envvar="DIRECTIVE_NLP_DB", help=DB_HELP)
def users_revoke_token(name: str, token: Optional[str], db: str) -> None:
    """Revoke NAME's API tokens (all, or the one given with --token).  Example: directive-nlp users revoke-token lan"""
    n = _users_call(db, "revoke_tokens", name, token)
    click.echo(f"revoked {n} token(s) of {name}")


@users.command("remove", context_settings=CONTEXT)
@click.argument("name")
@click.option("--db", default="sqlite:///desk.sqlite3", show_default=True, envvar="DIRECTIVE_NLP_DB", help=DB_HELP)
def users_remove(name: str, db: str) -> None:
    """Remove NAME with their sessions and tokens (the audit trail keeps their name)."""
    _users_call(db, "remove_user", name)
    click.echo(f"removed {name}")


@users.command("set-role", context_settings=CONTEXT)
@click.argument("name")
@click.argument("role", type=click.Choice(["admin", "editor", "viewer"]))
@click.option("--db", default="sqlite:///desk.sqlite3", show_default=True, envvar="DIRECTIVE_NLP_DB", help=DB_HELP)
def users_set_role(name: str, role: str, db: str) -> None:
    """Change NAME's role; it holds from the next request.  Example: directive-nlp users set-role lan viewer"""
    _users_call(db, "set_role", name, role)
    click.echo(f"{name} is now {role}")


@users.command("set-password", context_settings=CONTEXT)
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
@click.option("--db", default="sqlite:///desk.sqlite3", show_default=True, envvar="DIRECTIVE_NLP_DB", help=DB_HELP)
def users_set_password(name: str, password_stdin: bool, db: str) -> None:
    """Set NAME's password; every browser session of NAME ends."""
    ended = _users_call(db, "set_password", name, _password(password_stdin))
    click.echo(f"password of {name} changed; {ended} session(s) ended")


@click.command("from-desk", context_settings=CONTEXT)
@click.argument("db")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Gold file to write (JSONL, the corpus format).")
def from_desk(db: str, output: str) -> None:
    """Write the desk's reviewed articles as gold rows (editors' corrections become training data).

    DB is the desk's database URL.  The rows pass `corpus validate` and are read by `train` and
    `evaluate`.

    \b
    Example:
        directive-nlp corpus from-desk sqlite:///desk.sqlite3 -o corpus/extra_desk.jsonl
    """
    from .gold import write_gold

    try:
        n, skipped = write_gold(_store(db), output)
    except OSError as exc:
        raise click.ClickException(f"{output}: cannot write: {exc.strerror or exc}") from exc
    for s in skipped:
        click.echo(f"skipped: {s}", err=True)
    click.echo(f"{n} reviewed article(s) written to {output}", err=True)
