"""Directive sentences and their head task verb (EXTRACTION_SPEC.md section 5).

A sentence is a directive when it opens with a task verb (imperative, "Tập trung …", "Strive to
…", a gerund item of a task list), when an agency or a collective subject is followed by a task
verb or an assignment cue ("Sở KH&ĐT chủ trì", "departments … proactively carry out", "The City
Party Committee will focus"), or when a speaker asks for action ("requested that the city
continue to …").  Purpose statements, plan descriptions, attendance lists and reports of what
was done are not.  Cue lists live in ``lexicons/<lang>/cues.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..lexicons import clause_words, cues, name_words, trie_regex, verb_forms, verb_words, word_alternation
from ..schema import AgencyMention

_BULLET = re.compile(r"^\s*(?:[-+•*–—●▪◦]|\d{1,2}(?:\.\d{1,2}){0,3}[.)]|[a-zđ][)]|[IVX]{1,4}[.)]|\((?:\d{1,2}|[a-zđ]|[ivx]{1,4})\))\s*")


@dataclass
class DirectiveHit:
    start: int
    end: int
    verb: Optional[str]
    verb_start: Optional[int]
    confidence: float
    reason: str


def _inflections(base: str) -> list[str]:
    """English verb forms of a base verb (first word inflected: "speed up" -> "speeds up")."""
    head, _, rest = base.partition(" ")
    rest = f" {rest}" if rest else ""
    forms = {head}
    if head.endswith("e") and not head.endswith("ee"):
        forms |= {head + "s", head + "d", head[:-1] + "ing"}
    elif head.endswith("y") and head[-2:-1] not in "aeiou":
        forms |= {head[:-1] + "ies", head[:-1] + "ied", head + "ing"}
    elif re.search(r"(?:s|sh|ch|x|z)$", head):
        forms |= {head + "es", head + "ed", head + "ing"}
    else:
        forms |= {head + "s", head + "ed", head + "ing"}
        if re.fullmatch(r"[^aeiou]*[aeiou][bdgmnprt]", head) and len(head) <= 4:
            forms |= {head + head[-1] + "ed", head + head[-1] + "ing"}
    irregular = verb_forms("en")
    whole = irregular.get(base, []) if " " in base else []  # "draw up" -> "drawn up"
    return [f + rest for f in forms | set(irregular.get(head, []))] + whole


@lru_cache(maxsize=None)
def _verb_regex(lang: str) -> re.Pattern:
    verbs = cues(lang).words("directive", "verbs")
    if lang == "en":
        verbs = [f for v in verbs for f in _inflections(v)]
    return re.compile(word_alternation(verbs), re.IGNORECASE)


@lru_cache(maxsize=None)
def _skip_regex(lang: str) -> re.Pattern:
    return re.compile(r"(?:(?:" + word_alternation(cues(lang).words("directive", "skip_verbs")) + r")[\s,]+)*", re.IGNORECASE)


@lru_cache(maxsize=None)
def _prefix_regex(lang: str) -> re.Pattern:
    # "Accordingly, ", "Trong đó, ", "Regarding digital transformation, "
    pre = word_alternation(cues(lang).words("directive", "discourse_prefixes"))
    return re.compile(rf"(?:(?:{pre})(?:[^,.;:]{{0,80}})?[,:]\s*)+", re.IGNORECASE)


def _rx(lang: str, key: str) -> re.Pattern:
    return cues(lang).regex("directive", key)


def head_verb(text: str, pos: int, end: int, lang: str) -> tuple[Optional[str], Optional[int]]:
    """The first task verb at or after ``pos`` (skipping "continue to", "khẩn trương" …)."""
    sk = _skip_regex(lang).match(text, pos, end)
    p = sk.end() if sk else pos
    if lang == "en":
        p2 = re.match(r"(?:to\s)?", text[p:end]).end() + p
        p = p2
    m = _verb_regex(lang).match(text, p, end)
    if m:
        return m.group(0).lower(), m.start()
    m = _after_infinitive(text, pos, p, end, lang)
    if m:
        return m.group(1).lower(), m.start(1)
    m = _verb_regex(lang).search(text, pos, min(end, pos + 80))
    if m:
        return m.group(0).lower(), m.start()
    return None, None


def _after_infinitive(text: str, pos: int, p: int, end: int, lang: str) -> Optional[re.Match]:
    """English: the word right after "to" is a verb though the lexicon lacks it ("asks the council
    to approve …"), unless it is a determiner or a preposition ("to the city")."""
    if lang != "en" or not verb_words(lang).regex("infinitive").search(text, pos, p):
        return None
    m = re.compile(r"([a-z][a-z-]{2,})(?![\w-])").match(text, p, end)
    return m if m and not clause_words(lang).regex("not_verbs").fullmatch(m.group(1)) else None


@lru_cache(maxsize=None)
def _obliged_regex(lang: str) -> re.Pattern:
    """A word of obligation ("must", "is required to", "phải") or, in English, a verb of asking, its
    addressees and "to" ("requires the State to"); the verb follows, after at most three adverbs."""
    v, w = verb_words(lang), clause_words(lang)
    if lang == "vi":
        return re.compile(rf"(?:{v.regex('obliged').pattern})\s", re.IGNORECASE)
    asked = rf"(?:{w.regex('ask').pattern})\s[^.;:]{{0,80}}?\s(?:{v.regex('infinitive').pattern})"
    return re.compile(rf"(?:{v.regex('obliged').pattern}|{asked})\s{_verb_after(lang).pattern}", re.IGNORECASE)


@lru_cache(maxsize=None)
def _verb_after(lang: str) -> re.Pattern:
    """English: the verb right after an obligation or "to", past at most three adverbs; any word
    but a determiner or a preposition ("must reserve", "is to start")."""
    w = clause_words(lang)
    adverbs = rf"(?:(?:{w.regex('before_verb').pattern}|[a-z]+ly)\s){{0,3}}"
    return re.compile(rf"{adverbs}(?!(?:{w.regex('not_verbs').pattern}))([a-z][a-z-]{{2,}})\b", re.IGNORECASE)


def _vi_verb_at(text: str, p: int, end: int, window: int = 3) -> tuple[Optional[str], Optional[int]]:
    """The first verb underthesea's part-of-speech tagger sees among the ``window`` words at ``p``
    (through ``vipos``, which gives its tags without loading its own word segmentation)."""
    from .vipos import pos_tag
    chunk = text[p : min(end, p + 24 * window)]
    if not chunk.strip():
        return None, None
    head = chunk[:1].lower() + chunk[1:]  # a capital opening an item reads as a noun to the tagger
    pos = 0
    for word, tag in pos_tag(head)[:window]:
        at = head.find(word, pos)
        if at < 0:
            break
        pos = at + len(word)
        if tag == "V" and len(word) > 1:
            return text[p + at : p + at + len(word)].lower(), p + at
    return None, None


def _obliged_verb(text: str, s0: int, s1: int, lang: str) -> tuple[Optional[str], Optional[int]]:
    """The verb after an obligation: "must reserve", "requires the State to spend", "phải đăng
    ký", "sẽ trình"."""
    if lang == "vi":
        m = _obliged_regex(lang).search(text, s0, s1)
        return _vi_verb_at(text, m.end(), s1) if m else (None, None)
    m = _obliged_regex(lang).search(text, s0, s1)
    return (m.group(1).lower(), m.start(1)) if m else (None, None)


def task_verb(text: str, s0: int, s1: int, lang: str) -> tuple[Optional[str], Optional[int]]:
    """The head task verb of any sentence taken as a directive (by the rules or a model): after an
    assignment or speech cue ("X was assigned to preside over …"), else the first task verb."""
    b = _BULLET.match(text, s0, s1)
    body0 = b.end() if b else s0
    for key in ("assign", "speech"):
        cm = _rx(lang, key).search(text, body0, s1)
        if cm:
            if lang == "vi":  # "yêu cầu các bộ, ngành bám sát …": the first verb after the addressees
                v, vs = _vi_verb_at(text, cm.end(), s1, window=12)
                if v is not None:
                    return v, vs
            v, vs = head_verb(text, cm.end(), s1, lang)
            if v is None and lang == "en":
                v, vs = _passive_verb(text, cm.end(), s1)
            if v is not None:
                return v, vs
    sk = _skip_regex(lang).match(text, body0, s1)
    start = sk.end() if sk else body0
    m = _verb_regex(lang).match(text, start, s1)
    if m:  # a listed task verb opens the sentence ("Tập trung …", "Strive to …")
        return m.group(0).lower(), m.start()
    v, vs = _obliged_verb(text, body0, s1, lang)
    if v is not None:
        return v, vs
    v, vs = head_verb(text, body0, s1, lang)
    if v is None:
        m = _verb_regex(lang).search(text, body0, s1)
        if m:
            v, vs = m.group(0).lower(), m.start()
    return v, vs


def classify(text: str, s0: int, s1: int, lang: str, agencies: list[AgencyMention], kind: str = "body") -> Optional[DirectiveHit]:
    """A ``DirectiveHit`` when ``text[s0:s1]`` is a directive, else None.  The tests run in order:
    a task verb opening the sentence, a subject followed by a task verb or an assignment cue, a
    commitment in the future tense, an asking verb or a modal of obligation, a speaker asking."""
    sent = text[s0:s1]
    if len(sent.strip()) < 12 or sent.strip().endswith(":"):
        return None  # a lead-in line ("agencies are required to:") is not a directive
    body0, bm, pm = _body_start(text, s0, s1, lang)
    hit = _commit_hit(text, s0, s1, body0, lang)
    if hit is not None:
        return hit
    if _ruled_out(text[body0:s1], lang):
        return None
    hit = _imperative(text, s0, s1, body0, lang, bm, pm) or _proposal_hit(text, s0, s1, body0, lang)
    if hit is not None:
        return hit
    subj_end = _subject_end(text, body0, s1, lang, agencies)
    if subj_end is not None:
        hit = _subject_hit(text, s0, s1, subj_end, lang)
        if hit is not None:
            return None if hit.reason == "report" else hit
    for test in (_future_hit, _modal_hit, _speech_hit, _item_infinitive, _resting_hit):
        hit = test(text, s0, s1, body0, lang)
        if hit is not None:
            return hit
    return _speech_tagged(text, s0, s1, body0, lang, agencies)


def _commit_hit(text: str, s0: int, s1: int, body0: int, lang: str) -> Optional[DirectiveHit]:
    """A named body commits itself early in the sentence, after any time or source phrase:
    "Năm 2026, tỉnh phấn đấu …", "Theo Kế hoạch, thành phố phấn đấu …", "In 2024, the province strives to …"."""
    cm = _rx(lang, "commit").search(text, body0, min(s1, body0 + 70))
    if cm is None or _past(text[body0 : cm.start()] + " ", lang) or cm.start() == body0:
        return None
    v, vs = head_verb(text, cm.start(), s1, lang)
    return DirectiveHit(s0, s1, v, vs, 0.7, "commit") if v else None


def _body_start(text: str, s0: int, s1: int, lang: str) -> tuple[int, Optional[re.Match], Optional[re.Match]]:
    """Where the sentence proper starts: after a bullet (or a speaker tag) and discourse words."""
    from .clause import item_mark

    body0 = s0
    bm = item_mark(text, s0, s1, lang)
    if bm:
        body0 = bm.end()
    pm = _prefix_regex(lang).match(text, body0, s1)
    if pm and pm.end() < s1:
        body0 = pm.end()
    return body0, bm, pm


def _ruled_out(head: str, lang: str) -> bool:
    """Openings that rule a sentence out: purpose, description of a plan, report; not a source
    that carries orders ("According to the dispatch, ministries must …")."""
    m = _rx(lang, "not_start").match(head)
    return bool((m and not _order_source(head, m, lang)) or _plan_description(lang).match(head))


def _order_source(head: str, m: re.Match, lang: str) -> bool:
    """English: "According to <a dispatch, a plan, a decision …>," opens what that document asks,
    unlike "According to the ministry, …" (a report)."""
    comma = head.find(",", m.end(), m.end() + 150)
    if lang != "en" or m.group(0).lower() != "according to" or comma < 0:
        return False
    return _rx(lang, "order_sources").search(head, m.end(), comma) is not None


@lru_cache(maxsize=None)
def _plan_description(lang: str) -> re.Pattern:
    """"The plan aims …", "Kế hoạch nhằm …", "the programme focuses on 7 …": a plan described."""
    c = cues(lang)
    nouns = word_alternation(c.words("directive", "plan_nouns"))
    says = word_alternation(c.words("directive", "plan_says"))
    counts = word_alternation(c.words("directive", "plan_counts"))
    return re.compile(rf"(?:the\s)?(?:{nouns})\s(?:{says}|(?:{counts})\s\d)", re.IGNORECASE)


@lru_cache(maxsize=None)
def _joiner_gap(lang: str) -> re.Pattern:
    """What may stand between two agencies of one subject ("Sở A, Sở B và các sở, ngành")."""
    return re.compile(r"[\s,;]*(?:(?:" + word_alternation(cues(lang).words("directive", "subject_joiners")) + r")[\s,;]*)*", re.IGNORECASE)


def _imperative(text: str, s0: int, s1: int, body0: int, lang: str, bm, pm) -> Optional[DirectiveHit]:
    """1. opens with a task verb: "Tập trung …", "Strive to …", "Developing …" (a task-list item)."""
    vm = _verb_regex(lang).match(text, _skip_regex(lang).match(text, body0, s1).end(), s1)
    if not vm:
        return _item_opening_verb(text, s0, s1, body0, lang, bm)
    first = text[body0 : body0 + 1]
    line_start = s0 == 0 or text[s0 - 1] == "\n"
    if not (lang == "vi" or first.isupper() or bm or pm or line_start):
        return None
    if lang == "en" and not bm and (_is_past_form(vm.group(0)) or _not_an_opening_verb(text, vm, s1)):
        return None  # "Completed …" reports, "Reports presented … showed" names; the other tests decide
    v, vs = head_verb(text, body0, s1, lang)
    return DirectiveHit(s0, s1, v, vs, 0.85 if bm or pm else 0.8, "imperative")


def _not_an_opening_verb(text: str, vm: re.Match, s1: int) -> bool:
    """English: a first word that is a noun or opens a participial phrase, not an order: "Reports
    presented at the meeting showed …", "Pilot models were launched …", "Opening the meeting, the
    Chairman said …"."""
    w = vm.group(0).lower()
    if (" " not in w and w.endswith("s") and w not in _base_verbs()) or _FINITE_NEXT.match(text, vm.end(), s1):
        return True
    return w.endswith("ing") and clause_words("en").compose(r",\s[^,;]{0,80}?\b<<say>>\b").search(text, vm.end(), s1) is not None


#: a finite verb within two words of the first one: the first word was a noun ("Pilot models were …")
_FINITE_NEXT = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:was|were|is|are|has|have|had)\b", re.IGNORECASE)


