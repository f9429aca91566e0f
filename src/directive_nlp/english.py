"""The English side as one spaCy pipeline: tokenizer, sentencizer and a SpanRuler.

``english_pipeline()`` is ``spacy.blank("en")`` with the abbreviations whose full stop ends no
sentence ("Resolution No. 18"), the rule ``sentencizer`` and a ``span_ruler`` fed from the pattern
files: every English name of the agency gazetteer (``lexicons/shared/agencies.yaml``) as a phrase
pattern labelled ``AGENCY`` (case-sensitive: capitals mark a proper name), and the token patterns of
``lexicons/en/agency_patterns.jsonl`` (spaCy's pattern-file format) labelled ``AGENCY_NAME`` for
bodies the gazetteer has never seen ("Hai Phong Economic Zone Management Board").  The segmenter
uses its sentences; the agency extractor reads its spans (``doc.spans["agencies"]``).

    >>> doc = english_pipeline()("The Ministry of Finance and the Khanh Hoa Tourism Promotion Board will act.")
    >>> [(s.text, s.label_) for s in ruler_spans(doc, "AGENCY")]
    [('Ministry of Finance', 'AGENCY')]
    >>> [s.text for s in ruler_spans(doc, "AGENCY_NAME")]  # trimmed by extract.agencies
    ['The Ministry of Finance and', 'Khanh Hoa Tourism Promotion Board']
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Callable, Optional

from .errors import LexiconError
from .lexicons import agency_names, held_out

SPANS_KEY = "agencies"
GAZETTEER_LABEL = "AGENCY"
NAMING_LABEL = "AGENCY_NAME"
PATTERN_FILE = "en/agency_patterns.jsonl"
#: abbreviations whose full stop must not end a sentence ("Resolution No. 18")
ABBREVIATIONS = (
    "No.", "Nos.", "no.", "Dec.", "Jan.", "Feb.", "Aug.", "Sept.", "Sep.", "Oct.", "Nov.", "Mr.", "Ms.", "Mrs.", "Dr.",
    "Prof.", "St.", "Co.", "Ltd.", "Corp.", "Inc.", "Art.", "Cl.", "approx.", "e.g.", "i.e.", "etc.)", "vs.", "Vol.",
    "Fig.", "Assoc.", "Dept.", "Sub-Dept.",
)


@lru_cache(maxsize=None)
def naming_patterns() -> list[dict]:
    """The token patterns of ``lexicons/en/agency_patterns.jsonl``."""
    return parse_patterns(resources.files("directive_nlp.lexicons").joinpath(PATTERN_FILE).read_text(encoding="utf-8"), PATTERN_FILE)


def parse_patterns(text: str, source: str) -> list[dict]:
    """Patterns from spaCy's pattern-file format (one JSON object a line); ``LexiconError`` naming
    ``source`` and the line for a line that is not a pattern.

        >>> parse_patterns('{"label": "X", "pattern": "a b"}\\n[1]', "p.jsonl")
        Traceback (most recent call last):
        ...
        directive_nlp.errors.LexiconError: p.jsonl line 2: a pattern needs 'label' and 'pattern'
    """
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            pat = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LexiconError(f"{source} line {n}: invalid JSON: {exc}") from exc
        if not isinstance(pat, dict) or "pattern" not in pat or "label" not in pat:
            raise LexiconError(f"{source} line {n}: a pattern needs 'label' and 'pattern'")
        out.append(pat)
    return out


@lru_cache(maxsize=None)
def organ_words() -> tuple[str, ...]:
    """The organ words of the naming patterns ("Department", "Committee" …): a name holds one."""
    out: set[str] = set()
    for pat in naming_patterns():
        for tok in pat["pattern"]:
            spec = tok.get("TEXT") if isinstance(tok, dict) else None
            if isinstance(spec, dict) and "IN" in spec:
                out.update(spec["IN"])
    return tuple(sorted(out))


def english_pipeline():
    """The shared English pipeline (built once per gazetteer state, see ``lexicons.holding_out``)."""
    return _pipeline(held_out())


@lru_cache(maxsize=4)
def _pipeline(held: frozenset):
    from .imports import spacy as import_spacy

    spacy = import_spacy()
    from spacy.symbols import ORTH

    from spacy.lang.char_classes import ALPHA, HYPHENS
    from spacy.util import compile_infix_regex

    nlp = spacy.blank("en")
    # a hyphen between letters stays inside its word: "E-commerce", "District-level", "Ba Ria-Vung Tau"
    hyphen_between_letters = f"(?:{HYPHENS})(?=[{ALPHA}])"
    nlp.tokenizer.infix_finditer = compile_infix_regex([x for x in nlp.Defaults.infixes if hyphen_between_letters not in x]).finditer
    for abbr in ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    nlp.add_pipe("sentencizer")
    nlp.max_length = 50_000_000  # only rule components run: no parser memory to guard
    ruler = nlp.add_pipe("span_ruler", name="agency_ruler", config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "ORTH", "validate": True})
    names = sorted(n for n, e in agency_names("en").items() if e.kind == "agency")
    ruler.add_patterns([{"label": GAZETTEER_LABEL, "pattern": n} for n in names] + naming_patterns())
    return nlp


#: how far a naming-pattern match reaches back over the words before its organ word
MAX_PREFIX = 9
_PREFIX_WORDS = frozenset(["of", "and", "for", "&", "'s", "’s", "'", "’", "-"])


def _prefix_word(tok) -> bool:
    t = tok.text
    return t[:1].isupper() or t in _PREFIX_WORDS or (t.endswith("-level") and t[:1].isalpha())


def _with_prefix(doc, span):
    """A naming-pattern span reaching back over the capitalized words and connectors before its
    organ word ("Khanh Hoa Tourism Promotion | Board"), at most ``MAX_PREFIX`` tokens.  Done here
    rather than as a leading ``{0,9}`` in the pattern: spaCy's matcher would then start a partial
    match at every capitalized token, several times slower."""
    start = span.start
    while start > 0 and span.start - start < MAX_PREFIX and _prefix_word(doc[start - 1]):
        start -= 1
    return doc[start : span.end] if start != span.start else span


def ruler_spans(doc, label: str) -> list:
    """The ruler's spans of one label, leftmost first and, at one start, longest; none overlapping
    (what a scan of the text from left to right would take).  Naming-pattern spans first reach back
    over the name's leading words (``_with_prefix``)."""
    found = [s for s in doc.spans.get(SPANS_KEY, []) if s.label_ == label]
    if label == NAMING_LABEL:
        found = [_with_prefix(doc, s) for s in found]
    spans = sorted(found, key=lambda s: (s.start, -s.end))
    out = []
    for s in spans:
        if not out or s.start >= out[-1].end:
            out.append(s)
    return out


