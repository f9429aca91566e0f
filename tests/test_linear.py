"""The shipped linear models run on NumPy alone and give scikit-learn's probabilities."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from directive_nlp.errors import ModelError
from directive_nlp.models import SHIPPED_MODELS_DIR, linear

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


def _rows(name: str, n: int) -> list[dict]:
    rows = [json.loads(line) for line in (CORPUS / name).open(encoding="utf-8") if line.strip()]
    return [r for r in rows if r["lang"] == "en"][: n // 2] + [r for r in rows if r["lang"] == "vi"][: n - n // 2]


@pytest.fixture(scope="module")
def trained():
    """A classifier and a ranker fitted by scikit-learn on a slice of the training split."""
    pytest.importorskip("sklearn")
    from directive_nlp.models.classifier import DirectiveClassifier, sentence_examples
    from directive_nlp.models.ranker import AgencyRanker

    rows = _rows("train.jsonl", 24)
    clf = DirectiveClassifier.train(sentence_examples(rows), seed=0)
    ranker = AgencyRanker.train(rows, seed=0, dropout_passes=0, log=lambda s: None)
    return clf, ranker


def test_numpy_classifier_gives_sklearns_probabilities(trained):
    from directive_nlp.models.classifier import _matrix, sentence_examples

    clf, _ = trained
    ex = sentence_examples(_rows("dev.jsonl", 48))
    want = clf.estimator.predict_proba(_matrix(ex))[:, 1]
    got = clf.proba_many(ex)
    assert len(ex) > 500
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_numpy_ranker_gives_sklearns_probabilities(trained):
    from directive_nlp.extract.agencies import find_agencies, home_province
    from directive_nlp.models.ranker import tokens
    from directive_nlp.segment import segment

    _, ranker = trained
    n = 0
    for row in _rows("dev.jsonl", 48):
        text, lang = row["text"], row["lang"]
        content = [(s.start, s.end) for s in segment(text, lang) if s.is_content]
        rules = [(m.start, m.end) for m in find_agencies(text, content, lang, home_province(text, lang))]
        for s0, s1 in content:
            cands, feats = ranker.sentence_candidates(text, s0, s1, lang, rules)
            if not cands:
                continue
            want = ranker.estimator.predict_proba(feats)[:, 1]
            np.testing.assert_allclose(ranker.model.proba(feats), want, rtol=0, atol=1e-12)
            # the per-sentence scorer (what the pipeline runs) sums the same weights
            inside = [(a, b) for a, b in rules if s0 <= a and b <= s1]
            z = np.array(ranker._scorer(lang).scores(text, tokens(text, s0, s1), cands, lang, inside))
            np.testing.assert_allclose(1 / (1 + np.exp(-z)), want, rtol=0, atol=1e-12)
            n += len(cands)
    assert n > 1000


def test_saved_files_round_trip_and_hold_no_pickle(trained, tmp_path):
    from directive_nlp.models.classifier import DirectiveClassifier, sentence_examples

    clf, _ = trained
    clf.save(tmp_path / "classifier")
    again = DirectiveClassifier.load(tmp_path / "classifier")
    ex = sentence_examples(_rows("dev.jsonl", 4))
    assert (again.proba_many(ex) == clf.proba_many(ex)).all()
    with np.load(tmp_path / "classifier" / "classifier.npz", allow_pickle=False) as data:
        assert all(data[k].dtype != object for k in data.files)
    spec = json.loads((tmp_path / "classifier" / "classifier.json").read_text(encoding="utf-8"))
    assert spec["format"] == linear.FORMAT and [b["name"] for b in spec["blocks"]] == ["word", "char", "cues"]


def test_a_damaged_weights_file_is_a_model_error_naming_it(tmp_path):
    import shutil

    shutil.copytree(SHIPPED_MODELS_DIR / "ranker", tmp_path / "ranker")
    np.savez(tmp_path / "ranker" / "ranker.npz", coef=np.zeros(3), intercept=np.zeros(()))
    with pytest.raises(ModelError, match=r"ranker.*corrupt.*shape"):
        linear.load(tmp_path / "ranker", "ranker", "ranker")


def test_shipped_models_load_without_sklearn_skops_or_torch():
    code = (
        "import sys\n"
        "from directive_nlp.models import SHIPPED_MODELS_DIR, load_model_set\n"
        "m = load_model_set(None, 'ensemble')\n"
        "assert m.classifier is not None and m.agency_model is not None\n"
        "print(sorted(n for n in ('sklearn', 'skops', 'torch', 'scipy', 'transformers') if n in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=_env())
    assert out.stdout.strip() == "[]", out.stderr


def _env() -> dict:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}


def test_ranker_word_info_is_computed_once_per_word_and_stays_bounded(monkeypatch):
    from directive_nlp.evaluate import norm_name
    from directive_nlp.models import ranker

    monkeypatch.setattr(ranker, "_WORD_INFO", {})
    monkeypatch.setattr(ranker, "_MAX_WORD_INFO", 3)
    words = ["UBND", "Sở", "tỉnh", "Hà-Nội", ",", "2025", "the"]
    for w in words:
        assert ranker._word_info(w) == (w.casefold(), ranker._cap(w), ranker._shape(w), tuple(norm_name(w).split()))
        assert len(ranker._WORD_INFO) <= 3
    assert ranker._word_info("the") is ranker._word_info("the")  # the second look-up reads the cache


def test_ranker_province_test_only_skips_words_no_province_ends_with():
    from directive_nlp.models import ranker

    for lang in ("vi", "en"):
        last = ranker._province_last_words(lang)
        assert all(p.split()[-1] in last for p in ranker._provinces(lang))


def test_block_lookups_give_the_terms_of_the_generic_analyzer():
    """The word blocks look 1- and 2-grams up word by word and the char block per word array:
    the same vocabulary indices, with the same counts, as building every term string."""
    from collections import Counter

    model = linear.load(SHIPPED_MODELS_DIR / "classifier", "classifier", "classifier")
    docs = ["Sở Tài chính chủ trì, phối hợp với Sở Xây dựng  trình UBND tỉnh trước ngày 30/6.",
            "The ministry must submit the plan by June 30; the city should speed up site clearance.", "", "x"]
    for b in model.blocks:
        for doc in docs:
            generic = [b.vocab[t] for t in b.terms(doc) if t in b.vocab]
            assert Counter(b.indices(doc)) == Counter(generic)
        assert (b._grams is None) == (b.analyzer == "char_wb")
    word = model.blocks[0]
    assert sorted(word.indices("sở tài chính")) == sorted(word.vocab[t] for t in ("sở", "tài", "chính", "sở tài", "tài chính") if t in word.vocab)
    spaced = linear.Block({**_spec(word), "token_pattern": r"[^,]+"}, None, 0)
    assert spaced._grams is None  # a pattern whose tokens may hold a space is left to the generic analyzer


def _spec(block) -> dict:
    return {"column": block.column, "analyzer": block.analyzer, "ngram_range": list(block.ngram_range), "lowercase": block.lowercase,
            "token_pattern": block.token_re.pattern, "binary": block.binary, "vocabulary": ["a", "b", "a b"]}


def test_ranker_end_word_and_province_tests_read_as_the_feature_definitions():
    """The scorer's shortcuts: a candidate never ends on a joiner or a connective, whatever its
    case, and "ends in a province name" (``prov_end``) holds for a span longer than the fewest
    words (1-3) before its end that make a province name."""
    from directive_nlp.models import ranker

    for w in [",", "-", "&", "/", "và", "Và", "AND", "of", "The", "các", "on", "Sở", "committee", "–"]:
        assert (w.casefold() in ranker._NO_END) == (w in ranker._JOIN or w.casefold() in ("và", "and", "of", "for", "the", "các", "on"))
    provs = ranker._provinces("vi")
    low = "ubnd tỉnh bà rịa - vũng tàu và thành phố hà nội , sở".split()
    for j in range(len(low)):
        ends = [q for q in range(1, 4) if j - q + 1 >= 0 and " ".join(low[j - q + 1 : j + 1]) in provs]
        for m in range(1, j + 2):
            assert (m > ranker._prov_min(low, j, provs)) == any(m > q for q in ends)
    assert any(ranker._prov_min(low, j, provs) < ranker._NEVER for j in range(len(low)))


def test_ranker_per_start_shortcuts_read_as_the_per_candidate_tests():
    """Per start, the scorer keeps the gazetteer's last words of names with that first word, and
    the rules spans overlapping the start's candidates: what the per-candidate tests would see."""
    from directive_nlp.lexicons import held_out
    from directive_nlp.models import ranker

    for lang in ("vi", "en"):
        pairs = ranker._gazetteer_end_pairs(lang, held_out())
        lasts = ranker._gazetteer_last_words(lang)
        assert {(f, w) for f, ws in lasts.items() for w in ws} == pairs
    spans = [(0, 5), (10, 20), (18, 30), (40, 41)]
    for rules in (spans, ranker.SpanIndex(spans)):
        assert ranker._near(rules, 12, 19) == [(10, 20), (18, 30)]
        assert ranker._near(rules, 30, 40) == []
    c = ranker.Candidate(10, 20, 0, 3)
    assert ranker._relation(c, ranker._near(spans, 10, 25)) == ranker._relation(c, spans) == "exact"