def _item_opening_verb(text: str, s0: int, s1: int, body0: int, lang: str, bm) -> Optional[DirectiveHit]:
    """A numbered or bulleted Vietnamese item whose first word the tagger reads as a verb
    ("2. Vận dụng sáng tạo …"), though the verb is not in the lexicon, or a prohibition item
    ("3. Không chăn thả …")."""
    if lang != "vi" or not (bm or _after_item_mark(text, s0)):
        return None
    from .clause import tokens

    toks = tokens(text, body0, min(s1, body0 + 40), lang)
    if toks and len(toks) > 1 and clause_words(lang).regex("negations").fullmatch(toks[0].text):
        toks = toks[1:]  # a prohibition: "2. Không chăn thả gia súc …"
    if not toks or " " not in toks[0].text or toks[0].tag != "V":  # (the text first: a tag costs a tagging)
        return None
    return DirectiveHit(s0, s1, toks[0].text.lower(), toks[0].start, 0.75, "imperative")


def _after_item_mark(text: str, s0: int) -> bool:
    """The sentence follows its line's item mark, which the sentence splitter cut off ("1." | "Không …")."""
    ls = text.rfind("\n", 0, s0) + 1
    return ls < s0 and _BULLET.fullmatch(text[ls:s0]) is not None


def _subject_end(text: str, body0: int, s1: int, lang: str, agencies: list[AgencyMention]) -> Optional[int]:
    """2. the end of the subject group: agencies at the start of the sentence, or collective nouns."""
    subj_end = _agency_subject(text, body0, s1, lang, agencies)
    if subj_end is not None:
        return subj_end
    sm = _rx(lang, "subjects").match(text, body0, s1)
    if sm is None and lang == "en":
        sm = _rx(lang, "subjects").match(text, re.compile(r"(?:the\s)?", re.IGNORECASE).match(text, body0, s1).end(), s1)
    if sm is None:
        return None
    subj_end = sm.end()
    while True:  # "departments, branches, sectors, …": a list of collective nouns
        more = re.compile(r"[\s,]*(?:và|and)?\s*").match(text, subj_end, s1)
        nxt = _rx(lang, "subjects").match(text, more.end(), s1)
        if not (nxt and nxt.end() > subj_end):
            return subj_end
        subj_end = nxt.end()


