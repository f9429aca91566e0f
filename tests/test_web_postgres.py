"""The desk's store against a real, throwaway PostgreSQL server (initdb + pg_ctl in a temp dir)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

pytest.importorskip("psycopg")
try:  # tests/ may or may not be a package
    from .conftest_web import VI_TEXT, pipeline  # noqa: E402,F401
except ImportError:
    from conftest_web import VI_TEXT, pipeline  # noqa: E402,F401

from directive_nlp.schema import Article  # noqa: E402

pytestmark = pytest.mark.postgres


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or ([shutil.which(name)] if shutil.which(name) else [])
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def pg_url():
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install -y postgresql")
    as_user: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        if not shutil.which("runuser"):
            pytest.skip("running as root without runuser: cannot start PostgreSQL as a non-root user")
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the server as")
        as_user = ["runuser", "-u", "postgres", "--"]
    tmp = Path(tempfile.mkdtemp(prefix="dnlp-pg-"))
    data, sock = tmp / "data", tmp / "sock"
    sock.mkdir()
    if as_user:
        shutil.chown(tmp, "postgres")
        shutil.chown(sock, "postgres")
    port = _free_port()
    run = lambda *a: subprocess.run([*as_user, *a], check=True, capture_output=True, text=True, timeout=120)  # noqa: E731
    try:
        run(initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C")
        run(pg_ctl, "-D", str(data), "-l", str(tmp / "log"), "-w", "-t", "60", "start",
            "-o", f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off")
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {exc.stderr or exc.stdout}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)


def test_store_round_trip_on_postgres(pg_url):
    from directive_nlp.web.store import StaleVersion, Store

    store = Store.open(pg_url)
    assert Store.open(pg_url).list_users() == []  # migrating twice is a no-op
    store.add_user("ed", "editor", "long enough pw")
    assert store.check_password("ed", "long enough pw")["role"] == "editor"
    assert store.user_for_token(store.create_token("ed"))["name"] == "ed"
    art, created = store.add_article(Article(id="kh-306", text=VI_TEXT, lang="vi"), pipeline(), "ed")
    assert created and art["version"] == 1
    a = store.get_article("kh-306")
    assert a["text"] == VI_TEXT and {m["kind"] for m in a["mentions"]} >= {"agencies", "document_refs", "dates"}
    m = a["mentions"][0]
    store.decide("mention", "kh-306", m["id"], 1, "edited", "ed", {"canonical": "Ủy ban nhân dân tỉnh"})
    with pytest.raises(StaleVersion):
        store.decide("mention", "kh-306", m["id"], 1, "rejected", "ed")
    assert store.reextract("kh-306", pipeline(), "ed")["kept_decisions"] == 1
    store.set_status("kh-306", 3, "reviewed", "ed")
    assert [x["id"] for x in store.list_articles(status="reviewed", q="306/kh")] == ["kh-306"]
    rec = next(iter(store.export(reviewed_only=True)))
    edited = next(x for x in rec.agencies if x.start == m["start"])
    assert edited.canonical == "Ủy ban nhân dân tỉnh" and edited.source == "editor"
    assert [r["action"] for r in store.audit("kh-306")][:2] == ["status:reviewed", "reextracted"]


def test_login_counts_sessions_and_directive_records_on_postgres(pg_url):
    """The atomic login counter (INSERT .. ON CONFLICT), server-side sessions and record edits on PostgreSQL."""
    from concurrent.futures import ThreadPoolExecutor

    from directive_nlp.web.store import Store

    store = Store.open(pg_url)
    with ThreadPoolExecutor(20) as pool:
        counts = sorted(pool.map(lambda _: store.count_attempt("user:x", 60), range(20)))
    assert counts == list(range(1, 21))  # every concurrent attempt got its own number
    store.add_user("kim", "editor", "long enough pw")
    sid = store.start_session(store.user("kim")["id"], 3600)
    assert store.session_user(sid)["name"] == "kim"
    assert store.set_password("kim", "another long pw") == 1 and store.session_user(sid) is None
    store.add_article(Article(id="kh-pg", text=VI_TEXT, lang="vi"), pipeline(), "kim")
    d = store.get_article("kh-pg")["directives"][0]
    out = store.decide("directive", "kh-pg", d["id"], 1, "edited", "kim", {"agencies": [{"name": "Sở KH&ĐT", "role": "coordinate"}]})
    assert out["directive"]["payload"]["agencies"][0]["canonical"] == "Department of Planning and Investment"
    assert {x["id"] for x in store.list_articles(q="so kh&dt")} == {"kh-pg", "kh-306"}  # accent-blind on PostgreSQL too
    store.set_status("kh-pg", 2, "reviewed", "kim")
    rec = next(r for r in store.export_dicts(reviewed_only=True) if r["id"] == "kh-pg")
    assert rec["review"]["reviewer"] == "kim" and rec["directives"][0]["decision"] == "edited"


def test_export_from_a_postgres_desk(pg_url, tmp_path):
    import csv

    from click.testing import CliRunner

    from directive_nlp.cli import main

    res = CliRunner().invoke(main, ["export", pg_url, "-o", str(tmp_path / "out"), "--reviewed-only", "--format", "csv", "-q"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader((tmp_path / "out" / "directives.csv").open(encoding="utf-8")))
    assert rows and all(r["decision"] for r in rows)
    arts = list(csv.DictReader((tmp_path / "out" / "articles.csv").open(encoding="utf-8")))
    assert {a["review_status"] for a in arts} == {"reviewed"}
