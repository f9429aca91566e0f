"""Reading one directive clause from its words (EXTRACTION_SPEC.md sections 3 and 5).

A directive is read as a clause: where it starts (after a bullet, a discourse word or a lead-in
phrase such as "Để …," / "To keep …,"), who asks (the bodies before a verb of asking: ``issuer``),
who must act (the bodies right after that verb, or the clause's subject: ``lead``; the bodies
after "phối hợp với" / "in coordination with": ``coordinate``), and the task verb: the first
verb after the acting bodies, never the asking verb, never a syllable inside a word or a name.

Words come from underthesea's segmentation and part-of-speech tags (Vietnamese, through
``vipos``, which gives the same tags faster) and from the
spaCy tokenizer (English); every cue word lives in ``lexicons/<lang>/clauses.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Sequence

from ..lexicons import body_words, clause_words, cues, verb_words
from ..schema import AgencyMention

_BULLET = re.compile(r"\s*(?:[-+•*–—●▪◦]|\d{1,2}(?:\.\d{1,2}){0,3}[.)]|[a-zđ][)]|[IVX]{1,4}[.)]|\((?:\d{1,2}|[a-zđ]|[ivx]{1,4})\))\s*")
_PAREN = re.compile(r"\s*\([^()]{0,80}\)")
_COMMA_OR_COLON = re.compile(r"[,:]\s")
_COMMA = re.compile(r",\s+")
_DIRECT_JOIN = re.compile(r"\s*,\s*|\s+và\s+")
#: a number right after a word: the word names a numbered document ("Kết luận số 49-KL/TW")
_NUMBERED = re.compile(r"\s+(?:số\s+)?\d{1,5}[-/]")
_THAT = re.compile(r"(?:that|rằng)\s", re.IGNORECASE)
_SPACES_COMMAS = re.compile(r"[\s,]+")
_SEMICOLON_OR_COLON = re.compile(r"[;:]")
#: an English participle opening a lead-in phrase: "Implementing Resolution 57, the ministry will …"
_EN_PARTICIPLE = re.compile(r"[A-Z][a-z]{2,}ing(?=\s)")
_PUNCT = re.compile(r"[\s,:–—-]+")
#: how far past the start of the task the verb is looked for (words)
MAX_WORDS = 14


@dataclass
class Token:
    start: int
    end: int
    text: str
    tag: str = ""


@dataclass
class Reading:
    """What a clause says: the task verb and its offset, each agency span's role in it."""

    verb: Optional[str] = None
    verb_start: Optional[int] = None
    roles: dict[tuple[int, int], str] = field(default_factory=dict)


# -- words ---------------------------------------------------------------------------------------


def tokens(text: str, a: int, b: int, lang: str) -> list[Token]:
    """The words of ``text[a:b]`` with absolute offsets (and tags for Vietnamese)."""
    return _split_at_names(_vi_tokens(text, a, b)) if lang == "vi" else _en_tokens(text, a, b)


def _split_at_names(toks: list[Token]) -> list[Token]:
    """A Vietnamese word never runs from a lower-case syllable into a capital one: the tagger's
    "giao Ban" (of "giao Ban Tuyên giáo") is the verb "giao" and the start of a name (tag ``Np``)."""
    out: list[Token] = []
    for t in toks:
        cut = _name_cut(t.text) if " " in t.text and not t.text.islower() else None  # (most words: no test)
        if cut is None:
            out.append(t)
            continue
        syl = t.text.split(" ")
        head = " ".join(syl[:cut])
        out.append(_head_of(t, head))
        out.extend(_split_at_names([Token(t.start + len(head) + 1, t.end, t.text[len(head) + 1 :], "Np")]))
    return out


def _head_of(t: Token, head: str) -> Token:
    """The first words of ``t`` as a token with ``t``'s tag (read when needed: no tagging here)."""
    if isinstance(t, _ViToken):
        return _ViToken(t.start, t.start + len(head), head, t._lazy, t._k)
    return Token(t.start, t.start + len(head), head, t.tag)


def _name_cut(word: str) -> Optional[int]:
    """The first syllable of ``word`` that opens with a capital after a lower-case one, if any."""
    syl = word.split(" ")
    return next((k for k in range(1, len(syl)) if syl[k - 1][:1].islower() and syl[k][:1].isupper()), None)


def _vi_tokens(text: str, a: int, b: int, tagged: bool = True) -> list[Token]:
    """Vietnamese words; their tags (``tag``) are computed for the whole stretch when one is first
    read (most task verbs are found in the cue lexicon before any tag is needed: the tagging step
    is then skipped), and never when ``tagged`` is False (``tag`` empty)."""
    chunk = text[a:b]
    if not chunk.strip():
        return []
    found, lazy = _segmented(text, chunk)
    lazy = lazy if tagged else None
    out, pos = [], 0
    for k, word in enumerate(found):
        at = chunk.find(word, pos)
        if at < 0:
            break
        pos = at + len(word)
        out.append(_ViToken(a + at, a + pos, word, lazy, k) if lazy else Token(a + at, a + pos, word))
    return out


class _Segmented:
    """The stretches of one article segmented so far (its words and their lazy tags, by the
    stretch's text): the readers ask for the same stretch more than once (a cue checked by two
    tests, the speaker's verb read again), and it is segmented once.  Only the article being read
    is kept: a new text starts afresh."""

    text: Optional[str] = None
    done: dict[str, tuple[list[str], "_LazyTags"]] = {}


def _segmented(text: str, chunk: str) -> tuple[list[str], "_LazyTags"]:
    from .vipos import words

    if _Segmented.text is not text:
        _Segmented.text, _Segmented.done = text, {}
    got = _Segmented.done.get(chunk)
    if got is None:
        found = words(chunk)
        got = _Segmented.done[chunk] = (found, _LazyTags(chunk, found))
    return got


class _LazyTags:
    """The tags of one segmented stretch, computed on first use."""

    def __init__(self, chunk: str, found: list[str]):
        self.chunk, self.found, self.tags = chunk, found, None

    def __getitem__(self, k: int) -> str:
        if self.tags is None:
            from .vipos import tags

            self.tags = tags(self.chunk, self.found)
        return self.tags[k]


class _ViToken(Token):
    """A Vietnamese word whose ``tag`` its stretch's ``_LazyTags`` gives when read."""

    def __init__(self, start: int, end: int, text: str, lazy: _LazyTags, k: int):
        self.start, self.end, self.text = start, end, text
        self._lazy, self._k = lazy, k

    @property
    def tag(self) -> str:  # type: ignore[override]
        return self._lazy[self._k]


def _en_tokens(text: str, a: int, b: int) -> list[Token]:
    from ..english import english_pipeline

    doc = english_pipeline().make_doc(text[a:b])
    return [Token(a + t.idx, a + t.idx + len(t.text), t.text) for t in doc]


def _aligned(m: Optional[re.Match], toks: Sequence[Token], i: int) -> int:
    """The index of the first token after a cue match that starts at token ``i`` and ends on a
    token boundary; -1 when there is no such match (a cue never ends inside a word)."""
    if m is None or m.start() != toks[i].start:
        return -1
    for j in range(i, len(toks)):
        if toks[j].end == m.end():
            return j + 1
        if toks[j].end > m.end():
            return -1
    return -1


def _cue_at(key: str, text: str, toks: Sequence[Token], i: int, lang: str, end: int) -> int:
    return _aligned(clause_words(lang).regex(key).match(text, toks[i].start, end), toks, i)


# -- the clause ------------------------------------------------------------------------------------


def _top_level(agencies: list[AgencyMention], s0: int, s1: int) -> list[AgencyMention]:
    """The agencies inside the span, without a name nested in a longer one."""
    inside = [a for a in agencies if s0 <= a.start and a.end <= s1]
    return [a for a in inside if not any(o is not a and o.start <= a.start and a.end <= o.end and (o.end - o.start) > (a.end - a.start) for o in inside)]


def clause_start(text: str, s0: int, s1: int, lang: str) -> int:
    """Where the clause proper begins: after a bullet, discourse words and a lead-in phrase."""
    from .directives import _prefix_regex

    p = s0
    bm = item_mark(text, p, s1, lang)
    if bm:
        p = bm.end()
    pm = _prefix_regex(lang).match(text, p, s1)
    if pm and pm.end() < s1:
        p = pm.end()
    p = _after_time_opener(text, p, s1, lang)
    lm = clause_words(lang).regex("lead_in").match(text, p, s1) or _implementing(text, p, s1, lang)
    if lm:
        for comma in _COMMA_OR_COLON.finditer(text, lm.end(), min(s1, lm.end() + 260)):
            if ";" in text[p : comma.start()] or s1 - comma.end() <= 15:
                break
            if _opens_clause(text, comma.end(), s1, lang) and (_lead_in_ok(text, p, comma.end(), lang) or _lead_in_phrase(text, lm, lang)):
                return comma.end()
    return p


def _after_time_opener(text: str, p: int, s1: int, lang: str) -> int:
    """English: a time phrase opening the clause without a comma ("This year the SBV will …",
    "From now on no commune may …") stands before the subject; the clause proper begins after it."""
    if lang != "en":
        return p
    m = clause_words(lang).compose(r"(?:<<time_openers>>)\s+(?=(?:the\s+)?[A-Z])").match(text, p, s1)
    return m.end() if m else p


_SEMI_BODY = re.compile(r";\s+")
#: how much text each side of the cut needs for the clause after a semicolon to stand alone
_CLAUSE_MIN = 15