def _agency_subject(text: str, body0: int, s1: int, lang: str, agencies: list[AgencyMention]) -> Optional[int]:
    """The end of the agencies that open the sentence as its subject ("Sở A, Sở B và UBND …")."""
    inside = [a for a in agencies if body0 <= a.start < s1]
    if not inside or inside[0].start - body0 >= 60 or (lang == "vi" and not _vi_subject_gap(text[body0 : inside[0].start])):
        return None
    if lang == "en" and _PARTICIPLE_OPENING.match(text, body0, inside[0].start):
        return None  # "Presenting the Government's report, the minister said …": a phrase, not the subject
    subj_end = inside[0].end
    for a in inside[1:]:
        if a.start - subj_end < 40 and _joiner_gap(lang).fullmatch(text[subj_end : a.start]):
            subj_end = a.end
        else:
            break
    return subj_end


#: an English participle opening the sentence, its phrase running up to a comma
_PARTICIPLE_OPENING = re.compile(r"[A-Z][a-z]{2,}ing\s[^,]*$")


def _vi_subject_gap(gap: str) -> bool:
    """Vietnamese: the first agency is the subject unless what stands before it (after a lead-in's
    comma) reports ("Sở đã tham mưu UBND tỉnh …") or makes it the object of a preposition ("Theo
    số liệu của Cục Thống kê tỉnh, …", "Trách nhiệm thuộc về Chủ tịch UBND huyện …")."""
    tail = gap.rsplit(", ", 1)[-1]
    return not (re.search(_alt("vi", "not_subject_before"), tail, re.IGNORECASE) or _vi_prep_end().search(tail))


