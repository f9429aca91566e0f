"""``directive-nlp serve`` and ``directive-nlp users``: run the desk and manage its people.

    directive-nlp users add lan --role editor          # prompts for the password
    directive-nlp users token lan                       # prints a new API token once
    directive-nlp serve --db sqlite:///desk.sqlite3 --port 8000
"""

from __future__ import annotations

import sys

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
def serve(db: str, host: str, port: int, secure_cookies: bool) -> None:
    """Run the editor desk web app.

    Example: directive-nlp serve --db sqlite:///desk.sqlite3 --port 8000
    """
    import uvicorn

    from .app import create_app

    try:
        app = create_app(db, secure_cookies=secure_cookies)
    except DirectiveNLPError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"editor desk on http://{host}:{port}/ (database {db.split('@')[-1]})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info")


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