def subject_clauses(text: str, spans: Sequence[tuple[int, int]], lang: str, agencies: list[AgencyMention]) -> list[tuple[int, int]]:
    """Vietnamese: a sentence whose clauses each open with their own body ("Sở A rà soát …; Sở B
    hướng dẫn …") holds one directive per clause: it is cut after each semicolon a named body
    follows (with a capital: a list of lower-case nouns after a semicolon stays whole)."""
    if lang == "en":
        return [part for span in spans for part in _en_subject_clauses(text, span, agencies)]
    if lang != "vi":
        return list(spans)
    ends = {a.start: a.end for a in agencies}
    out: list[tuple[int, int]] = []
    for s0, s1 in spans:
        a = s0
        for m in _SEMI_BODY.finditer(text, s0, s1):
            b = m.end()
            if _clause_subject_at(text, b, s1, ends) and m.start() - a >= _CLAUSE_MIN and s1 - ends.get(b, b) >= _CLAUSE_MIN:
                out.append((a, m.start() + 1))
                a = b
        out.append((a, s1))
    return out


def _en_subject_clauses(text: str, span: tuple[int, int], agencies: list[AgencyMention]) -> list[tuple[int, int]]:
    """English: "X is to check …, and Y will direct …" / "…, while Y is asked to …" / "…; Y
    directs …": a second clause whose own subject has its own duty is its own directive."""
    from .agencies import group_mentions

    s0, s1 = span
    groups = group_mentions(text, sorted((a for a in agencies if s0 <= a.start < s1), key=lambda a: a.start))
    firsts = {g[0].start: g for g in groups}
    w = clause_words("en")
    cut = w.compose(r"(?:;|,\s*<<subject_joiners>>)\s+((?:the\s+)?)")
    open_end = w.compose(r"\b<<open_prepositions>>\s*$")
    out, a = [], s0
    for m in cut.finditer(text, s0, s1):
        if m.start() - a < _CLAUSE_MIN or s1 - m.end() < 2 * _CLAUSE_MIN or open_end.search(text, a, m.start()):
            continue  # "X shall take charge of, and Y shall take part in, V-ing …": one shared task
        if _own_duty_after(text, m, firsts.get(m.end()), s1):
            out.append((a, m.start() + 1))
            a = m.start(1)
    out.append((a, s1))
    return out


def _own_duty_after(text: str, m: re.Match, g: Optional[list], s1: int) -> bool:
    """After a cut, a named body with a duty of its own, or (after ";") with a verb of the lexicon
    ("; the ministry directs …")."""
    from .directives import _verb_regex

    if g is None:
        return False
    after = _skip_aside(text, g[-1].end, s1)
    return _passive_after(text, g[-1].end, s1, "en") or (text[m.start()] == ";" and _verb_regex("en").match(text, after, s1) is not None)

def _clause_subject_at(text: str, b: int, s1: int, ends: dict) -> bool:
    """After a semicolon: a named body with a capital, or a proper name the gazetteer does not hold
    (a business, a unit: "Công ty Điện lực Gia Lai"), a capital word and another in its next three."""
    words = text[b : min(s1, b + 60)].split()[:4]
    if not words or not words[0][0].isupper():
        return False
    return b in ends or any(w[0].isupper() for w in words[1:])


def item_mark(text: str, p: int, s1: int, lang: str) -> Optional[re.Match]:
    """A bullet, a number or an interview's speaker tag ("Q:", "A:", "PV:") opening the line."""
    return _BULLET.match(text, p, s1) or _speaker_tag(lang).match(text, p, s1)


@lru_cache(maxsize=None)
def _speaker_tag(lang: str) -> re.Pattern:
    from ..lexicons import trie_regex

    return re.compile(r"\s*(?:" + trie_regex(clause_words(lang).words("speaker_tags")) + r")\s?:\s*")


def _implementing(text: str, p: int, s1: int, lang: str) -> Optional[re.Match]:
    """English: a participle opening a phrase about a numbered document ("Implementing Resolution
    57 of the Politburo, the ministry will …"); a gerund task item ("Developing tourism, …") is not one."""
    pm = _EN_PARTICIPLE.match(text, p, s1) if lang == "en" else None
    if pm is None:
        return None
    return pm if _numbered_doc(lang).match(text, pm.end(), min(s1, pm.end() + 60)) else None


@lru_cache(maxsize=None)
def _numbered_doc(lang: str) -> re.Pattern:
    from ..lexicons import documents, word_alternation

    nouns = word_alternation(documents()["nouns"].get(lang, {}))
    return re.compile(rf"[^,;]{{0,30}}?(?:{nouns})\s(?:No\.\s?)?\d", re.IGNORECASE)


def _opens_clause(text: str, p: int, s1: int, lang: str) -> bool:
    """After a lead-in's comma: a subject (a capital, an addressee word) or an asking verb."""
    if text[p : p + 1].isupper():
        return True
    w = clause_words(lang)
    return any(w.regex(k).match(text, p, s1) for k in ("addressees", "ask", "before_verb"))


def _lead_in_phrase(text: str, lm: re.Match, lang: str) -> bool:
    """The lead-in cue is a phrase longer than the task verb it opens with ("Tiếp thu ý kiến, …",
    "Kết luận cuộc họp, …"): a lead-in though its first word is a task verb."""
    vm = cues(lang).regex("directive", "verbs").match(text, lm.start(), lm.end())
    return vm is not None and lm.end() - vm.end() > 1


def _lead_in_ok(text: str, a: int, b: int, lang: str) -> bool:
    """A lead-in that is itself a task verb ("Thực hiện tốt …, bảo đảm …") is the clause, unless
    it names a document ("Thực hiện Nghị quyết 01, …")."""
    head = text[a:b]
    if not cues(lang).regex("directive", "verbs").match(head) or lang == "en" and head[:3].lower() == "to ":
        return True
    return re.search(r"\d|[A-ZĐ]{2,}|" + _doc_nouns(lang), head) is not None


@lru_cache(maxsize=None)
def _doc_nouns(lang: str) -> str:
    from ..lexicons import documents, word_alternation

    nouns = documents()["nouns"].get(lang) if lang == "vi" else None
    words = [w for w in (nouns or {}) if isinstance(w, str)]
    return word_alternation(words) if words else r"(?!x)x"


def _groups(text: str, ags: list[AgencyMention]) -> list[list[AgencyMention]]:
    from .agencies import group_mentions

    return group_mentions(text, ags)


def _cue_before_verbs(key: str, text: str, body: int, s1: int, lang: str, ags: list[AgencyMention]) -> Optional[re.Match]:
    """The first ``key`` cue of the clause (a verb of asking, of saying): before any task verb,
    outside names, a whole word, not a commitment of the speaker ("sẽ đề nghị", "will ask")."""
    verbs = cues(lang).regex("directive", "verbs")
    future = clause_words(lang).compose(r"<<future>>\s*$")
    for m in clause_words(lang).regex(key).finditer(text, body, min(s1, body + 200)):
        if _inside_any(m.start(), ags) or (lang == "vi" and not _whole_vi_word(text, m, s1, ags)):
            continue
        if noun_cue(text, m, lang) or _adjective_cue(text, m, lang):
            continue  # "functions and tasks of each unit", "perform assigned duties": no one is asked
        before = text[body : m.start()]
        if ";" in before or future.search(before) or any(_verb_before_cue(v, body, ags, lang) for v in verbs.finditer(before)):
            return None
        return m
    return None


def noun_cue(text: str, m: re.Match, lang: str) -> bool:
    """English: a one-word cue used as a noun, before "of" or a verb of being ("the remaining tasks
    of the quarter are heavy", "functions and tasks of each unit"): no one is asked anything."""
    if lang != "en" or " " in m.group(0):
        return False
    return _NOUN_NEXT.match(text, m.end()) is not None or _listed_duty_noun(text, m, lang)


def _listed_duty_noun(text: str, m: re.Match, lang: str) -> bool:
    """"duties and tasks with …": a noun of duty joined to another one by "and", "or", "of"."""
    prev = re.search(r"(\w+)\s+$", text[max(0, m.start() - 30) : m.start()])
    if not clause_words(lang).regex("duty_things").fullmatch(m.group(0)) or prev is None:
        return False
    return prev.group(1).lower() in ("and", "or", "of")


def _adjective_cue(text: str, m: re.Match, lang: str) -> bool:
    """English: a participle cue before a noun of duty it describes ("perform assigned duties and
    tasks"), not before the body it asks ("instructed hospitals to …")."""
    if lang != "en" or " " in m.group(0) or not m.group(0).endswith("ed"):
        return False
    return clause_words(lang).compose(r"\s+<<duty_things>>\b").match(text, m.end()) is not None


#: after a plural cue used as a noun: "of …" or a verb of being
_NOUN_NEXT = re.compile(r"\s+(?:of|are|were|is|was|remain|remains)\b", re.IGNORECASE)

def _verb_before_cue(v: re.Match, body: int, ags: list[AgencyMention], lang: str) -> bool:
    """A task verb before the cue, outside names; in Vietnamese not a capital word inside the clause,
    which belongs to a title ("Phó Tổng Thanh tra yêu cầu …")."""
    if _inside_any(body + v.start(), ags):
        return False
    return not (lang == "vi" and v.start() > 0 and v.group(0)[:1].isupper())