@lru_cache(maxsize=None)
def _vi_prep_end() -> re.Pattern:
    """A preposition (and a plural word) right before the first agency: it is an object."""
    return re.compile(rf"(?:{_alt('vi', 'object_prepositions')})\s*(?:(?:các|những)\s)?$", re.IGNORECASE)


def _subject_hit(text: str, s0: int, s1: int, subj_end: int, lang: str) -> Optional[DirectiveHit]:
    """A subject followed by an assignment cue or a task verb; a hit with verb "" rules the
    sentence out (a report: "continues to be", "has issued")."""
    gm = re.match(r"^[\s,]*(?:\([^)]{0,60}\)\s*)?", text[subj_end:s1])
    p = _past_aside(text, subj_end + (gm.end() if gm else 0), s1, lang)
    am = _duty_at(text, p, s1, lang)
    v, vs = _head_or_obliged(text, p, s1, lang)
    if not am and (_state_verb(lang).match(text, p, s1) or _issue_verb(lang).match(text, p, s1)) and not _asked_next(text, p, s1, lang):
        return DirectiveHit(s0, s1, "", None, 0.0, "report")
    near = vs is not None and (vs - p < 25 or _adverbs_only(text[p:vs], lang)) and not _is_past_form(text[vs:s1].split(" ")[0]) and not _past(text[p:vs] + " ", lang)
    if not (am or near):
        tv = _tagged_verb_at(text, p, s1, lang)
        return DirectiveHit(s0, s1, tv[0], tv[1], 0.7, "subject") if tv else None
    if am and not vs:
        v, vs = head_verb(text, am.end(), s1, lang)
    return DirectiveHit(s0, s1, v, vs, 0.75, "subject")


