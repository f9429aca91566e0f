"""The English side as a spaCy pipeline: sentencizer plus a SpanRuler fed from the pattern files."""

from __future__ import annotations

import doctest
import json
from importlib import resources

import pytest

from directive_nlp import Pipeline, english
from directive_nlp.extract.agencies import find_agencies
from directive_nlp.lexicons import agency_names, holding_out
from directive_nlp.segment import segment


def test_pipeline_components_and_patterns_come_from_the_files():
    nlp = english.english_pipeline()
    assert nlp.pipe_names == ["sentencizer", "agency_ruler"]
    ruler = nlp.get_pipe("agency_ruler")
    lines = [ln for ln in resources.files("directive_nlp.lexicons").joinpath(english.PATTERN_FILE).read_text(encoding="utf-8").splitlines() if ln.strip()]
    gazetteer = [n for n, e in agency_names("en").items() if e.kind == "agency"]
    assert len(ruler.patterns) == len(lines) + len(gazetteer)
    assert {p["label"] for p in ruler.patterns} == {english.GAZETTEER_LABEL, english.NAMING_LABEL}
    assert "Department" in english.organ_words() and json.loads(lines[0])["label"] == english.NAMING_LABEL


def test_segmenter_sentences_come_from_the_same_pipeline():
    text = "Resolution No. 18 is in force. The city must act now.\n"
    assert [text[s.start : s.end] for s in segment(text, "en") if s.is_content] == ["Resolution No. 18 is in force.", "The city must act now."]


def test_unknown_bodies_are_found_by_the_naming_patterns_and_trimmed():
    text = "Accordingly, the Da Nang - Quang Ngai Expressway Project Management Board and the National Committee on E-Government of the city will report."
    names = [a.text for a in find_agencies(text, [(0, len(text))], "en")]
    assert "Da Nang - Quang Ngai Expressway Project Management Board" in names
    assert any(n.startswith("National Committee on E-Government") for n in names)
    assert not any(n.startswith(("the ", "Accordingly")) or n.endswith((" and", " of")) for n in names)


def test_a_known_name_inside_a_pattern_match_splits_it():
    text = "The Bac Ninh Industrial Parks Management Board and People's Committees of communes shall coordinate."
    names = [a.text for a in find_agencies(text, [(0, len(text))], "en")]
    assert "Bac Ninh Industrial Parks Management Board" in names


def test_holding_out_a_gazetteer_entry_changes_the_ruler():
    text = "The Politburo asked the city to act."
    doc = english.english_pipeline()(text)
    assert [s.text for s in english.ruler_spans(doc, english.GAZETTEER_LABEL)] == ["Politburo"]
    with holding_out(["Politburo"]):
        doc = english.english_pipeline()(text)
        assert english.ruler_spans(doc, english.GAZETTEER_LABEL) == []
    assert [a.text for a in Pipeline(extractors="rules").extract(text, lang="en").agencies] == ["Politburo"]


def test_hostile_input_stays_linear():
    text = ("Department " * 4000) + "of " + ("Finance and " * 4000)
    found = find_agencies(text, [(0, len(text))], "en")
    assert all(text[a.start : a.end] == a.text for a in found)


@pytest.mark.parametrize("module", ["directive_nlp.english", "directive_nlp.lexicons", "directive_nlp.models.ranker"])
def test_module_examples(module):
    import importlib

    res = doctest.testmod(importlib.import_module(module))
    assert res.failed == 0 and res.attempted > 0


def test_a_bad_pattern_line_is_a_clear_error():
    from directive_nlp.errors import LexiconError

    with pytest.raises(LexiconError, match=r"mine\.jsonl line 2: invalid JSON"):
        english.parse_patterns('{"label": "AGENCY_NAME", "pattern": [{"LOWER": "board"}]}\n{"label": ', "mine.jsonl")
    assert english.parse_patterns('\n{"label": "A", "pattern": "Board"}\n', "ok.jsonl") == [{"label": "A", "pattern": "Board"}]


def _ruler_only(text: str, spans):
    """What the SpanRuler component itself finds in each span (a fresh tokenization each)."""
    nlp = english.english_pipeline()
    out = []
    for s0, s1 in spans:
        doc = nlp.get_pipe("agency_ruler")(nlp.make_doc(english.masked(text[s0:s1])))
        out.append({lab: [(s0 + s.start_char, s0 + s.end_char) for s in english.ruler_spans(doc, lab)]
                    for lab in (english.GAZETTEER_LABEL, english.NAMING_LABEL)})
    return out