def _inside_any(pos: int, ags: list[AgencyMention]) -> bool:
    return any(a.start <= pos < a.end for a in ags)


def _whole_vi_word(text: str, m: re.Match, s1: int, ags: Sequence[AgencyMention] = ()) -> bool:
    """The cue is a word of its own: aligned with the words from it (or right before a body's name
    that the segmenter glued it to: "giao ban thường vụ …" read as "giao ban"), and not the last
    syllable of a lower-case word before it ("giao" of "bàn giao")."""
    toks = _vi_words(text, m.start(), min(s1, m.end() + 20))
    named = any(a.start == m.end() + 1 for a in ags)
    if not toks or (_aligned(m, toks, 0) <= 0 and not named):
        return False
    q = text.rfind(" ", max(0, m.start() - 12), max(0, m.start() - 1)) + 1
    if not (0 < q < m.start() and re.fullmatch(r"[^\W\d_]+ ", text[q : m.start()]) and text[q].islower()):
        return True
    return not any(t.start < m.start() < t.end for t in _vi_words(text, q, min(s1, m.end() + 20)))


def _vi_words(text: str, a: int, b: int) -> list[Token]:
    """Vietnamese words without tags (segmenting alone costs about half as much as tagging)."""
    return _split_at_names(_vi_tokens(text, a, b, tagged=False))


def _addressee_gap(text: str, a: int, b: int, lang: str) -> bool:
    gap = text[a:b]
    rest = clause_words(lang).regex("addressees").sub(" ", gap)
    if lang == "en":  # "called on the new Party Committee": an adjective or two
        rest = re.sub(r"^[\s,]*(?:[a-z][a-z-]*\s+){0,2}", " ", rest)
    return len(gap) < 90 and re.fullmatch(r"[\s,;()&]*(?:that\s*|rằng\s*|cho\s*)?[\s,;()&]*", rest, re.IGNORECASE) is not None


def read_clause(text: str, s0: int, s1: int, lang: str, agencies: list[AgencyMention], others: Sequence = ()) -> Reading:
    """The reading of the directive ``text[s0:s1]`` given the agency mentions found in it;
    ``others`` are mentions the verb is never read from (dates, document references)."""
    ags = _top_level(agencies, s0, s1)
    body = clause_start(text, s0, s1, lang)
    groups = _owned_bodies(text, _split_groups(_groups(text, ags), body), lang)
    said = _cue_before_verbs("say", text, body, s1, lang, ags)
    if said is not None and (_passive_cue(text, said, s1, lang) is not None or _attribution(text, said, s1)):
        said = None  # "was told to …" is an order, not speech; "…, the minister said." closes the clause
    speaker: list = []
    if said is not None:  # "Bí thư nhấn mạnh, thành phố phải …": the clause is what was said
        speaker = [g for g in groups if body <= g[0].start < said.start()]
        body = _skip_that(text, clause_start(text, _skip_aside(text, said.end(), s1), s1, lang), s1)
        groups = _split_groups(groups, body)
    roles = {(a.start, a.end): ("issuer" if a.role == "issuer" else "mentioned") for a in ags}
    task_at = _assign_actors(text, body, s1, lang, groups, ags, roles)
    _second_subjects(text, body, s1, lang, groups, ags, roles)
    _passive_agents(text, body, lang, groups, roles)
    if speaker and clause_words(lang).regex("pronouns").match(text, body, s1):
        _set(roles, speaker[-1], "lead")  # "the Department said it would submit …": the speaker acts
    _mark_coordinates(text, s0, groups, lang, roles)
    blocked = ags + [m for m in others if s0 <= m.start < s1]
    verb, vs = _task(text, task_at, s1, lang, groups, roles, blocked)
    _vi_actors(text, (s0, body), vs, lang, groups, speaker, roles)
    return Reading(verb, vs, roles)


def _owned_bodies(text: str, groups: list, lang: str) -> list:
    """English: in "the SBV's Inspection and Supervision Agency" the body that acts is the unit the
    possessor owns; the possessor is only named (it keeps its role ``mentioned``)."""
    if lang != "en":
        return groups
    return [g for g, nxt in zip(groups, [*groups[1:], None]) if nxt is None or _POSSESSIVE.fullmatch(text, g[-1].end, nxt[0].start) is None]


_POSSESSIVE = re.compile(r"['’]s\s+")


def _task(text: str, task_at: int, s1: int, lang: str, groups: list, roles: dict, blocked: list) -> tuple[Optional[str], Optional[int]]:
    """The task verb read from ``task_at``, and what a directing or recommending verb changes."""
    verb, vs = task_verb_at(text, task_at, s1, lang, blocked)
    if verb is None or vs is None:
        return verb, vs
    w = clause_words(lang)
    if lang == "vi" and w.regex("direct").fullmatch(verb):
        return _directed(text, task_at, vs, s1, lang, groups, roles, blocked)
    if lang == "vi" and w.regex("recommend").fullmatch(verb):
        return _recommended(text, task_at, vs, s1, groups, roles, blocked)
    return _after_verb(text, verb, vs, s1, lang, groups, roles)


def _recommended(text: str, task_at: int, vs: int, s1: int, groups: list, roles: dict, blocked: list) -> tuple[Optional[str], Optional[int]]:
    """"X kiến nghị Y xem xét …": a recommendation to a body, whose task is the verb after it; X
    recommends (issuer), Y is only named.  With no body after it, or asked of X ("đề nghị X kiến nghị
    …"), the recommending is the task."""
    m = clause_words("vi").regex("recommend").match(text, vs, s1)
    titles = {t.lower() for t in cues("vi").words("roles", "person_titles")}
    after = [g for g in groups if g[0].start >= m.end() and text[m.end() : g[0].start].strip().lower() in titles | {""}]
    asked = clause_words("vi").regex("ask").search(text, text.rfind(".", 0, vs) + 1, vs)  # "đề nghị UBND tỉnh kiến nghị …"
    if not after or asked is not None:
        return text[vs : m.end()].lower(), vs
    for g in groups:
        if g[-1].end <= vs and roles.get((g[0].start, g[0].end)) == "lead":
            _set(roles, g, "issuer")
    return task_verb_at(text, after[0][-1].end, s1, "vi", blocked)


def _vi_actors(text: str, span: tuple[int, int], vs: Optional[int], lang: str, groups: list, speaker: list, roles: dict) -> None:
    """Vietnamese: a speaker with no subject after its verb acts ("UNDP cam kết huy động …"); so does
    the body a recommendation is addressed to ("Đối với UBND tỉnh: chỉ đạo …")."""
    if lang != "vi" or vs is None:
        return
    s0, body = span
    if speaker and _bare_task(text, body, vs, "vi"):
        _set(roles, speaker[-1], "lead")
    colon = text.find(":", s0, vs)
    topic = clause_words("vi").regex("topic_addressee").search(text, s0, colon) if colon > 0 else None
    if topic is not None and not text[s0 : topic.start()].strip(" -+•*–\n\t.)(0123456789abcdđ"):
        for g in groups:
            if topic.end() <= g[0].start and g[-1].end <= colon:
                _set(roles, g, "lead")


def _bare_task(text: str, body: int, vs: int, lang: str) -> bool:
    """Only words of manner ("sẽ", "tiếp tục") stand between the speaker's verb and the task."""
    gap = text[body:vs].strip()
    return not gap or re.fullmatch(rf"(?:(?:{clause_words(lang).regex('before_verb').pattern})[\s,]*)+", gap, re.IGNORECASE) is not None


def _after_verb(text: str, verb: str, vs: int, s1: int, lang: str, groups: list, roles: dict) -> tuple[str, int]:
    """What the task verb changes: the bodies a directing verb names lead ("… to direct the Khanh
    Hoa People's Committee to …"); in English a noun of action may be the task."""
    if clause_words(lang).regex("leading_asks").fullmatch(verb):
        _addressed(text, vs + len(verb), groups, lang, roles)
    return _nominal_task(text, verb, vs, s1) if lang == "en" else (verb, vs)


def _attribution(text: str, said: re.Match, s1: int) -> bool:
    """A speaker's verb after the clause it reports: "…, the minister said." / "…, said Mr Hung."."""
    before = text[max(0, said.start() - 90) : said.start()]
    return "," in before and re.fullmatch(r"[^,;:]{0,60}", text[said.end() : s1].rstrip(" .!?\"”'’")) is not None


def _second_subjects(text: str, body: int, s1: int, lang: str, groups: list, ags: list, roles: dict) -> None:
    """A second clause with its own duty leads too: "The ministry must …, while the Government
    Inspectorate will focus on …" (``clause_joiners`` in clauses.yaml)."""
    for m in clause_words(lang).regex("clause_joiners").finditer(text, body, s1):
        if _inside_any(m.start(), ags):
            continue
        sub = next((g for g in groups if g[0].start >= m.end() and _subject_gap(text, m.end(), g[0].start, lang)), None)
        if sub is not None and _passive_after(text, sub[-1].end, s1, lang):
            _set(roles, sub, "lead")


def _passive_agents(text: str, body: int, lang: str, groups: list, roles: dict) -> None:
    """English: with no body leading, the agent of a passive task leads ("the design must be
    reviewed by the Ministry of Construction", "records are to be catalogued by the centre")."""
    if lang != "en" or "lead" in roles.values():
        return
    by = clause_words(lang).compose(r"\bbe\s+(?:[a-z]+ly\s+)?[a-z]+\s+<<passive_agent>>\s+(?:the\s+)?$")
    for g in groups:
        if g[0].start > body and by.search(text[max(body, g[0].start - 60) : g[0].start]):
            _set(roles, g, "lead")
            return