def _adverbs_only(gap: str, lang: str) -> bool:
    """English: only adverbs in -ly and "and" between the subject and its verb ("Departments
    urgently and proactively prepare …")."""
    words = gap.replace(",", " ").split()
    return lang == "en" and bool(words) and all(w == "and" or (w.endswith("ly") and w.isalpha() and w.islower()) for w in words)


def _past_aside(text: str, p: int, s1: int, lang: str) -> int:
    """Past a coordinating aside between the subject and its verb: "The Department of Transport,
    together with the Department of Construction, will advise …"."""
    m = clause_words(lang).regex("coordinate_aside").match(text, p, s1)
    if m is None or "," not in text[max(0, p - 3) : p]:
        return p  # an aside stands between commas; without one, coordinating is the task
    comma = text.find(",", m.end(), min(s1, m.end() + 100))
    return comma + 1 + len(text[comma + 1 : s1]) - len(text[comma + 1 : s1].lstrip()) if comma > 0 else p


def _duty_at(text: str, p: int, s1: int, lang: str) -> Optional[re.Match]:
    """An assignment cue right after the subject; in English also a duty phrase of the clause
    lexicon ("is to", "is responsible for"), which elsewhere in a sentence may open a plan figure."""
    am = _rx(lang, "assign").match(text, p, s1)
    if am is None and lang == "en":
        am = clause_words(lang).regex("assigned").match(text, p, s1)
    return am


def _head_or_obliged(text: str, p: int, s1: int, lang: str) -> tuple[Optional[str], Optional[int]]:
    """The task verb after a subject: a listed verb, else in English any verb right after a word
    of obligation ("The municipal Police will guard …")."""
    v, vs = head_verb(text, p, s1, lang)
    if v is None and lang == "en":
        om = _obliged_regex(lang).match(text, p, s1)
        if om:
            return om.group(1).lower(), om.start(1)
    return v, vs


def _asked_next(text: str, p: int, s1: int, lang: str) -> bool:
    """"has also asked X to …", "was told to …": an auxiliary that opens a reported order, not a report."""
    window = 60 if lang == "en" else 25
    if lang == "vi":  # "… đã ký Công điện số 07/CĐ-UBND yêu cầu …": the order the document carries
        from .clause import _issues_document

        doc = _issues_document(text[p : min(s1, p + 60)], lang)
        window = doc.end() + 25 if doc else window
    sp = _rx(lang, "speech").search(text, p, min(s1, p + window))
    return sp is not None