def test_block_vectors_count_the_terms_of_the_generic_analyzer():
    """``vectors`` of many documents at once (word blocks through the token-number arrays, the
    char block through per-word arrays) gives each document's term counts as building every
    term string would, the pairs never running across two documents."""
    from collections import Counter

    model = linear.load(SHIPPED_MODELS_DIR / "classifier", "classifier", "classifier")
    docs = ["Sở Tài chính chủ trì, phối hợp với Sở Xây dựng trình UBND tỉnh trước ngày 30/6.", "",
            "The ministry must submit the plan by June 30; the ministry must act.", "the", "plan", "rule=none bullet=1 lang=vi"]
    assert "the plan" in model.blocks[0].vocab  # a pair that must not be counted across "the" | "plan"
    for b in model.blocks:
        rows, idx, vals = b.vectors(docs)
        for r, doc in enumerate(docs):
            want = Counter(b.vocab[t] for t in b.terms(doc) if t in b.vocab)
            got = idx[rows == r]
            assert sorted(got.tolist()) == sorted(want)
            if b.binary:
                assert (vals[rows == r] == 1).all()
            elif b.idf is None:
                assert vals[rows == r].tolist() == [want[k] for k in sorted(want)]


def test_ranker_select_keeps_the_most_probable_non_overlapping_candidates_above_the_threshold():
    from directive_nlp.models.ranker import Candidate, select

    cands = [Candidate(0, 10, 0, 2, prob=0.9), Candidate(0, 5, 0, 1, prob=0.95), Candidate(6, 12, 2, 3, prob=0.8),
             Candidate(20, 30, 5, 7, prob=0.69), Candidate(31, 40, 8, 9, prob=0.7)]
    kept = select(cands, 0.7)
    assert [(c.start, c.end) for c in kept] == [(0, 5), (6, 12), (31, 40)]
    assert select(cands, 0.99) == []
