"""A wheel built from the repository carries the models, which load outside the checkout; no
build output is tracked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("setuptools")
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    out = tmp_path_factory.mktemp("wheel")
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(src)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {res.stderr[-500:]}")
    return next(out.glob("directive_nlp-*.whl"))


def test_the_wheel_carries_the_models_and_type_marker(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for f in ("ensemble.yaml", "classifier/classifier.json", "classifier/classifier.npz", "ranker/ranker.json", "ranker/ranker.npz", "ranker/meta.json"):
        assert f"directive_nlp/models/data/{f}" in names
    assert "directive_nlp/py.typed" in names and "directive_nlp/lexicons/shared/agencies.yaml" in names


def test_models_load_from_the_installed_package_outside_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import directive_nlp.models as m\n"
        "s = m.load_model_set(None, 'ensemble')\n"
        "print(m.models_folder(), s.classifier is not None, s.agency_model is not None)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DIRECTIVE_NLP_MODELS"}
    env["PYTHONPATH"] = str(site)
    out = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    folder, clf, ranker = out.stdout.split()
    assert Path(folder).is_relative_to(site) and clf == ranker == "True", out.stderr


def test_the_environment_variable_overrides_the_shipped_models(tmp_path, monkeypatch):
    from directive_nlp.models import SHIPPED_MODELS_DIR, models_folder

    assert models_folder() == SHIPPED_MODELS_DIR
    monkeypatch.setenv("DIRECTIVE_NLP_MODELS", str(tmp_path))
    assert models_folder() == tmp_path
    assert models_folder(str(tmp_path / "x")) == tmp_path / "x"


def test_no_build_output_is_tracked():
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()
    assert not [f for f in tracked if ".egg-info" in f or f.startswith(("build/", "dist/")) or f.endswith((".pyc", ".whl"))]