def _tagged_verb_at(text: str, p: int, s1: int, lang: str) -> Optional[tuple[str, int]]:
    """Vietnamese: the word right after the subject, when the tagger reads it as a verb of two
    syllables or more ("Sở A chỉnh trang …") though the lexicon lacks it."""
    if lang != "vi" or _rx(lang, "report").search(text, p, s1) or re.search(r"\bđược\s", text[max(0, p - 60) : p]):
        return None  # a figure reported, or a passive ("được Quốc hội quyết định")
    from .clause import tokens

    toks = tokens(text, p, min(s1, p + 40), lang)
    if not toks or " " not in toks[0].text or toks[0].tag != "V":  # (the text first: a tag costs a tagging)
        return None
    return toks[0].text.lower(), toks[0].start


def _future_hit(text: str, s0: int, s1: int, body0: int, lang: str) -> Optional[DirectiveHit]:
    """3. a commitment in the future tense: "said the city will put …", "the province will propose …"."""
    fm = _future(lang).search(text[body0:s1])
    if not fm:
        return None
    v, vs = head_verb(text, body0 + fm.end(), s1, lang)
    return DirectiveHit(s0, s1, v, vs, 0.65, "future") if v and vs - (body0 + fm.end()) < 20 else None


def _modal_hit(text: str, s0: int, s1: int, body0: int, lang: str) -> Optional[DirectiveHit]:
    """4. an asking verb or a modal of obligation before any report marker."""
    from .clause import noun_cue

    head = text[body0:s1]
    assign = next((m for m in _rx(lang, "assign").finditer(head) if not noun_cue(head, m, lang)), None)
    if lang == "vi":
        assign = _vi_assign(text, body0, s1)
    report = _report_marker(head, lang)
    if not assign or (report and assign.start() >= report.start() and lang != "vi"):
        return None
    v, vs = head_verb(text, body0 + assign.end(), s1, lang)
    if lang == "en" and v is None:
        v, vs = _unlisted_verb(text, body0 + assign.end(), s1, assign.group(0))
    if v is None and lang == "vi" and _duty(assign.group(0)):  # "… chịu trách nhiệm thi hành Quyết định này"
        v, vs = _vi_verb_at(text, body0 + assign.end(), s1)
    return DirectiveHit(s0, s1, v, vs, 0.7, "modal") if v is not None else None


def _unlisted_verb(text: str, p: int, s1: int, cue: str) -> tuple[Optional[str], Optional[int]]:
    """English, a verb the lexicon lacks: any verb after a word of obligation or a cue ending in
    "to" ("Hospitals must reserve …", "are encouraged to bundle"), else a passive participle or a
    noun of action after the cue."""
    v = verb_words("en")
    if v.regex("obliged").fullmatch(cue) or v.regex("infinitive").fullmatch(cue.split()[-1]):
        m = _verb_after("en").match(text, p + 1, s1) if text[p : p + 1].isspace() else None
        if m:
            return m.group(1).lower(), m.start(1)
    return _passive_verb(text, p, s1)


def _resting_hit(text: str, s0: int, s1: int, body0: int, lang: str) -> Optional[DirectiveHit]:
    """5. English: a duty named as a noun, then the body it rests with ("Responsibility for
    checking the lists lies with the ward"), or the tasks of the sentence before continued ("This
    includes reviewing …"): the -ing word is the task."""
    w = clause_words(lang)
    m = w.compose(r"<<duty_nouns>>\s+(\w+ing)\b").match(text, body0, s1) if lang == "en" else None
    if m is not None and w.regex("rests_with").search(text, m.end(), s1) is not None:
        return DirectiveHit(s0, s1, m.group(1).lower(), m.start(1), 0.7, "duty")
    m = w.compose(r"<<task_continuation>>\s+(\w+ing)\b").match(text, body0, s1) if lang == "en" else None
    return DirectiveHit(s0, s1, m.group(1).lower(), m.start(1), 0.65, "duty") if m else None


def _item_infinitive(text: str, s0: int, s1: int, body0: int, lang: str) -> Optional[DirectiveHit]:
    """English task-list item in the infinitive, as translated portal pages write it: "The
    Quang Ninh Power Company to restore the electricity …" (a name, "to", a verb)."""
    if lang != "en" or not text[s0:s1].rstrip().endswith((".", ";")):
        return None  # a headline ("HCM City to cut seven departments") has no full stop
    m = _ITEM_INF().match(text, body0, s1)
    return DirectiveHit(s0, s1, m.group(1).lower(), m.start(1), 0.6, "item") if m else None