_NOMINAL = re.compile(r"\s+(?:[a-z-]+\s+)?([a-z]+(?:tion|ment|ance|ence))\b")


def _nominal_task(text: str, verb: str, vs: int, s1: int) -> tuple[str, int]:
    """English: an adjective read as the verb before a noun of action ("called for stronger
    inspection", "required the strict implementation of …"): the noun is the task."""
    asked = clause_words("en").compose(r"<<ask>>\s+(?:(?:the|a|an)\s+)?$")
    if verb.endswith(("ing", "ed")) or not asked.search(text, max(0, vs - 40), vs):
        return verb, vs  # only right after the asking verb: "called for | stronger inspection"
    m = _NOMINAL.match(text, vs + len(verb), s1)
    return (m.group(1).lower(), m.start(1)) if m else (verb, vs)


def _split_groups(groups: list, at: int) -> list:
    """A list of names never runs over the start of the clause ("Implementing Resolution 57 of
    the Politburo, | the Ministry of Finance will …")."""
    out = []
    for g in groups:
        head, tail = [a for a in g if a.start < at], [a for a in g if a.start >= at]
        out.extend(part for part in (head, tail) if part)
    return out


def _directed(text: str, task_at: int, vs: int, s1: int, lang: str, groups: list, roles: dict, blocked: list) -> tuple[Optional[str], Optional[int]]:
    """"X chỉ đạo Y …", "X lãnh đạo Y chỉ đạo Z …": the bodies X directs act with it and lead; the
    directing verb is the task.  Reported as done ("X đã chỉ đạo Y tổ chức …"), or when Y is to
    preside ("X chỉ đạo Y chủ trì, phối hợp …"), it is Y's order: X gave it (issuer) and the task is
    Y's verb."""
    m = clause_words(lang).regex("direct").match(text, vs, s1)
    p = m.end()
    joined = _DIRECT_JOIN.match(text, p, s1)
    again = clause_words(lang).regex("direct").match(text, joined.end(), s1) if joined else None
    if again is not None:  # "lãnh đạo, chỉ đạo UBND tỉnh …": one direction, said twice
        p = again.end()
    while True:
        after = _addressed(text, p, groups, lang, roles)
        nxt = clause_words(lang).regex("direct").match(text, _skip_aside(text, after, s1), s1) if after > p else None
        if nxt is None:
            break
        p = nxt.end()
    if after == m.end() or not (_reported(text, task_at, vs, lang) or _presides_at(text, after, s1, lang)):
        return text[vs : m.end()].lower(), vs
    for g in groups:
        if task_at > g[-1].start and roles.get((g[0].start, g[0].end)) == "lead":
            _set(roles, g, "issuer")
    return task_verb_at(text, after, s1, lang, blocked)


def _presides_at(text: str, p: int, s1: int, lang: str) -> bool:
    """The bodies directed preside over the task ("… chỉ đạo Sở Y tế chủ trì, phối hợp …")."""
    return clause_words(lang).regex("preside").match(text, p + len(text[p:s1]) - len(text[p:s1].lstrip()), s1) is not None


def _reported(text: str, a: int, b: int, lang: str) -> bool:
    """A past marker between the subject and the verb ("đã", "has")."""
    return clause_words(lang).regex("past").search(text, a, b) is not None


def _skip_that(text: str, p: int, s1: int) -> int:
    m = _THAT.match(text, p, s1)
    return m.end() if m else p


def _set(roles: dict, group: list[AgencyMention], role: str) -> None:
    for a in group:
        roles[(a.start, a.end)] = role


def _assign_actors(text: str, body: int, s1: int, lang: str, groups: list, ags: list, roles: dict) -> int:
    """Sets lead and issuer roles; returns where the task begins."""
    resting = _resting_duty(text, body, s1, groups, lang, roles) or _self_request(text, body, s1, lang)
    if resting is not None:
        return resting
    subj = next((g for g in groups if body <= g[0].start and _subject_gap(text, body, g[0].start, lang)), None)
    if subj is not None and _passive_after(text, subj[-1].end, s1, lang):
        _set(roles, subj, "lead")
        return subj[-1].end
    proposal = _cue_before_verbs("proposes_that", text, body, s1, lang, ags) if lang == "en" else None
    if proposal is not None:
        return _proposed(text, body, proposal, groups, lang, roles)
    ask = _cue_before_verbs("ask", text, body, s1, lang, ags)
    if ask is not None:
        return _asked(text, body, s1, ask, groups, lang, roles)
    promised = _promised_ask(text, body, s1, lang, ags)
    if promised is not None:  # "The city will ask the ministry to …": the ministry leads
        _addressed(text, promised.end(), groups, lang, roles)
    if subj is not None:
        _set(roles, subj, "lead")
        return subj[-1].end
    return body


def _resting_duty(text: str, body: int, s1: int, groups: list, lang: str, roles: dict) -> Optional[int]:
    """"Responsibility for checking the lists lies with X": a duty named as a noun that opens the
    clause, then the body it rests with.  X leads; returns where the task (the -ing word) begins."""
    w = clause_words(lang)
    m = w.compose(r"<<duty_nouns>>\s+(?=\w+ing\b)").match(text, body, s1) if lang == "en" else None
    rest = w.regex("rests_with").search(text, m.end(), s1) if m else None
    if m is None or rest is None:
        return None
    _addressed(text, rest.end(), groups, lang, roles)
    return m.end()


def _self_request(text: str, body: int, s1: int, lang: str) -> Optional[int]:
    """English: "The city will ask the Government to let it issue bonds": the subject asks for
    itself; the asking is the task and the body asked only grants it (its role stays mentioned).
    Returns where the asking verb starts."""
    w = clause_words(lang)
    grant = w.regex("grant_self").search(text, body, s1) if lang == "en" else None
    if grant is None:
        return None
    asks = [*w.regex("ask").finditer(text, body, grant.start()), *w.regex("proposes_that").finditer(text, body, grant.start())]
    return max(m.start() for m in asks) if asks else None


def _asked(text: str, body: int, s1: int, ask: re.Match, groups: list, lang: str, roles: dict) -> int:
    """Roles around a verb of asking; returns where the task begins.  "X and Y are tasked with …":
    every body before leads.  "X asked Y to …": X issues, Y leads.  "X directs Y to …": directing is
    X's own task (a ``leading_asks`` word), both lead and the verb is "directs"."""
    passive = _passive_cue(text, ask, s1, lang)
    before = [g for g in groups if body <= g[0].start < ask.start()]
    if passive is not None:
        for g in before:
            _set(roles, g, "lead")
        return passive.end()
    directing = clause_words(lang).regex("leading_asks").fullmatch(ask.group(0)) is not None
    leads = before and directing
    joined = _joined_ask(text, body, ask, lang) if before else None
    for g in before:
        _set(roles, g, "lead" if leads or joined is not None else "issuer")
    if joined is not None:  # "X monitors and urges the work": X does both, the first verb is the task
        return joined
    task = _addressed(text, ask.end(), groups, lang, roles)
    opens = directing and not text[body : ask.start()].strip()  # "Direct the police to …": an item's own task
    return ask.start() if leads or opens else task


def _joined_ask(text: str, body: int, ask: re.Match, lang: str) -> Optional[int]:
    """English: where a verb joined to the asking verb by "and" starts ("monitors and urges the
    implementation"), when no body is asked to do anything ("urges" is then the subject's own duty)."""
    if lang != "en":
        return None
    m = re.search(r"([a-z]+)\s+and\s+$", text[max(body, ask.start() - 30) : ask.start()])
    after = text[ask.end() : ask.end() + 80]
    if m is None or re.match(r"\s*(?:the\s+)?[A-Z]", after) or re.search(r"\bto\s+(?!(?:the|a|an|its|their|all)\b)[a-z]", after):
        return None
    return ask.start() - len(m.group(0))


def _proposed(text: str, body: int, proposal: re.Match, groups: list, lang: str, roles: dict) -> int:
    """"X proposed that Y allow …": a proposal, not an order.  X issues it, Y is only mentioned;
    the task begins after Y."""
    for g in groups:
        if body <= g[0].start < proposal.start():
            _set(roles, g, "issuer")
    asked: dict = {}
    task = _addressed(text, proposal.end(), groups, lang, asked)
    roles.update({k: "mentioned" for k in asked})
    return task


def _addressed(text: str, p: int, groups: list, lang: str, roles: dict) -> int:
    """The bodies right after a verb of asking lead, each list of them up to the task ("đề nghị
    Ủy ban MTTQ tỉnh, Thủ trưởng các sở, Chủ tịch UBND các huyện triển khai …"); returns where
    their task begins."""
    task = None
    for g in groups:
        if g[0].start < p:
            continue
        if not (_addressee_gap(text, p, g[0].start, lang) or _name_head_gap(text, p, g[0].start, lang)):
            break
        _set(roles, g, "lead")
        if task is None and _directing_gap(text, p, g[0].start, lang):
            task = p  # "asked the city to direct the Department of Finance to …": directing is the task
        p = g[-1].end
    return p if task is None else task


def _directing_gap(text: str, a: int, b: int, lang: str) -> bool:
    """English: "to direct" between two asked bodies: the first must direct the second."""
    return lang == "en" and clause_words(lang).compose(r"[\s,]*to\s+<<leading_asks>>\b").match(text, a, b) is not None


