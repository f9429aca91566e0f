"""Trained extractors: training, save/load, offsets, fallbacks to the rules, the ensemble in evaluate."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest

pytest.importorskip("sklearn")  # training; the shipped models run on NumPy alone

from click.testing import CliRunner  # noqa: E402

from directive_nlp import Pipeline  # noqa: E402
from directive_nlp.cli import main  # noqa: E402
from directive_nlp.errors import ModelError  # noqa: E402
from directive_nlp.evaluate import load_jsonl  # noqa: E402
from directive_nlp.models import SHIPPED_MODELS_DIR as SHIPPED  # noqa: E402
from directive_nlp.models import config as mconfig  # noqa: E402
from directive_nlp.models.classifier import MODEL_FILE, DirectiveClassifier, sentence_examples  # noqa: E402
from directive_nlp.models.train import train_classifier  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


def _rows(name: str, n: int) -> list[dict]:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"the gold corpus file {path} is absent")
    rows = load_jsonl(str(path))
    en = [r for r in rows if r["lang"] == "en"][: n // 2]
    vi = [r for r in rows if r["lang"] == "vi"][: n - n // 2]
    return en + vi


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _train_tiny(tmp_path_factory, trainer, n_train: int) -> Path:
    """A models folder trained end to end by ``trainer`` (train + tune + card) on a tiny corpus subset."""
    tmp = tmp_path_factory.mktemp("models")
    train = _write_jsonl(tmp / "train.jsonl", _rows("train.jsonl", n_train))
    dev = _write_jsonl(tmp / "dev.jsonl", _rows("dev.jsonl", 4))
    out = tmp / "out"
    out.mkdir()
    trainer(out, 0, train, dev, None, log=lambda s: None)
    return out


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory) -> Path:
    """A models folder with the directive classifier trained on a tiny corpus subset."""
    return _train_tiny(tmp_path_factory, train_classifier, 10)


def _force(models: Path, tmp: Path, mode: str = "model") -> Path:
    """A copy of a models folder whose ensemble.yaml hands directives to the classifier."""
    dst = tmp / "forced"
    shutil.copytree(models, dst)
    cfg = mconfig.EnsembleConfig.load(dst / "ensemble.yaml").fields
    cfg["directives"]["mode"] = {"en": mode, "vi": mode}
    import yaml

    (dst / "ensemble.yaml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    return dst


EN = (
    "Hai Phong speeds up site clearance\n"
    "The city must speed up site clearance for key transport works in 2025.\n"
    "Departments are requested to complete the dossier of the free trade zone.\n"
    "In 2024, the city's GRDP expanded by 11.01%.\n"
)


def test_labels_follow_gold_overlap():
    rows = [{"id": "a", "lang": "en", "text": EN, "gold": {"directives": [{"text": "The city must speed up site clearance for key transport works in 2025.", "start": 35, "end": 106}]}}]
    ex = sentence_examples(rows)
    labelled = {e.text: e.label for e in ex}
    assert labelled["The city must speed up site clearance for key transport works in 2025."] == 1
    assert labelled["In 2024, the city's GRDP expanded by 11.01%."] == 0
    assert all(EN[e.start : e.end] == e.text for e in ex)


def test_training_writes_model_meta_config_and_card(tiny_models):
    model_dir = tiny_models / "classifier"
    meta = json.loads((model_dir / "meta.json").read_text())
    assert meta["label_set_version"] == mconfig.CLASSIFIER_LABEL_SET_VERSION
    assert meta["files"][MODEL_FILE] == mconfig.sha256_file(model_dir / MODEL_FILE)
    card = (model_dir / "MODEL_CARD.md").read_text()
    assert mconfig.sha256_file(model_dir / MODEL_FILE) in card and "## Metrics" in card
    cfg = mconfig.EnsembleConfig.load(tiny_models / "ensemble.yaml")
    assert cfg.fields["directives"]["mode"]["en"] in mconfig.MODES
    assert 0.0 < cfg.threshold("directives", "en") < 1.0
    assert not list(model_dir.glob("*.pkl")) and not list(model_dir.glob("*.pickle"))


def test_save_load_round_trip_gives_identical_predictions(tiny_models, tmp_path):
    clf = DirectiveClassifier.load(tiny_models / "classifier")
    ex = sentence_examples(_rows("dev.jsonl", 2))
    p1 = clf.proba_many(ex)
    clf.save(tmp_path / "again")
    p2 = DirectiveClassifier.load(tmp_path / "again").proba_many(ex)
    assert len(p1) == len(ex) > 5
    assert (p1 == p2).all()
    assert ((p1 >= 0) & (p1 <= 1)).all()


def test_model_directives_index_the_text_and_name_their_source(tiny_models, tmp_path):
    forced = _force(tiny_models, tmp_path)
    cfg = mconfig.EnsembleConfig.load(forced / "ensemble.yaml")
    rec = Pipeline(extractors="ensemble", models_dir=str(forced)).extract(EN, lang="en")
    clf = DirectiveClassifier.load(forced / "classifier")
    thr = cfg.threshold("directives", "en")
    for d in rec.directives:
        assert rec.text[d.start : d.end] == d.text
        assert d.source["sentence"] == "classifier"
        assert clf.proba(d.text, "en", None) >= 0 and d.confidence >= thr


def test_missing_model_file_warns_and_rules_carry_on(tiny_models, tmp_path, caplog):
    forced = _force(tiny_models, tmp_path)
    (forced / "classifier" / MODEL_FILE).unlink()
    rules = Pipeline(extractors="rules").extract(EN, lang="en")
    with caplog.at_level(logging.WARNING, logger="directive_nlp"):
        rec = Pipeline(extractors="ensemble", models_dir=str(forced)).extract(EN, lang="en")
    assert [d.text for d in rec.directives] == [d.text for d in rules.directives]
    assert any(r.levelno == logging.WARNING and "missing" in r.getMessage() and MODEL_FILE in r.getMessage() for r in caplog.records)


def test_corrupt_model_file_warns_and_rules_carry_on(tiny_models, tmp_path, caplog):
    forced = _force(tiny_models, tmp_path)
    (forced / "classifier" / MODEL_FILE).write_bytes(b"not an npz archive")
    with pytest.raises(ModelError, match="corrupt"):
        DirectiveClassifier.load(forced / "classifier")
    rules = Pipeline(extractors="rules").extract(EN, lang="en")
    with caplog.at_level(logging.WARNING, logger="directive_nlp"):
        rec = Pipeline(extractors="models", models_dir=str(forced)).extract(EN, lang="en")
    assert [d.text for d in rec.directives] == [d.text for d in rules.directives]
    assert any("corrupt" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_missing_models_folder_warns(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="directive_nlp"):
        rec = Pipeline(extractors="models", models_dir=str(tmp_path / "nowhere")).extract(EN, lang="en")
    assert rec.directives
    assert any("nowhere" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_label_set_version_mismatch_is_refused_naming_both(tiny_models, tmp_path, caplog):
    forced = _force(tiny_models, tmp_path)
    meta_path = forced / "classifier" / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["label_set_version"] = "directive-sentence/0"
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(ModelError) as err:
        DirectiveClassifier.load(forced / "classifier")
    assert "directive-sentence/0" in str(err.value) and mconfig.CLASSIFIER_LABEL_SET_VERSION in str(err.value)
    with caplog.at_level(logging.WARNING, logger="directive_nlp"):
        Pipeline(extractors="ensemble", models_dir=str(forced)).extract(EN, lang="en")
    assert any("directive-sentence/0" in r.getMessage() for r in caplog.records)


def test_bad_ensemble_mode_is_a_clear_error(tmp_path):
    (tmp_path / "ensemble.yaml").write_text("directives:\n  mode:\n    en: sometimes\n")
    with pytest.raises(ModelError, match="sometimes"):
        mconfig.EnsembleConfig.load(tmp_path / "ensemble.yaml")


@pytest.mark.parametrize("extractors", ["models", "ensemble"])
def test_evaluate_runs_with_trained_extractors(tiny_models, tmp_path, monkeypatch, extractors):
    import directive_nlp.models as models_pkg

    forced = _force(tiny_models, tmp_path, mode="union")
    monkeypatch.setattr(models_pkg, "DEFAULT_MODELS_DIR", forced)
    gold = _write_jsonl(tmp_path / "gold.jsonl", _rows("dev.jsonl", 2))
    res = CliRunner().invoke(main, ["evaluate", str(gold), "--extractors", extractors, "--json"])
    assert res.exit_code == 0, res.output
    payload = json.loads(res.output[res.output.index("{") :])
    fields = {(r["lang"], r["field"]) for r in payload["scores"]}
    assert ("all", "directives") in fields and payload["extractors"] == extractors


def test_shipped_classifier_decides_directives_in_models_mode():
    if not (SHIPPED / "classifier" / MODEL_FILE).exists():
        pytest.skip("no shipped classifier in models/")
    pipe = Pipeline(extractors="models", models_dir=str(SHIPPED))
    vi = pipe.extract("Kế hoạch năm 2025\nCác sở, ngành khẩn trương hoàn thành hồ sơ dự án trước ngày 30/6/2025.\n", lang="vi")
    assert [d.source["sentence"] for d in vi.directives] == ["classifier"]
    en = pipe.extract("Growth report\nIn 2024, the city's GRDP expanded by 11.01%, the fifth largest in the country.\n", lang="en")
    assert en.directives == []


# -- span tagger ---------------------------------------------------------------------------------

VI = (
    "Hà Nội đẩy nhanh giải phóng mặt bằng\n"
    "Sở Kế hoạch và Đầu tư chủ trì, phối hợp với Sở Tài chính tham mưu UBND thành phố hoàn thành kế hoạch trước ngày 30/6/2025.\n"
    "Phấn đấu tốc độ tăng trưởng GRDP đạt 8%.\n"
)


@pytest.fixture(scope="module")
def tiny_tagger(tmp_path_factory):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from directive_nlp.models.tagger import SpanTagger, fit

    tagger = fit(_rows("train.jsonl", 4), seed=0, epochs=1, log=lambda s: None)
    out = tmp_path_factory.mktemp("tagger")
    tagger.save(out / "tagger")
    return SpanTagger.load(out / "tagger")


def test_gold_spans_to_token_labels_and_back(tiny_tagger):
    from directive_nlp.models.tagger import LABEL2ID, TAGGER_LABELS, char_labels, decode, token_labels

    import numpy as np

    def at(s: str) -> tuple[int, int]:
        return VI.index(s), VI.index(s) + len(s)

    a1, a2, v = at("Sở Kế hoạch và Đầu tư"), at("Sở Tài chính"), at("chủ trì")
    spans = {"AGENCY": [a1, a2], "VERB": [v], "TARGET": [at("tốc độ tăng trưởng GRDP đạt 8%")]}
    enc = tiny_tagger.tokenizer(VI, return_offsets_mapping=True)
    offsets = [tuple(o) for o in enc["offset_mapping"]]
    ids = token_labels(offsets, char_labels(VI, spans))
    onehot = np.eye(len(TAGGER_LABELS))[[i if i >= 0 else LABEL2ID["O"] for i in ids]]
    got = {(s.kind, s.start, s.end) for s in decode(offsets, onehot)}
    assert ("AGENCY", *a1) in got and ("AGENCY", *a2) in got and ("VERB", *v) in got


def test_tokenizer_offsets_map_back_to_characters_exactly(tiny_tagger):
    for text in (VI, EN):
        enc = tiny_tagger.tokenizer(text, return_offsets_mapping=True)
        toks = tiny_tagger.tokenizer.convert_ids_to_tokens(enc["input_ids"])
        for tok, (a, b) in zip(toks, enc["offset_mapping"]):
            if a == b:
                continue
            assert text[a:b] == (tok[2:] if tok.startswith("##") else tok) or tok == "[UNK]"


def test_tagger_round_trip_and_offsets(tiny_tagger, tmp_path):
    from directive_nlp.models.tagger import SpanTagger

    long_text = (VI * 12)  # longer than one window: several overlapping windows, batched
    s1 = tiny_tagger.spans([long_text, EN])
    tiny_tagger.save(tmp_path / "t")
    s2 = SpanTagger.load(tmp_path / "t").spans([long_text, EN])
    assert [[(s.start, s.end, s.kind) for s in x] for x in s1] == [[(s.start, s.end, s.kind) for s in x] for x in s2]
    for text, spans in zip((long_text, EN), s1):
        for s in spans:
            assert 0 <= s.start < s.end <= len(text) and text[s.start : s.end].strip()
    content = [(0, len(VI))]
    for m in tiny_tagger.agencies(VI, content, "vi", "Hanoi", 0.0):
        assert VI[m.start : m.end] == m.text and m.source == "tagger" and 0.0 <= m.confidence <= 1.0


def test_tagger_in_pipeline_and_missing_weights(tiny_tagger, tiny_models, tmp_path, caplog):
    import yaml

    models = _force(tiny_models, tmp_path, mode="rules")
    tiny_tagger.save(models / "tagger")
    cfg = yaml.safe_load((models / "ensemble.yaml").read_text())
    cfg["agencies"] = {"model": "tagger", "mode": {"vi": "union", "en": "union"}, "threshold": {"vi": 0.0, "en": 0.0}}
    (models / "ensemble.yaml").write_text(yaml.safe_dump(cfg))
    rules = Pipeline(extractors="rules").extract(VI, lang="vi")
    rec = Pipeline(extractors="ensemble", models_dir=str(models)).extract(VI, lang="vi")
    assert {(a.start, a.end) for a in rules.agencies} <= {(a.start, a.end) for a in rec.agencies}
    for a in rec.agencies:
        assert rec.text[a.start : a.end] == a.text
    (models / "tagger" / "model.safetensors").write_bytes(b"garbage")
    with caplog.at_level(logging.WARNING, logger="directive_nlp"):
        rec2 = Pipeline(extractors="ensemble", models_dir=str(models)).extract(VI, lang="vi")
    assert [a.text for a in rec2.agencies] == [a.text for a in rules.agencies]
    assert any("tagger" in r.getMessage() and "corrupt" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


# -- agency span ranker ----------------------------------------------------------------------------

NEW_BODY = (
    "Quảng Ninh đẩy nhanh dự án cao tốc\n"
    "UBND tỉnh giao Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh chủ trì, phối hợp với Sở Xây dựng "
    "hoàn thành giải phóng mặt bằng trước ngày 30/6/2025.\n"
)


@pytest.fixture(scope="module")
def tiny_ranker_models(tmp_path_factory) -> Path:
    """A models folder with the agency span ranker trained on a tiny corpus subset."""
    from directive_nlp.models.train import train_ranker

    return _train_tiny(tmp_path_factory, train_ranker, 12)


def _ranker_on(models: Path, tmp: Path) -> Path:
    """A copy of a models folder whose ensemble hands agencies to the ranker at threshold 0."""
    import yaml

    forced = tmp / "forced"
    shutil.copytree(models, forced)
    cfg = yaml.safe_load((forced / "ensemble.yaml").read_text())
    cfg["agencies"] = {"model": "ranker", "mode": {"vi": "union", "en": "union"}, "threshold": {"vi": 0.0, "en": 0.0}}
    (forced / "ensemble.yaml").write_text(yaml.safe_dump(cfg))
    return forced


def test_ranker_training_writes_model_meta_config_and_card(tiny_ranker_models):
    d = tiny_ranker_models / "ranker"
    meta = json.loads((d / "meta.json").read_text())
    assert meta["label_set_version"] == mconfig.RANKER_LABEL_SET_VERSION and meta["train_positive"] > 0
    assert "ranker.npz" in meta["files"] and "ranker.json" in meta["files"] and "sha256" in (d / "MODEL_CARD.md").read_text()
    cfg = mconfig.EnsembleConfig.load(tiny_ranker_models / "ensemble.yaml")
    assert {cfg.mode("agencies", lang, "ensemble") for lang in ("vi", "en")} <= {"rules", "union"}
    assert cfg.mode("agencies", "vi", "models") == "model"


def test_ranker_candidates_and_features_are_about_the_text():
    from directive_nlp.models.ranker import candidates, default_organ_words, tokens

    toks = tokens(NEW_BODY, 0, len(NEW_BODY))
    cands = candidates(NEW_BODY, toks, "vi", frozenset(default_organ_words("vi")))
    names = {NEW_BODY[c.start : c.end] for c in cands}
    assert "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh" in names
    assert "Sở Xây dựng" in names
    assert all(not NEW_BODY[c.start : c.end].endswith((",", " và")) for c in cands)


def test_ranker_round_trip_offsets_and_union(tiny_ranker_models, tmp_path):
    from directive_nlp.models.ranker import AgencyRanker

    ranker = AgencyRanker.load(tiny_ranker_models / "ranker")
    ranker.save(tmp_path / "copy")
    again = AgencyRanker.load(tmp_path / "copy")
    rules = Pipeline(extractors="rules").extract(NEW_BODY, lang="vi")
    content = [(0, len(NEW_BODY))]
    a = ranker.agencies(NEW_BODY, content, "vi", rules.agencies, 0.0, "model")
    b = again.agencies(NEW_BODY, content, "vi", rules.agencies, 0.0, "model")
    assert [(m.start, m.end, m.confidence) for m in a] == [(m.start, m.end, m.confidence) for m in b] and a
    for m in a:
        assert NEW_BODY[m.start : m.end] == m.text and m.source == "ranker" and 0.0 <= m.confidence <= 1.0
    forced = _ranker_on(tiny_ranker_models, tmp_path)
    rec = Pipeline(extractors="ensemble", models_dir=str(forced)).extract(NEW_BODY, lang="vi")
    # union: every rules mention stays unless a longer name starting at the same place replaced it
    for r in rules.agencies:
        assert any(m.start == r.start and m.end >= r.end for m in rec.agencies)
    for m in rec.agencies:
        assert rec.text[m.start : m.end] == m.text


def test_ranker_faults_warn_and_rules_carry_on(tiny_ranker_models, tmp_path, caplog):
    forced = _ranker_on(tiny_ranker_models, tmp_path)
    rules = Pipeline(extractors="rules").extract(NEW_BODY, lang="vi")
    (forced / "ranker" / "ranker.npz").write_bytes(b"PK\x03\x04 broken")
    with caplog.at_level(logging.WARNING, logger="directive_nlp"):
        rec = Pipeline(extractors="ensemble", models_dir=str(forced)).extract(NEW_BODY, lang="vi")
    assert [a.text for a in rec.agencies] == [a.text for a in rules.agencies]
    assert any("ranker" in r.getMessage() and "corrupt" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    meta_path = forced / "ranker" / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["label_set_version"] = "agency-span/0"
    meta_path.write_text(json.dumps(meta))
    from directive_nlp.models.ranker import AgencyRanker

    with pytest.raises(ModelError) as err:
        AgencyRanker.load(forced / "ranker")
    assert "agency-span/0" in str(err.value) and mconfig.RANKER_LABEL_SET_VERSION in str(err.value)


def test_shipped_ranker_finds_a_body_missing_from_the_gazetteer():
    if not (SHIPPED / "ranker" / "ranker.npz").exists():
        pytest.skip("no shipped ranker in models/")
    rec = Pipeline(extractors="ensemble", models_dir=str(SHIPPED)).extract(NEW_BODY, lang="vi")
    names = {a.text: a for a in rec.agencies}
    body = "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh"
    assert body in names and names[body].source == "ranker" and names[body].role == "lead"