@lru_cache(maxsize=None)
def _ITEM_INF() -> re.Pattern:
    w = clause_words("en")
    word = rf"(?:[A-Z][\w'’.&-]*|and|of|the|for|[-–,]|{w.regex('addressees').pattern})"
    inf = verb_words("en").regex("infinitive").pattern
    lead = trie_regex([x for x in name_words("en").words("starters") if x not in ("The", "A", "An")])
    return re.compile(rf"(?:the\s+)?(?!(?:{lead})\s)[A-Z][\w'’.&-]*(?:\s*{word}){{0,20}}?\s+(?:{inf})\s+(?:{_verb_after('en').pattern})")


def _report_marker(head: str, lang: str) -> Optional[re.Match]:
    """The first word that marks a report, not counting a speaker's verb (what was said is the
    clause: "Officials said Resolution 57 must be implemented") or an auxiliary of an asking verb
    ("has proposed that …")."""
    say, ask = clause_words(lang).regex("say"), _rx(lang, "assign")
    return next((m for m in _rx(lang, "report").finditer(head) if not say.fullmatch(m.group(0)) and not ask.match(head, m.end() + 1)), None)


def _duty(cue: str) -> bool:
    """A duty phrase ("chịu trách nhiệm", "is responsible"): any verb after it is the task."""
    return clause_words("vi").regex("assigned").fullmatch(cue) is not None


def _vi_cue(key: str, text: str, body0: int, s1: int, start: int = 0) -> Optional[re.Match]:
    """The first Vietnamese ``key`` cue from ``body0 + start`` that is a word of its own ("giao",
    not the syllable of "bàn giao" or "giao thông")."""
    from .clause import _whole_vi_word

    return next((m for m in _rx("vi", key).finditer(text, body0 + start, s1) if _whole_vi_word(text, m, s1)), None)


def _vi_assign(text: str, body0: int, s1: int) -> Optional[re.Match]:
    """The first Vietnamese asking or duty cue, relative to ``body0``; none after "đã" (a report)."""
    m = _vi_cue("assign", text, body0, s1)
    if m is None or _past(text[body0 : m.start()] + " ", "vi"):
        return None
    return re.compile(re.escape(m.group(0))).search(text[body0:s1], m.start() - body0)


def _speech_hit(text: str, s0: int, s1: int, body0: int, lang: str) -> Optional[DirectiveHit]:
    """5. a speaker asks for action: "requested that the city continue to …", "Thủ tướng yêu cầu …"."""
    sp = _rx(lang, "speech").search(text[body0:s1]) if lang != "vi" else _vi_cue("speech", text, body0, s1)
    if not sp:
        return None
    after_at = body0 + sp.end() if lang != "vi" else sp.end()
    if lang == "vi":
        v, vs = head_verb(text, after_at, s1, lang)
        return DirectiveHit(s0, s1, v, vs, 0.6, "speech") if v and vs - after_at < 60 else None
    if clause_words(lang).compose(r"\b<<earlier_order>>\s+$").search(text, max(body0, body0 + sp.start() - 20), body0 + sp.start()):
        return None  # "the Prime Minister had directed localities to …": an earlier order as background
    to = "|to" if _SPEECH_TO.search(sp.group(0)) else ""
    mm = re.match(rf"\s*(?:that\s)?(?:the\s)?[\w\s,'’]{{0,60}}?\s(?:should|must|need to|needs to|has to|continue|continues|focus|focuses{to})\b", text[after_at:s1], re.IGNORECASE)
    if not mm:
        return None
    v, vs = head_verb(text, after_at + mm.end() - len(mm.group(0).split()[-1]), s1, lang)
    return DirectiveHit(s0, s1, v, vs, 0.65, "speech") if v else None


_SUBJUNCTIVE = re.compile(r"[a-z]{3,}(?<!ed)(?<!ing)\b")
_NAMED = re.compile(r"\s*(?:the\s+)?(?:(?:[A-ZĐ][\w'’-]*|of|and|for)\s+){1,8}")


def _proposal_hit(text: str, s0: int, s1: int, body0: int, lang: str) -> Optional[DirectiveHit]:
    """English: a proposal put to a named body, its verb in the subjunctive ("the committee
    recommended that the Hanoi People's Council approve …"): the word right after the name, a
    listed task verb or any lower-case word that is not a past form or a gerund."""
    if lang != "en":
        return None
    m = clause_words(lang).regex("proposes_that").search(text, body0, s1)
    named = _NAMED.match(text, m.end(), s1) if m else None
    if named is None:
        return None
    v = _verb_regex(lang).match(text, named.end(), s1) or _SUBJUNCTIVE.match(text, named.end(), s1)
    return DirectiveHit(s0, s1, v.group(0).lower(), v.start(), 0.6, "speech") if v else None