def _name_head_gap(text: str, a: int, b: int, lang: str) -> bool:
    """English: capitalized words the name left out before it ("asked the Provincial | Ethnic
    Committee", "the Southeast | Nghe An Economic Zone Management Board")."""
    return lang == "en" and re.fullmatch(r"\s*(?:the\s+)?(?:[A-Z][\w'’-]*\s+){1,3}", text[a:b]) is not None


def _subject_gap(text: str, a: int, b: int, lang: str) -> bool:
    """Before the subject: addressee words and, in English, the capitalized words of a name the
    gazetteer cut short ("Hoi An City People's Committee")."""
    if _addressee_gap(text, a, b, lang):
        return True
    return lang == "en" and re.fullmatch(r"(?:the\s)?(?:(?:[A-Z][\w'’-]*|and|of)\s){1,5}", text[a:b]) is not None


def _passive_cue(text: str, ask: re.Match, s1: int, lang: str) -> Optional[re.Match]:
    """The duty phrase an asking verb belongs to ("are tasked with", "được giao"), if any."""
    for m in clause_words(lang).regex("assigned").finditer(text, max(0, ask.start() - 12), min(s1, ask.end() + 8)):
        if m.start() <= ask.start() and m.end() >= ask.end():
            return m
    return None


def _promised_ask(text: str, body: int, s1: int, lang: str, ags: list) -> Optional[re.Match]:
    w = clause_words(lang)
    future = w.compose(r"<<future>>\s*$")
    for m in w.regex("ask").finditer(text, body, min(s1, body + 200)):
        if not _inside_any(m.start(), ags) and future.search(text[max(body, m.start() - 20) : m.start()]):
            return m
    return None


def _passive_after(text: str, p: int, s1: int, lang: str) -> bool:
    """"X is assigned to …", "X được giao …", "X must …" right after the subject."""
    w = clause_words(lang)
    p = _skip_aside(text, p, s1)
    while w.regex("assigned").match(text, p, s1) is None:
        m = w.regex("before_verb").match(text, p, s1)
        if not m or m.end() == p:
            return False
        p = _skip_aside(text, m.end(), s1)
    return True


def _skip_aside(text: str, p: int, s1: int) -> int:
    while True:
        m = _PAREN.match(text, p, s1) or _SPACES_COMMAS.match(text, p, s1)
        if not m or m.end() == p:
            return p
        p = m.end()


def _mark_coordinates(text: str, s0: int, groups: list, lang: str, roles: dict) -> None:
    tail = clause_words(lang).compose(r"(?i:<<coordinate>>)[\s,]*(?:(?:the|of|các|[A-ZĐ][\w'’&-]*)\s+){0,6}$", 0)
    rec = clause_words(lang).compose(r"<<recipient>>[\s,]*(?:the\s|các\s)?$")
    prev, prev_role = s0, None
    for g in groups:
        if prev_role is not None and _abbreviation(text, prev, g):
            _set(roles, g, prev_role)  # "the Department of Planning and Investment (DPI)": one body, one role
            prev = g[-1].end + 1
            continue
        before = text[max(prev, g[0].start - 60) : g[0].start]
        if tail.search(before) or (prev_role == "coordinate" and _list_gap(text[prev : g[0].start], lang)) or _coordinated(text, prev, g[0].start, lang):
            _set(roles, g, "coordinate")
        elif rec.search(before) and roles.get((g[0].start, g[0].end)) == "lead":
            _set(roles, g, "mentioned")
        prev, prev_role = g[-1].end, roles.get((g[0].start, g[0].end))


def _coordinated(text: str, prev: int, g0: int, lang: str) -> bool:
    """Vietnamese: a body after a coordinate cue and collectives of the same list ("phối hợp với
    các sở, ngành và UBND các xã", "phối hợp các Sở, ngành tỉnh, UBND các huyện") coordinates."""
    if lang != "vi":
        return False
    cue = None
    for cue in clause_words(lang).regex("coordinate").finditer(text, max(prev, g0 - 90), g0):
        pass
    return cue is not None and cue.end() < g0 and _list_gap(text[cue.end() : g0], lang)


def _abbreviation(text: str, prev: int, g: list) -> bool:
    """A name in brackets right after the previous one: its abbreviation ("… Environment (DONRE)")."""
    return re.fullmatch(r"\s*\(\s*", text[prev : g[0].start]) is not None and text[g[-1].end : g[-1].end + 1] == ")"


def _list_gap(gap: str, lang: str) -> bool:
    """The words between two names of one list ("… and the Da Nang Hi-Tech Park and …", "…
    Investment (DPI), the provincial Police"): joiners, capitals, an abbreviation, level words."""
    from ..lexicons import name_words

    gap0 = _ABBR.sub(" ", name_words(lang).regex("level_words").sub(" ", gap))
    rest = re.sub(r"(?<!\w)(?:and|the|of|và|các)(?!\w)|[A-ZĐ][\w'’&-]*", " ", clause_words(lang).regex("addressees").sub(" ", gap0))
    return len(gap) < 80 and re.fullmatch(r"[\s,]*", rest) is not None


_ABBR = re.compile(r"\([^()]{1,30}\)")


# -- the task verb ---------------------------------------------------------------------------------


def task_verb_at(text: str, p: int, s1: int, lang: str, ags: list[AgencyMention]) -> tuple[Optional[str], Optional[int]]:
    """The first task verb at or after ``p``: acting bodies, addressees, modal and adverb words and a
    coordinating aside ("phối hợp với Y", "in coordination with Y") are passed over."""
    verb, at = _first_task_verb(text, p, s1, lang, ags)
    if lang == "vi" and at is not None and verb in clause_words("vi").words("coordinate"):
        return _joint_task(text, at, s1, ags) or (verb, at)
    return verb, at


def _joint_task(text: str, at: int, s1: int, ags: list[AgencyMention]) -> Optional[tuple[str, int]]:
    """Vietnamese: "phối hợp" right before a verb ("phối hợp bảo đảm …") only says the task is
    shared; the verb after it, tagged in its context, is the task."""
    toks = tokens(text, at, min(s1, at + 40), "vi")
    if len(toks) < 2 or _inside_any(toks[1].start, ags) or toks[1].tag != "V":
        return None
    return toks[1].text.lower(), toks[1].start


def _first_task_verb(text: str, p: int, s1: int, lang: str, ags: list[AgencyMention]) -> tuple[Optional[str], Optional[int]]:
    if lang == "en":
        p = _past_modal(text, p, s1, ags)
        duty = _duty_as_verb(text, p, s1) or _that_passive(text, p, s1)
        if duty is not None:
            return duty
    if lang == "vi":
        p = _subject_duty(text, p, s1)
    end = min(s1, p + 400)
    if lang == "vi":
        # Tagging is most of the Vietnamese cost: read a first stretch, and a longer one only when
        # the verb is not found well inside it (the scan stops within a few words, far from the cut).
        for first, margin in _VI_STRETCHES:
            found = _vi_stretch(text, p, end, first, margin, ags)
            if found is not None:
                return found
    return _scan(text, tokens(text, p, end, lang), s1, lang, ags)


def _subject_duty(text: str, p: int, s1: int) -> int:
    """Vietnamese: a clause that opens with a collective subject and its qualifiers ("Các xã có tỷ lệ
    … dưới 50% phải …", "Tổ chức, cá nhân nào vi phạm sẽ bị …") or with a nominalized action ("Việc
    giải tỏa phải …") has its task after the word of duty or sanction; a verb inside the subject is
    not the task.  Else ``p``."""
    w = clause_words("vi")
    start = p + len(text[p:s1]) - len(text[p:s1].lstrip())
    nominal = w.regex("nominal_subject").match(text, start, s1) is not None  # "Việc giải tỏa … phải …"
    if not nominal and w.regex("addressees").match(text, start, s1) is None:
        return p
    m = w.compose(r"(?<!\w)<<duty_after_subject>>\s").search(text, start, min(s1, start + 100))
    if m is None or _SEMICOLON_OR_COLON.search(text, start, m.start()):
        return p
    if not nominal and not w.regex("subject_qualifiers").search(text, start, m.start()):
        return p
    # a comma only inside the subject's list ("Tổ chức, cá nhân"), not before a clause ("…, nếu …")
    if any(w.regex("addressees").match(text, c.end(), m.start()) is None for c in _COMMA.finditer(text, start, m.start())):
        return p
    return m.end()


def _vi_stretch(text: str, p: int, end: int, first: int, margin: int, ags: list[AgencyMention]) -> Optional[tuple[str, int]]:
    """The verb read in the first ``first`` characters after ``p``, when it lies more than
    ``margin`` characters before the cut; None otherwise."""
    if end - p <= first:
        return None
    cut = text.rfind(" ", p, p + first)
    verb, at = _scan(text, tokens(text, p, cut, "vi"), cut, "vi", ags) if cut > p else (None, None)
    return (verb, at) if verb is not None and at is not None and at < cut - margin else None


#: (characters, margin): the stretches tagged first when looking for a Vietnamese task verb
_VI_STRETCHES = ((60, 25), (90, 30))


