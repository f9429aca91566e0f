"""Every example in the README and in ``--help`` runs; the README links the extraction contract."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from directive_nlp.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

#: an example holding one of these is a template for the reader's own data or services (a desk
#: database is one: the desk's own tests export from and write gold rows from a real one)
TEMPLATE = ("data/", "dump/", "tcp://", "$", "PREVIOUS", "DIR", "|", "sqlite:///", "postgresql", "desk.sqlite3", "desk.db")
#: commands that start a server, need a user database or train for minutes
NOT_RUN = ("serve", "users", "train")


def _runnable(line: str) -> bool:
    words = shlex.split(line, comments=True)
    return bool(words) and words[0] == "directive-nlp" and words[1] not in NOT_RUN and not any(t in line for t in TEMPLATE)


def readme_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README, flags=re.S)
    return [ln.strip() for b in blocks for ln in b.splitlines() if ln.strip().startswith("directive-nlp ") and _runnable(ln.strip())]


def help_commands() -> list[str]:
    """The example lines of every command's help, in command order."""
    out: list[str] = []

    def walk(cmd: click.Command, ctx: click.Context) -> None:
        out.extend(ln.strip() for ln in (cmd.help or "").splitlines() if ln.strip().startswith("directive-nlp ") and _runnable(ln.strip()))
        out.extend(m.group(1) for m in re.finditer(r"Example: (directive-nlp [^\n]+)", cmd.help or "") if _runnable(m.group(1)))
        if isinstance(cmd, click.Group):
            for name in cmd.list_commands(ctx):
                walk(cmd.get_command(ctx, name), ctx)

    walk(main, click.Context(main))
    return out


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    """A folder where the examples' relative paths (corpus/...) resolve and outputs land."""
    (tmp_path / "corpus").symlink_to(ROOT / "corpus", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(line: str) -> None:
    res = CliRunner().invoke(main, shlex.split(line, comments=True)[1:] + (["--extractors", "rules"] if _takes_extractors(line) else []))
    assert res.exit_code == 0, f"{line}\n{res.output}"


def _takes_extractors(line: str) -> bool:
    words = shlex.split(line, comments=True)
    return words[1] in ("evaluate",) and "--extractors" not in words  # the rules keep the test quick


def test_readme_links_the_contract_and_names_the_input_fields():
    assert "(docs/EXTRACTION_SPEC.md)" in README and (ROOT / "docs" / "EXTRACTION_SPEC.md").is_file()
    for field in ("`text`", "`id`", "`published`", "`url`", "`lang`", "`title`", "InputError", "UnsupportedLanguage"):
        assert field in README


def test_every_readme_command_example_runs(workdir):
    lines = readme_commands()
    assert any(" show " in f" {ln} " for ln in lines) and any("extract" in ln for ln in lines)
    for line in lines:
        _run(line)


def test_every_help_example_runs(workdir):
    lines = help_commands()
    assert any(ln.startswith("directive-nlp show ") for ln in lines)
    for line in lines:
        _run(line)


def test_readme_python_examples_run(workdir):
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert len(blocks) >= 2
    for code in blocks:
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own documentation