#: a run of at least this many characters without whitespace is masked before spaCy sees it:
#: its tokenizer strips a run's affixes one at a time, each time searching the whole rest of the
#: run ("((((…", "%%%%…" take quadratic time)
MAX_RUN = 500
_KEEP = 20  # characters kept at each end of a masked run (a final full stop still ends a sentence)
_LONG_RUN = re.compile(r"(?<!\S)\S{%d,}" % MAX_RUN)


def masked(text: str) -> str:
    """``text`` with the middle of each long whitespace-free run replaced by ``x``: the same
    length, so offsets into it are offsets into ``text``.

    >>> masked("a " + "(" * 600 + " b") == "a " + "(" * 20 + "x" * 560 + "(" * 20 + " b"
    True
    """
    if len(text) < MAX_RUN:
        return text
    return _LONG_RUN.sub(lambda m: m.group()[:_KEEP] + "x" * (len(m.group()) - 2 * _KEEP) + m.group()[-_KEEP:], text)


def sentences(text: str) -> list[str]:
    """Sentence texts of one line (the ruler is not run): the pipeline's tokenizer, then the
    sentencizer's rule read from the tokens' ids as one array (``_sentence_starts``)."""
    nlp = english_pipeline()  # first: spaCy is imported the way ``imports.spacy`` does it
    from spacy.attrs import IDX, IS_PUNCT, LENGTH, ORTH

    doc = nlp.make_doc(masked(text))
    if not len(doc):
        return []
    orth, punct, idx, length = doc.to_array([ORTH, IS_PUNCT, IDX, LENGTH]).T.tolist()
    starts = _sentence_starts(orth, punct, _punct_ids(nlp))
    ends = starts[1:] + [len(orth)]
    return [text[idx[a] : idx[b - 1] + length[b - 1]] for a, b in zip(starts, ends)]