def _past_modal(text: str, p: int, s1: int, ags: list) -> int:
    """English: past the first "to", modal or duty phrase ("must", "is assigned to") of the clause
    when only names and nouns stand before it ("He asked the tax sector to strive"); never past
    the verb right after a "to" or a modal already read ("are required to channel credit")."""
    before = text[max(0, p - 20) : p].split()
    if before and before[-1].lower() in _modal_tails():
        return p
    end = min(s1, p + 160)
    stop = _SEMICOLON_OR_COLON.search(text, p, end)
    end = stop.start() if stop else end
    modal = clause_words("en").compose(r"<<assigned>>|(?<!\w)to(?!\w)")
    for m in modal.finditer(text, p, end):
        if _inside_any(m.start(), ags):
            continue
        gap = text[p : m.start()]
        lead = len(gap) - len(gap.lstrip())
        if any(v.start() == lead or _finite_in_gap(v, p, ags) for v in _en_verb_regex().finditer(gap)):
            return p
        return m.end()
    return p


def _finite_in_gap(v: re.Match, p: int, ags: list) -> bool:
    """A verb inside the words before a modal, which is then not the subject: not in a name, not
    capitalized ("Water Supply Company"), not a participle after a noun ("Localities applying …")."""
    from .directives import _is_past_form

    w = v.group(0)
    noun = re.search(r"(?<!\w)(?:the|a|an|this|that|its|their|[a-z]+ing)\s+$", v.string[max(0, v.start() - 12) : v.start()], re.IGNORECASE)
    if not w.endswith("s") and _HEAD_NOUN_NEXT.fullmatch(v.string, v.end()):
        return False  # "the water supply companies must …": a base form before a plural noun modifies it
    return not _inside_any(p + v.start(), ags) and w[:1].islower() and not w.endswith("ing") and not _is_past_form(w) and noun is None


#: one plural noun and nothing else before the modal, after the word in the gap
_HEAD_NOUN_NEXT = re.compile(r"\s+[a-z]{3,}s\s*")


@lru_cache(maxsize=None)
def _modal_tails() -> frozenset:
    """The last word of a duty phrase or of the infinitive marker ("is assigned to", "must")."""
    return frozenset(w.split()[-1].lower() for w in [*clause_words("en").words("assigned"), *verb_words("en").words("infinitive")])


@lru_cache(maxsize=None)
def _en_verb_regex() -> re.Pattern:
    from .directives import _verb_regex

    return _verb_regex("en")


def _scan(text: str, toks: list[Token], s1: int, lang: str, ags: list[AgencyMention]) -> tuple[Optional[str], Optional[int]]:
    i, seen, phrase = 0, 0, False
    first: Optional[Token] = None
    while i < len(toks) and seen < MAX_WORDS:
        if _no_verb_near(lang, seen, first):
            return first.text.lower(), first.start  # type: ignore[union-attr]  # the first content word
        nxt = _passed(text, toks, i, s1, lang, ags)
        if nxt > i:
            i = nxt
            continue
        t = toks[i]
        noun = _after_determiner(text, toks, i, lang, s1)
        phrase = noun or (phrase and t.tag != "V")  # "các tổ chức chính trị - xã hội": a noun phrase
        seen += not phrase
        found = None if noun else _verb_here(text, toks, i, s1, lang)
        if found is not None:
            return _listed_next(text, toks, i, s1, lang) or found
        if first is None and not phrase and _content_word(t):  # (after the cue lexicon: a tag is read only when needed)
            first = t
        i += 1
    return None, None


def _no_verb_near(lang: str, seen: int, first: Optional[Token]) -> bool:
    """Vietnamese: three content words and no verb tag: the first content word is the verb."""
    return lang == "vi" and seen >= 3 and first is not None


def _passed(text: str, toks: list[Token], i: int, s1: int, lang: str, ags: list[AgencyMention]) -> int:
    """The index after what token ``i`` starts that is not the verb (a cue, a mark, a name), or ``i``."""
    nxt = _skip(text, toks, i, s1, lang, ags)
    return max(nxt, i + 1) if nxt > i or _in_name(toks, i, lang) else i


def _content_word(t: Token) -> bool:
    return t.text[:1].islower() and t.text.replace(" ", "").isalpha() and not _not_task_word(t.text, "vi") and t.tag != "M"  # not "hai" (two)


def _not_task_word(word: str, lang: str) -> bool:
    """A noun of time, of papers or of people that is never the task ("biên bản", "tháng")."""
    return clause_words(lang).regex("not_task_words").fullmatch(word) is not None


def _after_determiner(text: str, toks: list[Token], i: int, lang: str, s1: int) -> bool:
    """A word right after a determiner is a noun ("các tổ chức chính trị - xã hội"), not after a
    quantifier floated behind a modal ("must each identify", "shall all report")."""
    if lang == "en" and _floated(text, toks, i):
        return False
    return i > 0 and _cue_at("determiners", text, toks, i - 1, lang, s1) == i


def _floated(text: str, toks: list[Token], i: int) -> bool:
    """English: token ``i`` follows a modal and a quantifier ("must each identify")."""
    if i < 1 or toks[i - 1].text.lower() not in ("each", "all", "both"):
        return False
    before = text[max(0, toks[i - 1].start - 12) : toks[i - 1].start].split()
    return bool(before) and before[-1].lower() in _modal_tails() - {"to", "of", "for", "with"}


def _listed_next(text: str, toks: list[Token], i: int, s1: int, lang: str) -> Optional[tuple[str, int]]:
    """Vietnamese: a verb only the tagger saw, right before a listed one, is still the subject's
    noun ("ngành du lịch phấn đấu …"): the listed verb is the task."""
    if lang != "vi" or i + 1 >= len(toks) or _cue_verb(text, toks, i, s1, lang) is not None:
        return None
    return _cue_verb(text, toks, i + 1, s1, lang)


def _in_name(toks: list[Token], i: int, lang: str) -> bool:
    """A capital inside a Vietnamese clause belongs to a name ("Ban Quản lý dự án …"); not the
    capital that opens an item after its mark ("- Chuyển hồ sơ …", "c) Kiểm điểm …")."""
    return lang == "vi" and toks[i].text[:1].isupper() and not _opens_item(toks, i)


def _opens_item(toks: list[Token], i: int) -> bool:
    """Token ``i`` is the first word of the clause or of its item, after a mark at most."""
    return _ITEM_HEAD.fullmatch("".join(t.text for t in toks[:i])) is not None


def _item_verb(toks: list[Token], i: int) -> bool:
    """A capital that opens an item before a lower-case object ("- Chuyển hồ sơ …", "c) Kiểm điểm
    trách nhiệm …"), not the head of a body's name ("+ Hội đồng nghĩa vụ quân sự …")."""
    if not _opens_item(toks, i) or i + 1 >= len(toks) or _body_head(toks[i].text) or _title(toks, i):
        return False
    return toks[i + 1].text[:1].islower() or _body_head(toks[i + 1].text)  # "+ Đưa Trung tâm dữ liệu …"


def _title(toks: list[Token], i: int) -> bool:
    """A person's title opens the item ("Chánh Văn phòng UBND tỉnh …")."""
    titles = cues("vi").words("roles", "person_titles")
    two = f"{toks[i].text} {toks[i + 1].text}"
    return any(two == w or two.startswith(w + " ") or toks[i].text == w for w in titles)


def _body_head(word: str) -> bool:
    """The word opens a body's name ("Hội đồng", "Trung tâm …"), as written."""
    return any(word == h or word.startswith(h + " ") for h in body_words("vi").words("heads"))


#: what stands before the first word of an item: a dash or a bullet, a number or letter and its mark
_ITEM_HEAD = re.compile(r"[-+•*–(]{0,2}(?:(?:\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđ]|[ivxIVX]{1,4})[).:])?")


def _skip(text: str, toks: list[Token], i: int, s1: int, lang: str, ags: list[AgencyMention]) -> int:
    """The index after what token ``i`` starts that is not the verb (or ``i``)."""
    j = _skip_mark(text, toks, i, s1, lang, ags)
    return j if j > i else _skip_cue(text, toks, i, s1, lang, ags)


def _skip_mark(text: str, toks: list[Token], i: int, s1: int, lang: str, ags: list[AgencyMention]) -> int:
    """Punctuation, a parenthesis, a name, an aside up to its comma, an English adverb."""
    t = toks[i]
    if _PUNCT.fullmatch(t.text) or t.text in "()":
        return _after_paren(toks, i) if t.text == "(" else i + 1
    for a in ags:
        if a.start <= t.start < a.end:
            return next((j for j in range(i, len(toks)) if toks[j].start >= a.end), len(toks))
    if _cue_at("aside", text, toks, i, lang, s1) > 0:
        return next((j + 1 for j in range(i, min(len(toks), i + 30)) if toks[j].text == ","), i + 1)
    return i + 1 if lang == "en" and _en_adverb(t.text) else i


def _en_adverb(w: str) -> bool:
    """"selectively" (before "attract"), not a verb ending in -ly ("supply", "apply")."""
    return w.endswith("ly") and w.isalpha() and w.islower() and not _en_verb_regex().fullmatch(w)


