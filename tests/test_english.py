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
    ruler = english.english_pipeline().get_pipe("agency_ruler")
    calls = []
    matcher = ruler.matcher
    monkeypatch.setattr(ruler, "matcher", lambda doc: calls.append(doc.text) or matcher(doc))
    found = english.agency_spans(text, spans)
    assert calls == [text[a:b] for a, b in spans if "Prices" not in text[a:b]]
    monkeypatch.undo()
    assert found == _ruler_only(text, spans)
    assert len(found) == 3 and found[0][english.GAZETTEER_LABEL] and found[2][english.NAMING_LABEL]


def test_naming_patterns_are_skipped_only_without_an_organ_word():
    text = "Prices rose 8% in May and the Hanoi Department of Health said so. Nothing else happened here."
    spans = [(0, 64), (65, len(text))]
    assert english.agency_spans(text, spans) == _ruler_only(text, spans)
    assert english._organ_regex().search("the Tourism Promotion Board") and not english._organ_regex().search("Prices rose")
    assert english._needs_organ({"TEXT": {"IN": ["Board"]}}) and not english._needs_organ({"TEXT": {"IN": ["Board"]}, "OP": "?"})