def _sentence_starts(orth: list[int], punct: list[int], stops: frozenset[int]) -> list[int]:
    """The first token of each sentence, by spaCy's ``Sentencizer`` rule: a sentence starts at
    the first token that is not punctuation after a token that is one of its sentence-final
    characters (``stops``: their string ids)."""
    starts, seen_stop = [0], False
    for i, (o, p) in enumerate(zip(orth, punct)):
        is_stop = o in stops
        if seen_stop and not p and not is_stop:
            starts.append(i)
            seen_stop = False
        elif is_stop:
            seen_stop = True
    return starts


@lru_cache(maxsize=4)
def _punct_ids(nlp) -> frozenset[int]:
    """The string ids of the sentencizer's sentence-final characters."""
    from spacy.strings import get_string_id

    return frozenset(get_string_id(c) for c in nlp.get_pipe("sentencizer").punct_chars)


def agency_spans(text: str, spans: list[tuple[int, int]]) -> list[dict[str, list[tuple[int, int]]]]:
    """Per ``(s0, s1)`` span of ``text``: ``{label: [(start, end), ...]}`` in absolute offsets."""
    nlp = english_pipeline()
    ruler = nlp.get_pipe("agency_ruler")
    organs = _organ_regex()
    out = []
    for s0, s1 in spans:
        part = masked(text[s0:s1])
        doc = nlp.make_doc(part)
        doc.spans[SPANS_KEY] = _ruler_match(ruler, doc, organs.search(part) is not None)
        out.append({lab: [(s0 + s.start_char, s0 + s.end_char) for s in ruler_spans(doc, lab)] for lab in (GAZETTEER_LABEL, NAMING_LABEL)})
    return out


@lru_cache(maxsize=None)
def _organ_regex() -> "re.Pattern[str]":
    """Any organ word of the naming patterns, as a substring: a text without one holds no match
    of those patterns when each needs a token that is an organ word; an empty pattern (found
    everywhere) when one of them does not."""
    if not all(any(_needs_organ(tok) for tok in pat["pattern"]) for pat in naming_patterns()):
        return re.compile("")
    return re.compile("|".join(re.escape(w) for w in sorted(organ_words(), key=len, reverse=True)))


def _needs_organ(tok) -> bool:
    """A token pattern that only an organ word matches (a ``TEXT: {IN: [...]}`` that must occur)."""
    spec = tok.get("TEXT") if isinstance(tok, dict) else None
    return isinstance(spec, dict) and set(spec) == {"IN"} and tok.get("OP", "1") in ("1", "+") and set(tok) <= {"TEXT", "OP"}


def _ruler_match(ruler, doc, naming: bool) -> list:
    """What the SpanRuler's ``match`` returns (deduplicated spans, sorted) as far as ``ruler_spans``
    reads it, with the naming patterns run only when ``naming`` (the text holds an organ word): the
    phrase patterns alone are several times cheaper.  The naming patterns go through
    ``TokenPatterns`` (the longest match at each start, all ``ruler_spans`` keeps) when it can read
    them, else through spaCy's matcher."""
    from spacy.tokens import Span

    labels = ruler._match_label_id_map
    spans = {Span(doc, a, b, label=labels[m]["label"], span_id=labels[m]["id"]) for m, a, b in ruler.phrase_matcher(doc) if a != b}
    if naming:
        compiled = _naming_matcher()
        if compiled is None:
            spans.update(Span(doc, a, b, label=labels[m]["label"], span_id=labels[m]["id"]) for m, a, b in ruler.matcher(doc) if a != b)
        else:
            spans.update(Span(doc, a, b, label=lab, span_id=pid) for a, b, lab, pid in compiled.longest([t.text for t in doc]))
    return sorted(spans)


# -- the naming patterns without spaCy's matcher ----------------------------------------------------

_OPS = {"1": (1, 1), "?": (0, 1), "*": (0, None), "+": (1, None)}
_RANGE = re.compile(r"\{(\d*)(,?)(\d*)\}")


