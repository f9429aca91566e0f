"""The corpus split tool: an article's split depends on its id only; ``--train-only`` batches go to train."""

import importlib.util
import json
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "corpus" / "tools" / "build_splits.py"


def _tool(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("build_splits", TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    monkeypatch.setattr(mod, "CORPUS", tmp_path)
    return mod


def _batch(tmp_path, ids):
    p = tmp_path / "batch.jsonl"
    p.write_text("".join(json.dumps({"id": i, "text": "x"}) + "\n" for i in ids), encoding="utf-8")
    return p


def _ids(tmp_path, split):
    return {json.loads(line)["id"] for line in (tmp_path / f"{split}.jsonl").open(encoding="utf-8")}


def test_hash_split_places_some_ids_outside_train(tmp_path, monkeypatch):
    mod = _tool(tmp_path, monkeypatch)
    ids = [f"en-{n}" for n in range(9000, 9040)]
    mod.main([str(_batch(tmp_path, ids))])
    assert _ids(tmp_path, "dev") | _ids(tmp_path, "test")
    assert all(mod.split_of(i) == "train" for i in _ids(tmp_path, "train"))


def test_train_only_keeps_dev_and_test_as_they_were(tmp_path, monkeypatch):
    mod = _tool(tmp_path, monkeypatch)
    ids = [f"vi-{n}" for n in range(9000, 9040)]
    mod.main([str(_batch(tmp_path, ids))], train_only=True)
    assert _ids(tmp_path, "train") == set(ids)
    assert not _ids(tmp_path, "dev") and not _ids(tmp_path, "test")
