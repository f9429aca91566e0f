"""The fast Vietnamese POS tagging (``extract/vipos.py``) gives underthesea's ``pos_tag`` output."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("underthesea")

from directive_nlp.extract import vipos  # noqa: E402
from vi_stretches import vi_stretches  # noqa: E402

def _corpus_chunks(limit: int) -> list[str]:
    """Stretches cut where the clause reader cuts (90 characters)."""
    return vi_stretches(limit, (90, 150))


EDGE_CASES = [
    "Sở KH&ĐT chủ trì triển khai Kế hoạch số 306/KH-UBND.",
    "triển khai",  # one word
    "Giao UBND tỉnh",  # two words
    "đến năm 2025 đạt 95% hộ dân",  # digits, a percent
    "(BĐT) - Thủ tướng yêu cầu các bộ, ngành khẩn trương hoàn thành",  # parenthesis, capitals
    "  ",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_same_tags_as_underthesea(text):
    from underthesea import pos_tag

    expected = pos_tag(text) if text.strip() else []
    assert vipos.pos_tag(text) == expected


def test_same_tags_on_corpus_stretches():
    from underthesea import pos_tag

    chunks = _corpus_chunks(150)
    assert len(chunks) == 150
    assert [vipos.pos_tag(c) for c in chunks] == [pos_tag(c) for c in chunks]


def test_title_feature_follows_underthesea():
    assert vipos.istitle("Hà Nội") and vipos.istitle("UBND")
    assert not vipos.istitle("Hà nội") and not vipos.istitle("2024") and not vipos.istitle("")
    assert not vipos.istitle("Hà  Nội")  # an empty syllable


def test_featurizer_writes_underthesea_templates():
    f = vipos.Featurizer(["T[-1]", "T[0].lower", "T[0,1]", "T[-2,-1][1]"], {"lower": str.lower})
    rows = f.rows([["Sở", "Giao", "thông"], ["X", "X", "X"]])
    assert rows[0] == ["T[-1]=BOS", "T[0].lower=sở", "T[0,1]=Sở Giao", "T[-2,-1][1]=BOS"]
    assert rows[2] == ["T[-1]=Giao", "T[0].lower=thông", "T[0,1]=EOS", "T[-2,-1][1]=X X"]
    assert vipos.Featurizer(["T[-1,1]"], {}).rows([["một"]]) == [["T[-1,1]=BOS"]]  # BOS before EOS
    with pytest.raises(ValueError):
        vipos.Featurizer(["T[0].unknown"], {})


def test_features_are_linear_in_length():
    """underthesea builds them in quadratic time; ours must grow as the sentence: a ratio."""
    featurizer, _ = vipos._pos()
    words = ["Sở", "chủ trì", "triển khai", "kế hoạch", "năm", "2025"]

    def cost(n: int) -> float:
        sent = words * n
        t = time.process_time()
        for _ in range(3):
            featurizer.rows([sent, ["X"] * len(sent)])
        return time.process_time() - t

    cost(20)
    assert cost(800) / max(cost(100), 1e-4) < 8 * 3  # 8x the words: well under 64x


def test_fallback_when_underthesea_model_is_unreachable(monkeypatch):
    monkeypatch.setattr(vipos, "_pos", lambda: None)
    from underthesea import pos_tag

    assert vipos.pos_tag(EDGE_CASES[0]) == pos_tag(EDGE_CASES[0])


def test_clause_tokens_tag_lazily_and_tag_as_underthesea(monkeypatch):
    from underthesea import pos_tag

    from directive_nlp.extract import clause

    text = "Giao Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư rà soát nguồn vốn."
    calls = []
    real = vipos.tags
    monkeypatch.setattr(vipos, "tags", lambda t, f: calls.append(t) or real(t, f))
    toks = clause.tokens(text, 0, len(text), "vi")
    assert calls == [] and [t.text for t in toks] == [w for w, _ in pos_tag(text)]
    assert [t.tag for t in toks] == [tag for _, tag in pos_tag(text)]
    assert calls == [text]  # the whole stretch, once, when a tag is first read
    # a task verb the cue lexicon knows is read without tagging at all
    calls.clear()
    p = text.index("rà soát")
    assert clause.task_verb_at(text, p, len(text), "vi", []) == ("rà soát", p)
    assert calls == []


def test_fixed_column_features_are_built_once_per_length_and_stay_right():
    templates = ["T[0]", "T[-1][1]", "T[-2,-1][1]", "T[0,1]"]
    plain, fixed = vipos.Featurizer(templates, {}), vipos.Featurizer(templates, {}, fixed={1: "X"})
    for words in (["Sở", "Tài chính"], ["a", "b", "c"], ["x", "y"], ["một"]):
        cols = [words, ["X"] * len(words)]
        assert fixed.rows(cols) == plain.rows(cols)
        assert fixed.tuples(cols) == [tuple(r) for r in plain.rows(cols)]
    assert (1, 2) in fixed._fixed_cols  # "T[-1][1]" for two words, kept for the next two-word sentence
    other = [["a", "b"], ["X", "Y"]]  # the column is not the placeholder here: built afresh
    assert fixed.rows(other) == plain.rows(other)