def test_the_ruler_runs_its_token_patterns_only_on_sentences_with_an_organ_word(monkeypatch):
    text = ("The Ministry of Finance and the Khanh Hoa Tourism Promotion Board will act. Prices rose 8% in May.\n"
            "Hai Phong Economic Zone Management Board reports to Hai Phong People's Committee by Dec. 31.\n")
    spans = [(s.start, s.end) for s in segment(text, "en") if s.is_content]
    compiled = english._naming_matcher()
    calls = []

    class Counting:
        def longest(self, words):
            calls.append(" ".join(words))
            return compiled.longest(words)

    monkeypatch.setattr(english, "_naming_matcher", lambda: Counting())
    found = english.agency_spans(text, spans)
    assert len(calls) == 2 and not any("Prices" in c for c in calls)
    monkeypatch.undo()
    assert found == _ruler_only(text, spans)
    assert len(found) == 3 and found[0][english.GAZETTEER_LABEL] and found[2][english.NAMING_LABEL]


def test_naming_patterns_are_skipped_only_without_an_organ_word():
    text = "Prices rose 8% in May and the Hanoi Department of Health said so. Nothing else happened here."
    spans = [(0, 64), (65, len(text))]
    assert english.agency_spans(text, spans) == _ruler_only(text, spans)
    assert english._organ_regex().search("the Tourism Promotion Board") and not english._organ_regex().search("Prices rose")
    assert english._needs_organ({"TEXT": {"IN": ["Board"]}}) and not english._needs_organ({"TEXT": {"IN": ["Board"]}, "OP": "?"})


def test_token_patterns_give_what_the_span_ruler_gives_on_corpus_sentences():
    # the naming patterns run through english.TokenPatterns, not spaCy's matcher: the spans kept
    # must be the SpanRuler component's own, on every English sentence of the training articles
    import json
    from pathlib import Path

    rows = [json.loads(line) for line in (Path(__file__).resolve().parents[1] / "corpus" / "train.jsonl").open(encoding="utf-8")]
    for row in [r for r in rows if r["lang"] == "en"][:40]:
        text = row["text"]
        spans = [(s.start, s.end) for s in segment(text, "en") if s.is_content]
        assert english.agency_spans(text, spans) == _ruler_only(text, spans), row["id"]


@pytest.mark.parametrize("text", [
    "The Department of the The Hanoi and of Ha Noi , - Board of the People's Committee met.",
    "Board of Of of of Board on the Finance Finance Finance Finance Finance Finance Finance Finance Finance Finance "
    "Finance Finance Finance Finance Finance Finance Finance acted.",
    "the committee of hanoi; Committee for the ; Council on",
])
def test_token_patterns_on_edge_cases(text):
    assert english.agency_spans(text, [(0, len(text))]) == _ruler_only(text, [(0, len(text))])


def test_token_patterns_read_ops_and_refuse_what_they_cannot():
    assert english._op_range("{0,14}") == (0, 14) and english._op_range("{2}") == (2, 2)
    assert english._op_range("{3,}") == (3, None) and english._op_range("+") == (1, None)
    for bad in ([{"TEXT": "a", "OP": "!"}], [{"POS": "NOUN"}], [{"LOWER": {"FUZZY": "a"}}]):
        with pytest.raises(ValueError):
            english.TokenPatterns([{"label": "X", "pattern": bad}])


def test_unreadable_naming_patterns_fall_back_to_spacy(monkeypatch):
    text = "The Khanh Hoa Tourism Promotion Board and the Department of Finance will act."
    expected = english.agency_spans(text, [(0, len(text))])
    monkeypatch.setattr(english, "_naming_matcher", lambda: None)
    assert english.agency_spans(text, [(0, len(text))]) == expected


@pytest.mark.parametrize("line", [
    "The city must act. It will report by June! Who pays? The province.",
    "  Leading spaces. And trailing ones.  ",
    "Dr. Smith met the U.S. team at 1.5 p.m. on Monday.",
    "“Finish it.” The minister said (1) more. (2) less...",
    "No final stop here",
    " . . ",
    "",
])
def test_sentences_follow_the_sentencizer_rule_of_the_pipeline(line):
    """``english.sentences`` reads the tokens as arrays: the same sentences as running the
    pipeline's own sentencizer."""
    nlp = english.english_pipeline()
    doc = nlp(english.masked(line), disable=["agency_ruler"])
    assert english.sentences(line) == [line[s.start_char : s.end_char] for s in doc.sents]


def test_sentence_starts_come_after_a_final_mark_and_its_closing_punctuation():
    stops = frozenset({1})  # 1: ".", 2: a closing quote (punctuation), others words
    assert english._sentence_starts([5, 1, 2, 6, 7], [0, 1, 1, 0, 0], stops) == [0, 3]
    assert english._sentence_starts([5, 6, 1], [0, 0, 1], stops) == [0]
    assert english._sentence_starts([1, 1, 5], [1, 1, 0], stops) == [0, 2]