def _skip_cue(text: str, toks: list[Token], i: int, s1: int, lang: str, ags: list[AgencyMention]) -> int:
    """A cue that is not the verb: a coordinating aside, a duty, an adverb, an addressee, a
    determiner; never a cue that is the start of a longer task verb."""
    verb = _verb_here(text, toks, i, s1, lang, lexicon_only=True)
    verb_end = toks[i].start + len(verb[0]) if verb else -1
    for key in ("coordinate_aside", "assigned", "before_verb", "addressees", "not_verbs"):
        j = _cue_at(key, text, toks, i, lang, s1)
        if key == "coordinate_aside" and j > 0 and (_aside_ends_clause(text, toks, j, s1, lang, ags) or _en_aside_is_task(toks, i, j, lang, ags)):
            return i  # "phối hợp chặt chẽ với ngành thuế trong công tác …": coordinating is the task
        if j > 0 and (key == "coordinate_aside" or toks[j - 1].end > verb_end) and not _duty_is_verb(text, toks, j, s1, lang, key):
            return _past_partner(toks, j, lang, text, s1) if key == "coordinate_aside" else j
    return i


def _past_partner(toks: list[Token], j: int, lang: str, text: str = "", s1: int = 0) -> int:
    """English: past an unnamed partner up to its "to" ("coordinate with district authorities to
    demolish …"); a named partner is passed over as a name.  Vietnamese: past an unnamed partner
    written in lower case up to the first listed task verb ("phối hợp với lực lượng trật tự đô thị
    | tăng cường …")."""
    if lang == "vi":
        return _vi_past_partner(toks, j, text, s1)
    inf = verb_words(lang).regex("infinitive")
    for k in range(j, min(len(toks), j + 6)):
        if _PUNCT.fullmatch(toks[k].text) and toks[k].text.strip():
            return j
        if inf.fullmatch(toks[k].text):
            return k
    return j


def _vi_past_partner(toks: list[Token], j: int, text: str, s1: int) -> int:
    if j >= len(toks) or not toks[j].text[:1].islower() or _cue_verb(text, toks, j, s1, "vi") is not None:
        return j
    if _cue_at("addressees", text, toks, j, "vi", s1) > 0:
        return j  # "các chủ đầu tư": a collective the scan passes over word by word
    for k in range(j + 1, min(len(toks), j + 7)):
        if _PUNCT.fullmatch(toks[k].text) or toks[k].text[:1].isupper():
            return j
        if _cue_verb(text, toks, k, s1, "vi") is not None:
            return k
    return j


def _en_aside_is_task(toks: list[Token], i: int, j: int, lang: str, ags: list[AgencyMention]) -> bool:
    """English: "must work with supermarket chains so that …": a finite verb of working with a
    partner that no "to" and task follow before the clause ends is the task itself."""
    if lang != "en" or toks[i].text.lower() in ("in", "together") or toks[i].text.endswith("ing"):
        return False
    inf = verb_words(lang).regex("infinitive")
    for k in range(j, min(len(toks), j + 20)):
        if inf.fullmatch(toks[k].text):
            return False
        if _PUNCT.fullmatch(toks[k].text) and toks[k].text.strip() and not _inside_any(toks[k].start, ags):
            return True
    return j + 20 >= len(toks)


def _aside_ends_clause(text: str, toks: list[Token], j: int, s1: int, lang: str, ags: list[AgencyMention]) -> bool:
    """After "phối hợp với Y" / "work with Y": a preposition, not a verb, comes next."""
    for k in range(j, min(len(toks), j + 12)):
        t = toks[k]
        if _PUNCT.fullmatch(t.text) or t.text[:1].isupper() or _inside_any(t.start, ags) or _cue_at("addressees", text, toks, k, lang, s1) > 0:
            continue
        return _cue_at("not_verbs", text, toks, k, lang, s1) > 0
    return False


def _duty_is_verb(text: str, toks: list[Token], j: int, s1: int, lang: str, key: str) -> bool:
    """"chịu trách nhiệm trước …", "is responsible for the results", "is in charge of school
    meals": the duty is the verb (in English, a duty ending in a preposition before no -ing word)."""
    if key not in ("assigned", "before_verb") or j >= len(toks):
        return False
    if _cue_at("object_markers", text, toks, j, lang, s1) > 0:
        return True
    return lang == "en" and key == "assigned" and _prepositional_duty(toks, j)


def _duty_as_verb(text: str, p: int, s1: int) -> Optional[tuple[str, int]]:
    """English: the task read right after a duty ending in a preposition that a noun follows
    ("is responsible for | school health"): the duty is the verb."""
    m = clause_words("en").compose(r"<<assigned>>\s*$").search(text, max(0, p - 40), p)
    if m is None:
        return None
    toks = _en_tokens(text, m.start(), min(s1, p + 40))
    j = next((k for k, t in enumerate(toks) if t.start >= p), len(toks))
    return (m.group(0).strip().lower(), m.start()) if 0 < j < len(toks) and _prepositional_duty(toks, j) else None


def _that_passive(text: str, p: int, s1: int) -> Optional[tuple[str, int]]:
    """English: "(requested) that the emulation movement be reviewed …": in a passive subjunctive
    the participle after "be" is the task, when no listed task verb stands before it."""
    m = _THAT_BE.match(text, p, s1)
    if m is None or _en_verb_regex().search(text, m.start(), m.start(1)):
        return None
    return m.group(1).lower(), m.start(1)


#: "that <up to eight words> be <participle>" (never "to be …": an infinitive inside the object)
_THAT_BE = re.compile(r"\s*that\s+(?:[\w'’()-]+\s+){1,8}?(?<!to\s)be\s+(?:\w+ly\s+)?([a-z]+(?:ed|en|wn|ne|lt|nt))\b")


def _prepositional_duty(toks: list[Token], j: int) -> bool:
    """"is responsible for | school health", not "is tasked with | monitoring": a noun follows."""
    nxt = next((t.text for t in toks[j : j + 3] if t.text.isalpha() and t.text.lower() not in ("the", "a", "an", "all") and not _en_adverb(t.text)), "")
    return toks[j - 1].text.lower() in ("for", "of", "with") and not nxt.endswith("ing") and nxt[:1].islower()


def _after_paren(toks: list[Token], i: int) -> int:
    for j in range(i, min(len(toks), i + 20)):
        if toks[j].text == ")":
            return j + 1
    return i + 1


def _verb_here(text: str, toks: list[Token], i: int, s1: int, lang: str, lexicon_only: bool = False) -> Optional[tuple[str, int]]:
    """The task verb starting at token ``i``: a duty before its object, presiding, a listed task
    verb, or (unless ``lexicon_only``) a word the tagger or the word shape says is a verb."""
    found = _cue_verb(text, toks, i, s1, lang)
    if found is None and not lexicon_only:
        found = _tagged_verb(text, toks, i, lang)
    if found is not None and lang == "vi" and _NUMBERED.match(text, found[1] + len(found[0]), s1):
        return None  # "Kết luận số 49-KL/TW …", "Quyết định 1259/QĐ-TTg": a document's name, not a verb
    return found


def _cue_verb(text: str, toks: list[Token], i: int, s1: int, lang: str) -> Optional[tuple[str, int]]:
    from .directives import _verb_regex

    t = toks[i]
    for key in ("assigned", "before_verb"):
        j = _cue_at(key, text, toks, i, lang, s1)
        if j > 0 and _duty_is_verb(text, toks, j, s1, lang, key):
            return text[t.start : toks[j - 1].end].lower(), t.start
    j = _cue_at("preside", text, toks, i, lang, s1)
    if j <= 0:
        m = _verb_regex(lang).match(text, t.start, s1)
        j = _aligned(m, toks, i)
        if j <= 0 and _glued(m, toks, i, lang):
            return m.group(0).lower(), t.start
    return (text[t.start : toks[j - 1].end].lower(), t.start) if j > 0 else None


def _glued(m: Optional[re.Match], toks: list[Token], i: int, lang: str) -> bool:
    """A listed Vietnamese verb of two syllables or more that the segmenter cut across ("cập nhật
    độ mặn" read as "cập" + "nhật độ"): it starts at word ``i`` and ends inside a word."""
    if lang != "vi" or m is None or " " not in m.group(0) or not toks[i].text[:1].islower() or m.start() != toks[i].start:
        return False
    return any(t.start < m.end() < t.end for t in toks[i : i + 4])


def _tagged_verb(text: str, toks: list[Token], i: int, lang: str) -> Optional[tuple[str, int]]:
    t = toks[i]
    if lang == "vi":
        adverbial = t.tag == "A" and i + 1 < len(toks) and toks[i + 1].tag == "V"  # "dứt khoát khởi công"
        lower = t.text[:1].islower() or _item_verb(toks, i)
        ok = t.tag in ("V", "A") and not adverbial and lower and len(t.text) > 2 and not _not_task_word(t.text, lang)
    else:
        ok = _en_tagged(text, toks, i)
    return (t.text.lower(), t.start) if ok else None


def _en_tagged(text: str, toks: list[Token], i: int) -> bool:
    """English has no tagger here: a lower-case word, not a noun after a determiner ("the board"),
    unless a noun of action or a verb after a floated quantifier ("must each identify")."""
    t = toks[i]
    noun = i > 0 and _determiner(toks[i - 1].text) and not _NOMINAL.fullmatch(" " + t.text) and not _floated(text, toks, i)
    return _en_word(text, t) and t.text.islower() and len(t.text) > 2 and not noun


def _en_word(text: str, t: Token) -> bool:
    """A plain word, or a hyphenated one right after a modal or "to" ("is assigned to quick-test"),
    not one inside a noun phrase ("socio-political organizations")."""
    if t.text.isalpha():
        return True
    before = text[max(0, t.start - 8) : t.start].split()
    return t.text.replace("-", "").isalpha() and bool(before) and before[-1].lower() in _modal_tails() - {"of", "for", "with"}