def _op_range(op: str) -> tuple[int, Optional[int]]:
    """``(min, max)`` repetitions of a token pattern's ``OP`` (max None: unbounded)."""
    if op in _OPS:
        return _OPS[op]
    m = _RANGE.fullmatch(op)
    if m is None:
        raise ValueError(f"unsupported OP {op!r}")
    lo = int(m.group(1) or 0)
    hi = None if m.group(2) and not m.group(3) else int(m.group(3) or m.group(1) or 0)
    return lo, hi


def _attr_test(attr: str, spec) -> Callable[[str], bool]:
    get = (lambda w: w) if attr in ("TEXT", "ORTH") else str.lower
    if attr not in ("TEXT", "ORTH", "LOWER"):
        raise ValueError(f"unsupported attribute {attr}")
    plain = attr != "LOWER"  # a test on the word itself: a C-level method where there is one
    if isinstance(spec, str):
        return spec.__eq__ if plain else (lambda w: w.lower() == spec)
    if not isinstance(spec, dict) or len(spec) != 1:
        raise ValueError(f"unsupported value {spec!r}")
    (kind, value), = spec.items()
    if kind == "IN":
        values = frozenset(value)
        return values.__contains__ if plain else (lambda w: w.lower() in values)
    if kind == "NOT_IN":
        values = frozenset(value)
        return lambda w: get(w) not in values
    if kind == "REGEX":
        search = re.compile(value).search
        return lambda w: search(get(w)) is not None
    raise ValueError(f"unsupported predicate {kind}")


def _token_test(tok: dict) -> tuple[Callable[[str], bool], int, Optional[int]]:
    tests = [_attr_test(k, v) for k, v in tok.items() if k != "OP"]
    lo, hi = _op_range(str(tok.get("OP", "1")))
    return (tests[0] if len(tests) == 1 else lambda w: all(t(w) for t in tests)), lo, hi


class TokenPatterns:
    """spaCy token patterns (``TEXT``/``ORTH``/``LOWER`` with a string, ``IN``, ``NOT_IN`` or
    ``REGEX``; ``OP`` ``?``, ``*``, ``+`` or ``{n,m}``) matched over a sentence's words, giving
    for each pattern and start only the longest match: the one ``ruler_spans`` keeps of all that
    spaCy's matcher lists.  ``ValueError`` for a pattern it cannot read.

        >>> TokenPatterns([{"label": "A", "id": "x", "pattern": [{"LOWER": "board"}, {"TEXT": {"REGEX": "^[A-Z]"}, "OP": "*"}]}]).longest(
        ...     ["the", "Board", "Of", "Trade", "met"])
        [(1, 4, 'A', 'x')]
    """

    def __init__(self, patterns: list[dict]):
        self.compiled = []
        for pat in patterns:
            if not isinstance(pat.get("pattern"), list) or not pat["pattern"]:
                raise ValueError("not a token pattern")
            self.compiled.append((pat["label"], pat.get("id", ""), [_token_test(t) for t in pat["pattern"]]))

    def longest(self, words: list[str]) -> list[tuple[int, int, str, str]]:
        """``(start, end, label, id)`` of the longest match of each pattern at each start."""
        out = []
        for label, pid, steps in self.compiled:
            first, lo, _ = steps[0]
            starts = range(len(words)) if lo == 0 else [i for i, ok in enumerate(map(first, words)) if ok]
            for start in starts:
                end = _longest_at(steps, words, start)
                if end is not None and end > start:
                    out.append((start, end, label, pid))
        return out


def _longest_at(steps: list, words: list[str], start: int) -> Optional[int]:
    reach = {start}
    for test, lo, hi in steps:
        nxt: set[int] = set()
        for p in reach:
            n = 0
            if lo == 0:
                nxt.add(p)
            while (hi is None or n < hi) and p + n < len(words) and test(words[p + n]):
                n += 1
                if n >= lo:
                    nxt.add(p + n)
        if not nxt:
            return None
        reach = nxt
    return max(reach)


@lru_cache(maxsize=None)
def _naming_matcher() -> Optional[TokenPatterns]:
    try:
        return TokenPatterns(naming_patterns())
    except (ValueError, KeyError, re.error):
        return None
