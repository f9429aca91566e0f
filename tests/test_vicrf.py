"""The Vietnamese word segmentation scored from the CRF's weights (``extract/vicrf.py``, used by
``vipos.words``) gives underthesea's ``word_tokenize`` output."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytest.importorskip("underthesea")

from directive_nlp.extract import vicrf, vipos  # noqa: E402
from vi_stretches import vi_stretches  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _stretches(limit: int) -> list[str]:
    """Stretches as long as the clause reader reads (60 and 400 characters)."""
    return vi_stretches(limit, (60, 97), (400, 1003))


EDGE_CASES = [
    "Sở KH&ĐT chủ trì triển khai Kế hoạch số 306/KH-UBND.",
    "triển khai",
    "Giao",
    "UBND TỈNH HÀ NỘI yêu cầu",  # capitals: the title and dictionary features
    "đến ngày 30/11/2025 đạt 95% hộ dân, 1.200 tỷ đồng",  # dates, numbers, marks
    "xem tại http://baochinhphu.vn/a-b.htm hoặc gửi email@x.vn",
    "BOS EOS",  # the words the model writes past either end
    "",
    "  ",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_same_words_as_underthesea(text):
    from underthesea import word_tokenize

    assert vipos.words(text) == word_tokenize(text)


def test_same_words_on_corpus_stretches():
    from underthesea import word_tokenize

    chunks = _stretches(400)
    assert len(chunks) == 400
    assert [vipos.words(c) for c in chunks] == [word_tokenize(c) for c in chunks]


def test_syllables_are_underthesea_tokens():
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    for text in EDGE_CASES + _stretches(50):
        assert vipos.syllables(text) == tokenize(text)


def test_segmenter_is_in_use_and_labels_syllables():
    seg = vipos._segmenter()
    assert seg is not None  # underthesea's model was read: the fast path is the one tested above
    labels = seg[3].labels(["chủ", "trì", "triển", "khai", "kế", "hoạch"])
    assert labels == ["B-W", "I-W", "B-W", "I-W", "B-W", "I-W"]
    assert seg[3].labels([]) == []


def test_an_unreadable_model_is_refused(tmp_path):
    bad = tmp_path / "models.bin"
    bad.write_bytes(b"not a model at all, long enough to unpack a header from it")
    with pytest.raises(ValueError):
        vicrf.read_model(str(bad), vicrf.TEMPLATE)
    assert vicrf.load(str(tmp_path), set()) is None
    with pytest.raises(ValueError):
        vicrf._spec("T[0].unknown")


def test_fallback_to_underthesea_when_the_model_is_not_readable(monkeypatch):
    from underthesea import word_tokenize

    monkeypatch.setattr(vipos, "_segmenter", lambda: None)
    assert vipos.words(EDGE_CASES[0]) == word_tokenize(EDGE_CASES[0])


def test_viterbi_takes_transitions_into_account():
    # state scores alone say 0, 1, 0; a strong 0 -> 0 transition keeps label 0 throughout
    assert vicrf._viterbi([1.0, 0.0, 1.0], [0.0, 0.5, 0.0], [[2.0, -2.0], [0.0, 0.0]]) == [0, 0, 0]
    assert vicrf._viterbi([1.0, 0.0, 1.0], [0.0, 0.5, 0.0], [[0.0, 0.0], [0.0, 0.0]]) == [0, 1, 0]


def test_labels_are_linear_in_length():
    seg = vipos._segmenter()[3]
    syl = vipos.syllables("Sở Tài chính chủ trì triển khai kế hoạch năm 2025, ")

    def cost(n: int) -> float:
        sent = syl * n
        t = time.process_time()
        for _ in range(3):
            seg.labels(sent)
        return time.process_time() - t

    cost(10)
    assert cost(400) / max(cost(50), 1e-4) < 8 * 3  # 8x the syllables: well under 64x


def test_vietnamese_rules_never_load_underthesea_word_segmenter():
    """The clause reader and the rule classifier segment through ``vicrf`` only: underthesea's own
    segmentation model (seconds to load) stays unloaded, even where a tag is read (``_vi_verb_at``)."""
    import subprocess
    import sys

    code = (
        "from directive_nlp.extract import directives\n"
        "from underthesea.pipeline import word_tokenize as wt\n"
        "t = 'Sở Y tế chịu trách nhiệm thi hành Quyết định này.'\n"
        "print(directives._vi_verb_at(t, t.index('thi'), len(t)))\n"
        "print(directives.classify(t, 0, len(t), 'vi', []) is not None, wt.word_tokenize_model is None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""}, check=True)
    assert out.stdout.split("\n")[:2] == ["('thi hành', 25)", "True True"], out.stdout + out.stderr


def test_a_stretch_is_segmented_once_per_article(monkeypatch):
    from directive_nlp.extract import clause

    calls = []
    real = vipos.words
    monkeypatch.setattr(vipos, "words", lambda t: calls.append(t) or real(t))
    text = "Giao Sở Tài chính chủ trì, phối hợp với Sở Kế hoạch và Đầu tư rà soát nguồn vốn."
    first = clause.tokens(text, 0, 40, "vi")
    again = clause.tokens(text, 0, 40, "vi")
    assert [(t.start, t.text, t.tag) for t in again] == [(t.start, t.text, t.tag) for t in first]
    assert len(calls) == 1
    other = text[:10] + text[10:]  # an equal text in another article: read afresh
    assert other is not text
    clause.tokens(other, 0, 40, "vi")
    assert len(calls) == 2


#: pieces the tokenizer reads in its own ways (abbreviations, dates, addresses, marks, emoticons)
TRICKY = ["UBND.", "UBND", "Mr.", "Tp.", "TP.HCM", "v.v.", "v.v...", "a@b.vn", "x:D", ":D", "Th", "S", "ThS.", "e-mail",
          "H&M", "chính.", "chính,", "Hà.", "Đ.", "30/11", "1.200", "4K", "www.x.vn", "http://a.b/c", "(UBND)", "ʺ", "a'b",
          "--", "...", "°C", "3x4", "NĐ-CP", "T.Ư", "kinh-tế", "A.", "a.", "ab.cd", "foo@", "Dr.X", "tỉnh", "ban,", "(a"]


def test_syllables_read_a_piece_at_a_time_as_the_whole_text():
    """``syllables`` reads whitespace-separated pieces alone (and letters without the pattern):
    glued, spaced and line-broken mixes of tricky pieces read as underthesea reads the whole."""
    import random

    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    rng = random.Random(14)
    for _ in range(3000):
        text = "".join(rng.choice(TRICKY) + rng.choice([" ", "  ", "\n", "", "\t"]) for _ in range(rng.randint(1, 6)))
        assert vipos.syllables(text) == tokenize(text), text


def test_a_word_cut_at_a_name_is_not_tagged_before_a_tag_is_read(monkeypatch):
    """"giao Ban" (of "giao Ban Tuyên giáo") is cut into "giao" and the name; the cut reads no tag."""
    from directive_nlp.extract import clause

    calls = []
    real = vipos.tags
    monkeypatch.setattr(vipos, "tags", lambda t, f: calls.append(t) or real(t, f))
    text = "Tỉnh ủy giao Ban Tuyên giáo chủ trì tổ chức hội nghị."
    toks = clause.tokens(text, 0, len(text), "vi")
    assert [t.text for t in toks][:4] == ["Tỉnh", "ủy", "giao", "Ban"] and calls == []
    assert [t.tag for t in toks][2:4] == ["N", "Np"]  # the word's tag, then the name's
    assert len(calls) == 1


def test_syllables_follow_underthesea_after_it_was_given_fixed_words(monkeypatch):
    """underthesea keeps the pattern of the last ``fixed_words`` call for every later call: then
    the pattern is read whole, as underthesea reads it."""
    from underthesea.pipeline.word_tokenize import regex_tokenize

    monkeypatch.setattr(regex_tokenize, "patterns", regex_tokenize.patterns)
    monkeypatch.setattr(regex_tokenize, "recompile_regex_patterns", False)
    regex_tokenize.tokenize("x", fixed_words=["Hà Nội"])  # (sets both module globals)
    text = "Đoàn công tác Hà Nội làm việc"
    assert vipos.syllables(text) == regex_tokenize.tokenize(text)
    assert "Hà Nội" in vipos.syllables(text)


def test_kept_ngram_entries_give_the_same_labels_and_stay_bounded(monkeypatch):
    seg = vipos._segmenter()[3]
    chunks = [vipos.syllables(c) for c in _stretches(120)]
    first = [seg.labels(s) for s in chunks]
    assert sum(map(len, seg._entries)) > 0  # the n-grams met are kept …
    assert [seg.labels(s) for s in chunks] == first  # … and read back to the same labels
    monkeypatch.setattr(vicrf, "_MAX_ENTRIES", 10)
    assert seg.labels(chunks[0]) == first[0]  # past the bound: started afresh, same labels
    assert sum(map(len, seg._entries)) <= len(chunks[0]) * 3


def test_a_template_looking_further_than_two_syllables_is_refused(monkeypatch):
    import os

    from underthesea.pipeline import word_tokenize as wt

    folder = os.path.join(os.path.dirname(wt.__file__), "models", vipos.WS_MODEL)
    words = vipos._unpickled(os.path.join(folder, "dictionary.bin"))
    assert vicrf.load(folder, words) is not None
    monkeypatch.setattr(vicrf, "TEMPLATE", vicrf.TEMPLATE + ["T[3]"])
    assert vicrf.load(folder, words) is None  # labels() scores the middle without bounds checks