def _determiner(word: str) -> bool:
    return clause_words("en").regex("determiners").fullmatch(word) is not None


# -- what is not a directive -------------------------------------------------------------------------

#: a dateline before the first sentence: "Hanoi (VNA) – ", "(BDO) ", "LAO CAI — "
_DATELINE = re.compile(r"(?:[A-ZĐ][\w.]*(?:\s[A-ZĐ][\w.]*){0,3}\s?)?(?:\([A-Za-zĐ.]{2,10}\))?\s?[-–—]?\s", re.UNICODE)


def not_a_directive(text: str, s0: int, s1: int, lang: str, kind: str = "body") -> bool:
    """True for what reads like a directive but is not one: a headline, a dated account of a
    meeting or an inspection, the act of issuing a document, a statement of what a plan is for."""
    if kind == "headline" or _page_furniture(text, s0, s1, kind) or _legal_basis(text, s0, s1, lang):
        return True
    body = clause_start(text, s0, s1, lang)
    head = _strip_dateline(text, body, s1)
    w = clause_words(lang)
    if _vision(text, s0, head, s1, lang) or _view_or_question(text, _strip_dateline(text, s0, s1), s1, lang):
        return True
    window = text[head : min(s1, head + 220)]
    if w.regex("meeting").search(window) and not w.regex("ask").search(window):
        return True
    if w.regex("event_opener").match(text, head, s1) and re.match(r"\S+\s+\d", text[head : head + 20]) and not w.regex("ask").search(window):
        return True
    clause_head = text[head : min(s1, head + 120)]
    if _issuing(text, head, s1, lang) or _reports_figure(text[head:s1], lang):
        return True
    purpose = w.regex("purpose").search(clause_head)
    return bool(purpose and purpose.start() < 60 and not w.regex("ask").search(clause_head[: purpose.start()]))


def _view_or_question(text: str, head: int, s1: int, lang: str) -> bool:
    """A personal view opening the sentence ("In my view, districts need to …") or a question
    reported ("the deputy asked who would take responsibility"): neither asks anyone to act."""
    w = clause_words(lang)
    if w.compose(r"(?:but\s+|and\s+)?<<opinion>>\b").match(text, head, s1):
        return True
    return w.regex("asks_a_question").search(text, head, min(s1, head + 160)) is not None or _only_accountable(text, head, s1, lang)


def _only_accountable(text: str, head: int, s1: int, lang: str) -> bool:
    """English: "Heads of departments are responsible to the Chairman for the results": a duty of
    account to a superior and no task beside it."""
    w = clause_words(lang)
    if lang != "en" or w.regex("accountable").search(text, head, s1) is None:
        return False
    return w.regex("assigned").search(text, head, s1) is None and w.regex("ask").search(text, head, s1) is None

def _legal_basis(text: str, s0: int, s1: int, lang: str) -> bool:
    """A preamble line of a decision ("Căn cứ Luật …;", "Theo đề nghị của Sở … tại Tờ trình số …,"):
    the basis the document rests on, ending in a comma or a semicolon, not a task."""
    start = s0 + len(text[s0:s1]) - len(text[s0:s1].lstrip())
    return text[s0:s1].rstrip()[-1:] in (",", ";") and clause_words(lang).regex("legal_basis").match(text, start, s1) is not None


def _reports_figure(clause: str, lang: str) -> bool:
    """A figure reached, with no aim in the clause: "Giải ngân vốn đầu tư công đạt 86% kế hoạch."
    reports; "phấn đấu … đạt 95%" and "bảo đảm tỷ lệ … đạt 100%" set a target."""
    w = clause_words(lang)
    reached = re.search(rf"(?:{w.regex('figure_reached').pattern})\s\d", clause, re.IGNORECASE)
    return reached is not None and not w.regex("aims").search(clause)


def _issuing(text: str, head: int, s1: int, lang: str) -> bool:
    """The clause reports issuing a document ("The ministry has issued a circular …", "… vừa ban
    hành Kế hoạch số 305-KH/TU …"), with no task before it and no order carried in it ("… issued
    an urgent dispatch requesting provinces to …", "… đã ký Công điện số 12/CĐ-UBND yêu cầu các sở …")."""
    clause_head = text[head : min(s1, head + 120)]
    if lang == "en":
        issue = clause_words(lang).regex("issuing").search(clause_head)
        if issue is None or cues(lang).regex("directive", "verbs").search(clause_head[: issue.start()]):
            return False
        return not _asks_in_document(text, head + issue.end(), s1, lang)
    issue = clause_words(lang).regex("issuing").search(clause_head) or _issues_document(clause_head, lang)
    if issue is None or _asks_a_body(text, head + issue.end(), s1, lang):
        return False
    before = clause_head[: issue.start()]
    return not any(_outside_names(before, v) for v in cues(lang).regex("directive", "verbs").finditer(before))


def _outside_names(s: str, m: re.Match) -> bool:
    """A cue match that is no syllable of a name: lower-case, and not after a capital syllable
    ("phòng" of "Văn phòng", "tra" of "Thanh tra")."""
    prev = s[: m.start()].split()
    return m.group(0)[:1].islower() and not (prev and prev[-1][:1].isupper())


def _asks_a_body(text: str, p: int, s1: int, lang: str) -> bool:
    """After ``p``, a verb of asking addressed to a body ("yêu cầu các sở", "đề nghị UBND …"), not
    to a thing ("giao chỉ tiêu")."""
    w = clause_words(lang)
    for m in w.regex("ask").finditer(text, p, s1):
        nxt = m.end() + len(text[m.end() : s1]) - len(text[m.end() : s1].lstrip())
        if text[nxt : nxt + 1].isupper() or w.regex("addressees").match(text, nxt, s1):
            return True
    return False


def _issues_document(head: str, lang: str) -> Optional[re.Match]:
    """A body issues a numbered document: "… vừa có Kế hoạch số 305-KH/TU …", "… ban hành Quyết
    định 12/QĐ-UBND …" (a task to draft a plan names no number)."""
    return _issues_document_rx(lang).search(head)


@lru_cache(maxsize=None)
def _issues_document_rx(lang: str) -> re.Pattern:
    return re.compile(rf"(?:{clause_words(lang).regex('issues_document').pattern})\s(?:{_doc_nouns(lang)})\s(?:số\s)?\d", re.IGNORECASE)


#: a label and a number: page furniture ("Posting date: 10/09/2025 | Views: 1,546"), not a sentence
_LABEL_LINE = re.compile(r"\s*\w+(?:\s\w+){0,2}\s?:\s*\d")


_YEAR_OPENING = re.compile(r"\s*\w+\s(?:the\send\sof\s|năm\s)?(?:19|20)\d\d\b", re.IGNORECASE)


def _vision(text: str, s0: int, head: int, s1: int, lang: str) -> bool:
    """"By 2030, the region will have a complete network of expressways": a year opens a statement
    of what will be (``vision_verbs`` after "will"), not a task; nobody is asked anything."""
    w = clause_words(lang)
    if not _YEAR_OPENING.match(text, s0, s1) or w.regex("ask").search(text, head, s1):
        return False
    will = w.compose(r"<<future>>\s<<vision_verbs>>")
    return will.search(text, head, min(s1, head + 160)) is not None


def _page_furniture(text: str, s0: int, s1: int, kind: str) -> bool:
    """A heading, a question, a "Posting date: 10/09/2025" line, or a section title over its items."""
    sent = text[s0:s1]
    if _is_heading(sent) or sent.rstrip().endswith("?") or _LABEL_LINE.match(text, s0, s1):
        return True
    return _title_line(text, s0, s1) and (kind != "bullet" or _SUB_ITEM.match(text, s1) is not None)

#: the next line opens a sub-item ("a) …", "- …"): the numbered line above it is the title of a group
_SUB_ITEM = re.compile(r"\s*\n\s*(?:[a-zđ][).]|[-+•*–])\s")


def _title_line(text: str, s0: int, s1: int) -> bool:
    """A short line of its own with no closing punctuation: a section title ("Giải ngân vốn đầu tư
    công chậm"; "2. Phát triển hạ tầng số" over its items "a) …"), not a task."""
    line = text[s0:s1].strip()
    before = text[text.rfind("\n", 0, s0) + 1 : s0]
    whole = (not before.strip() or _BULLET.fullmatch(before) is not None) and text[s1 : s1 + 1] in ("", "\n")
    return whole and len(line.split()) <= 8 and re.search(r"[.;:!?…)\"”]$", line) is None


def _asks_in_document(text: str, p: int, s1: int, lang: str) -> bool:
    """"… issued an urgent dispatch requesting central provinces to mobilise …": the document
    issued asks for action, and the sentence is the directive it carries."""
    ask = clause_words(lang).regex("ask").search(text, p, min(s1, p + 120))
    return ask is not None and verb_words(lang).regex("infinitive").search(text, ask.end(), min(s1, ask.end() + 120)) is not None


def _is_heading(sent: str) -> bool:
    """A section heading: "I. MỤC ĐÍCH, YÊU CẦU" (its letters in capitals)."""
    letters = "".join(filter(str.isalpha, sent))  # (C-level loops: this runs on every candidate)
    return len(letters) >= 4 and sum(map(str.isupper, letters)) / len(letters) > 0.8


def _strip_dateline(text: str, p: int, s1: int) -> int:
    m = _DATELINE.match(text, p, s1)
    if m and re.search(r"[-–—]|\)", m.group(0)):
        return m.end()
    return p