def _speech_tagged(text: str, s0: int, s1: int, body0: int, lang: str, agencies: list[AgencyMention]) -> Optional[DirectiveHit]:
    """Vietnamese: "yêu cầu Công an tỉnh khẩn trương kết thúc …" where the task verb is not in the
    lexicon: the first word after the addressees that the tagger reads as a verb."""
    sp = _vi_cue("speech", text, body0, s1, 1) if lang == "vi" else None  # not an opening "Kết luận buổi họp, …"
    if sp is None or _past(text[body0 : sp.start()] + " ", lang):
        return None
    from .clause import tokens

    for t in tokens(text, sp.end(), min(s1, sp.end() + 80), lang):
        if any(a.start <= t.start < a.end for a in agencies) or t.text[:1].isupper():
            continue
        if " " in t.text and t.tag == "V":
            return DirectiveHit(s0, s1, t.text.lower(), t.start, 0.6, "speech")
    return None


@lru_cache(maxsize=None)
def _state_verb(lang: str) -> re.Pattern:
    """Right after the subject, a state or a report ("đã …", "has …", "still remains …")."""
    return re.compile(rf"(?:(?:{_alt(lang, 'state_adverbs')})\s)?(?:{_alt(lang, 'state_verbs')})", re.IGNORECASE)


@lru_cache(maxsize=None)
def _issue_verb(lang: str) -> re.Pattern:
    """Right after the subject, issuing a document ("vừa ban hành", "has just issued"); in
    Vietnamese only with its auxiliary (without it, "ban hành kế hoạch … trước ngày 15/3" is a task)."""
    aux = rf"(?:(?:{_alt(lang, 'issue_aux')})\s){{{1 if lang == 'vi' else 0},2}}"
    return re.compile(rf"{aux}(?:{_alt(lang, 'issue_verbs')})", re.IGNORECASE)


#: the shape of a named body before "will" / "sẽ" besides the listed subjects
_FUTURE_NAME = {"en": r"[A-Z][\w'’]+(?:\s[A-Z][\w'’]+){0,6}", "vi": r"UBND[\w\s]{0,20}?"}


@lru_cache(maxsize=None)
def _future(lang: str) -> re.Pattern:
    """A body's commitment in the future tense: "the city will …", "tỉnh sẽ tiếp tục …"."""
    lead = r"\b" if lang == "en" else ""
    return re.compile(
        rf"{lead}(?:{_alt(lang, 'future_subjects')}|{_FUTURE_NAME[lang]})\s(?:{_alt(lang, 'future_aux')})\s(?:(?:{_alt(lang, 'future_next')})\s)?",
        re.IGNORECASE,
    )


@lru_cache(maxsize=None)
def _alt(lang: str, key: str) -> str:
    return word_alternation(cues(lang).words("directive", key))


_SPEECH_TO = re.compile(r"request|ask|urg|call|direct|instruct|assign|task|order|told|requir", re.IGNORECASE)


@lru_cache(maxsize=None)
def _base_verbs() -> frozenset:
    return frozenset(v.split()[0].lower() for v in cues("en").words("directive", "verbs"))


def _is_past_form(word: str) -> bool:
    """"focused", "completed", "held" (a report) but not "speed", "need" or "cut" (base forms)."""
    w = word.lower().strip(",.;:")
    return (w.endswith("ed") or w in _irregular_past()) and w not in _base_verbs()


@lru_cache(maxsize=None)
def _irregular_past() -> frozenset:
    return frozenset(f.split()[0] for forms in verb_forms("en").values() for f in forms)


def _past(s: str, lang: str) -> bool:
    return clause_words(lang).compose(r"\b<<past_markers>>\s", 0).search(s) is not None


def _passive_verb(text: str, pos: int, end: int) -> tuple[Optional[str], Optional[int]]:
    m = re.compile(r"\s*(?:also\s)?(?:be\s)(?:\w+ly\s)?(\w+ed|\w+en|built|made|done)\b", re.IGNORECASE).match(text, pos, end)
    if m:
        return m.group(1).lower(), m.start(1)
    m = re.compile(r"\s*(?:be\s)?(?:a\s|an\s)?(?:\w+\s){0,2}?(\w+(?:ment|tion|ing))\b", re.IGNORECASE).match(text, pos, end)
    if m:
        return m.group(1).lower(), m.start(1)
    return None, None
