"""Typed document relations (EXTRACTION_SPEC.md section 6).

A sentence is read as a row of *nodes* (numbered references, the article's subject document and
words that point back to it, "Kế hoạch này" / "this plan") and the *gaps* between them.  The cue
nearest before a node (``lexicons/{vi,en}/relations.yaml``) types the edge that reaches it:

- ``A … cue B``: A acts on B ("306/KH-UBND về triển khai thực hiện … 16-CTr/TU"); a chain
  continues ("16-CTr/TU … thực hiện Nghị quyết 15-NQ/TW").  A passive word after the cue turns
  the edge round ("Decree 15 as amended by Decree 10": 10 amends 15).
- ``A …, cue B`` (a separator before the cue): B belongs to a new clause.  It shares A's source
  when A was itself reached by a cue ("implement Notice 95 …, successfully implement Resolution
  15"), or takes A when A opens the sentence or a relative word follows the separator.
- ``A, B and C`` with no cue between: co-listed.  They are never linked to each other; each one
  gets the relation its list head got.
- ``Cue A, … issued B`` (a fronted cue, "Căn cứ …" / "To implement …"): B acts on A.
- A sentence opening with a subject word ("The purpose is …") speaks of the subject document.

Everything here is mechanism; every word is lexicon data.

Example:
    >>> from directive_nlp.pipeline import Pipeline
    >>> rec = Pipeline(extractors="rules").extract(
    ...     "UBND TP ban hành Kế hoạch số 306/KH-UBND về triển khai thực hiện Chương trình hành động số 16-CTr/TU.")
    >>> [(r.source, r.relation, r.target) for r in rec.relations]
    [('306/KH-UBND', 'implements', '16-CTr/TU')]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional, Sequence

from ..lexicons import RELATION_KEYS, relations as relation_lexicon, word_alternation
from ..schema import AgencyMention, DateMention, DocumentRef, DocumentRelation, SubjectDocument
from .docrefs import noun_regex, noun_start, noun_type

_SEP = re.compile(r"[,;:]|\s[–—-]\s")
_NUMBER_WORD = re.compile(r"\s{0,3}(?:số|No\.?|Nos\.?)?\s{0,3}", re.IGNORECASE)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: the subject document is looked for in the first sentences of an article
SUBJECT_SENTENCES = 3


@dataclass(frozen=True)
class Node:
    """A document named in a sentence; ``head`` is where its noun phrase begins."""

    id: str
    start: Optional[int]
    end: Optional[int]
    head: int


@dataclass(frozen=True)
class Cue:
    relation: str  # "other" for a verb joining documents by none of the relations: no edge
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Gap:
    """What stands between two nodes."""

    cue: Optional[Cue] = None
    broken: bool = False  # a separator stands between the earlier node and the cue
    relative: bool = False  # ... but a relative word follows that separator
    passive: bool = False  # the cue is followed by a passive word: the edge turns round
    new_clause: bool = False  # a separator, then an issuing verb: a new document acts
    blocked: bool = False  # the cue belongs to an unnumbered document named before it: no edge


@dataclass(frozen=True)
class _Lex:
    cue: re.Pattern
    kinds: dict[str, str]
    passive: re.Pattern
    relative: re.Pattern
    issue: re.Pattern
    front: re.Pattern
    opener: re.Pattern
    review: re.Pattern
    anaphora: tuple[tuple[str, re.Pattern], ...]


@lru_cache(maxsize=None)
def _lex(lang: str) -> _Lex:
    data = relation_lexicon(lang)
    kinds = {w.casefold(): k for k in ("other", *reversed(RELATION_KEYS)) for w in data[k]}
    return _Lex(
        cue=_words(kinds),
        kinds=kinds,
        passive=re.compile(r"\s{0,3}" + word_alternation(data["passive"]), re.IGNORECASE),
        relative=re.compile(r"\s{0,3}" + word_alternation(data["relative"]), re.IGNORECASE),
        issue=_words(data["issue"]),
        front=re.compile(r"(?:" + word_alternation(data["front"]) + r")?[\s,]{0,3}", re.IGNORECASE),
        opener=re.compile(r"\W{0,3}" + word_alternation(data["subject_openers"]), re.IGNORECASE),
        review=_words(data["review"]),
        anaphora=_anaphora(lang, data["anaphora"]),
    )


def _words(words) -> re.Pattern:
    return re.compile(word_alternation(words), re.IGNORECASE)


def _anaphora(lang: str, table: dict[str, str]) -> tuple[tuple[str, re.Pattern], ...]:
    """One regex per position: the noun before (``after``), after (``before``) or opening the sentence."""
    noun = "(?P<noun>" + noun_regex(lang).pattern + ")"
    by_pos: dict[str, list[str]] = {}
    for word, pos in table.items():
        by_pos.setdefault(pos, []).append(word)
    out = []
    for pos, words in sorted(by_pos.items()):
        alt = word_alternation(words)
        src = {"after": noun + r"\s{1,3}" + alt, "before": alt + r"\s{1,3}" + noun}.get(pos, r"\W{0,3}(?:" + alt + r"\s{1,3})?" + noun)
        out.append((pos, re.compile(src, re.IGNORECASE)))
    if "start" not in by_pos:
        out.append(("start", re.compile(r"\W{0,3}" + noun, re.IGNORECASE)))
    return tuple(out)


# -- the article's subject document -----------------------------------------------------------------


@dataclass
class Article:
    """What relation finding reads of one article."""

    id: str
    text: str
    lang: str
    sentences: Sequence[tuple[int, int]]
    refs: Sequence[DocumentRef]
    dates: Sequence[DateMention] = ()
    agencies: Sequence[AgencyMention] = ()
    published: Optional[str] = None
    masked: str = field(init=False)
    ref_starts: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.refs = sorted(self.refs, key=lambda r: (r.start, r.end))
        self.ref_starts = [r.start for r in self.refs]
        chars = list(self.text)
        for d in self.dates:  # "dated May 5, 2022": a comma inside a date separates nothing
            chars[d.start : d.end] = " " * (d.end - d.start)
        self.masked = "".join(chars)


def find_subject(art: Article) -> Optional[SubjectDocument]:
    """The document the article reports as issued, from its first sentences.

    Numbered ("ban hành Kế hoạch số 306/KH-UBND"): its canonical id.  Without a number ("has
    just issued the Action Program to implement …"): a stable key from its type, issuer and
    date (``new:program:hanoi-people's-committee:2025-01-20``), or from the article id.
    """
    lex = _lex(art.lang)
    for s0, s1 in art.sentences[:SUBJECT_SENTENCES]:
        for verb in lex.issue.finditer(art.text, s0, s1):
            noun = _noun_after(art, verb.end(), s1)
            if noun is not None:
                return _subject(art, s0, verb.start(), noun)
    return None


def _noun_after(art: Article, pos: int, end: int) -> Optional[re.Match]:
    """A document noun within three words after ``pos`` with no punctuation between."""
    m = noun_regex(art.lang).search(art.text, pos, min(end, pos + 60))
    if m is None:
        return None
    between = art.text[pos : m.start()]
    if len(between.split()) > 3 or re.search(r"[^\w\s']", between) or _lex(art.lang).cue.search(between):
        return None  # "ban hành căn cứ Luật …": the law is the basis, not what was issued
    return m


def _subject(art: Article, s0: int, verb_at: int, noun: re.Match) -> SubjectDocument:
    ref = next((r for r in art.refs if r.id and noun.end() <= r.start <= noun.end() + 15), None)
    if ref is not None and _NUMBER_WORD.fullmatch(art.text[noun.end() : ref.start]):
        return SubjectDocument(id=ref.id, numbered=True, text=art.text[noun.start() : ref.end], start=noun.start(),
                               end=ref.end, doc_type=ref.doc_type, issuer=ref.issuer_name or ref.issuer,
                               issued_date=ref.issued_date, label=ref.id)
    return _new_subject(art, s0, verb_at, noun)


def _new_subject(art: Article, s0: int, verb_at: int, noun: re.Match) -> SubjectDocument:
    """A document reported without a number: keyed by type, issuer and date, else by the article."""
    doc_type = noun_type(noun.group(0), art.lang) or "document"
    issuer = _issuer(art, s0, verb_at)
    days = [d.value for d in art.dates if s0 <= d.start < verb_at and d.value and _ISO_DAY.match(d.value)]
    day = days[0] if days else art.published
    key = f"new:{doc_type}:{_slug(issuer)}:{day}" if issuer and day else f"new:{doc_type}:article:{art.id}"
    label = f"{noun.group(0)} ({', '.join(x for x in (issuer, day) if x) or art.id})"
    return SubjectDocument(id=key, numbered=False, text=noun.group(0), start=noun.start(), end=noun.end(),
                           doc_type=doc_type, issuer=issuer, issued_date=day, label=label)


def _issuer(art: Article, s0: int, verb_at: int) -> Optional[str]:
    before = [a for a in art.agencies if s0 <= a.start and a.end <= verb_at]
    return (before[-1].canonical or before[-1].name) if before else None


def _slug(name: str) -> str:
    return re.sub(r"\s+", "-", " ".join(name.casefold().split()))


# -- nodes and gaps ---------------------------------------------------------------------------------


def sentence_nodes(art: Article, s0: int, s1: int, subject: Optional[SubjectDocument]) -> list[Node]:
    """The documents of one sentence in text order: numbered references, the subject, anaphors."""
    lo = bisect_left(art.ref_starts, s0)
    hi = bisect_left(art.ref_starts, s1)
    refs = [r for r in art.refs[lo:hi] if r.id and r.end <= s1]
    nodes = [Node(r.id, r.start, r.end, max(s0, noun_start(art.text, r.start, art.lang))) for r in refs]
    if subject is not None:
        if not subject.numbered and s0 <= subject.start < s1:
            nodes.append(Node(subject.id, subject.start, subject.end, subject.start))
        nodes.extend(_anaphors(art, s0, s1, subject))
    nodes.sort(key=lambda n: (n.start, n.end))
    out: list[Node] = []
    for n in nodes:  # overlapping mentions: the first one wins
        if not out or n.start >= out[-1].end:
            out.append(n)
    return out


def _anaphors(art: Article, s0: int, s1: int, subject: SubjectDocument) -> list[Node]:
    out = []
    for pos, rx in _lex(art.lang).anaphora:
        found = [rx.match(art.text, s0, s1)] if pos == "start" else list(rx.finditer(art.text, s0, s1))
        for m in filter(None, found):
            a = m.start("noun") if pos == "start" else m.start()
            if _is_subject_noun(art, m.group("noun"), m.end(), subject):
                out.append(Node(subject.id, a, m.end(), a))
    return out


def _is_subject_noun(art: Article, noun: str, end: int, subject: SubjectDocument) -> bool:
    """The noun names the subject's type and is not followed by a number of its own."""
    if subject.doc_type and noun_type(noun, art.lang) != subject.doc_type:
        return False
    return not re.match(r"\s{0,3}(?:số|No\.?)?\s{0,3}\d", art.text[end : end + 12], re.IGNORECASE)


def read_gap(art: Article, a: int, b: int) -> Gap:
    """The cue nearest before ``b`` (typed first, else ``cites``), and how the clause runs."""
    lex = _lex(art.lang)
    seg = art.masked[a:b]
    found = list(lex.cue.finditer(seg))
    typed = [m for m in found if lex.kinds[m.group(0).casefold()] != "cites"]
    m = (typed or found or [None])[-1]
    issue = list(lex.issue.finditer(seg))
    if issue and _SEP.search(seg, 0, issue[-1].start()) and (m is None or m.start() < issue[-1].start()):
        return Gap(new_clause=True)
    if m is None or _object_elsewhere(seg[m.end() :], art.lang):
        return Gap()
    if _noun_before_cue(seg[: m.start()], art.lang):
        return Gap(blocked=True)
    return _cued_gap(art, a, seg, m, single=len(found) == 1)


def _cued_gap(art: Article, a: int, seg: str, m: re.Match, single: bool) -> Gap:
    """The gap's cue with the clause breaks before it and a passive word after it."""
    lex = _lex(art.lang)
    seps = list(_SEP.finditer(seg, 0, m.start()))
    coordinated = _AND_BEFORE.search(seg, 0, m.start()) if single and not seps else None
    if coordinated:  # "… và thay thế B": a second predicate of the same actor
        seps = [coordinated]
    kind = lex.kinds[m.group(0).casefold()]
    if kind == "implements" and lex.review.search(seg, seps[-1].end() if seps else 0, m.start()):
        kind = "cites"
    cue = Cue(kind, a + m.start(), a + m.end(), art.text[a + m.start() : a + m.end()])
    relative = bool(seps) and lex.relative.match(seg, seps[-1].end()) is not None
    if relative and noun_regex(art.lang).search(seg, 0, seps[-1].start()):
        return Gap(blocked=True)  # "…, which …" after "the master programme": the programme acts
    return Gap(cue, bool(seps), relative, lex.passive.match(seg, m.end()) is not None)


_AND_BEFORE = re.compile(r"(?<!\w)(?:và|and|đồng thời)\s*$", re.IGNORECASE)
_COORDINATED = re.compile(r"(?:[,;]|(?<!\w)(?:và|and)(?!\w))(?:\s+\S+){0,3}\s*$", re.IGNORECASE)


def _object_elsewhere(after: str, lang: str) -> bool:
    """The cue acts on something named after it, which is listed with the next document
    ("detailing the law and Decree 88", "về thực hiện cơ chế một cửa … và Quyết định 985")."""
    tail = _COORDINATED.search(after)
    if tail is None:
        return False
    head = after[: tail.start()]
    return noun_regex(lang).search(head) is not None or (len(head.split()) >= 3 and tail.group(0).strip()[:1] not in ",;")


def _noun_before_cue(before: str, lang: str) -> bool:
    """An unnumbered document, listed after the earlier one, stands right before the cue: it acts,
    not the earlier document ("Luật … và các nghị định hướng dẫn").  A noun in the earlier
    document's own title ("Nghị quyết 78 về Chương trình hành động thực hiện …") does not block."""
    last = None
    for last in noun_regex(lang).finditer(before):
        pass
    if last is None or len(before[last.end() :].split()) > 1 or re.search(r"[\d/]", before[last.end() :]):
        return False
    return re.search(r"[,;]|(?<!\w)(?:và|and)(?!\w)", before[: last.start()], re.IGNORECASE) is not None


# -- one sentence -----------------------------------------------------------------------------------


@dataclass
class _Reach:
    """How a node was reached: from which sources, by which cue."""

    sources: list[Node]
    cue: Cue
    passive: bool


class _Sentence:
    """Walks the nodes of one sentence left to right (see the module docstring)."""

    def __init__(self, art: Article, s0: int, s1: int, nodes: list[Node], subject: Optional[SubjectDocument]):
        self.art, self.s0, self.s1, self.nodes, self.subject = art, s0, s1, nodes, subject
        self.reach: dict[int, _Reach] = {}
        self.heads: list[int] = []  # co-listed nodes that nothing reached: the sentence's actors
        self.front: Optional[tuple[Cue, list[int]]] = None  # a fronted cue waiting for its actor
        self.done_front: Optional[tuple[Cue, list[int]]] = None  # ... and once its actor came
        self.out: list[DocumentRelation] = []

    def run(self) -> list[DocumentRelation]:
        for i, n in enumerate(self.nodes):
            a = self.s0 if i == 0 else self.nodes[i - 1].end
            gap = read_gap(self.art, a, max(a, n.head))
            self._first(gap) if i == 0 else self._step(i, gap)
        self._finish()
        return self.out

    def _first(self, gap: Gap) -> None:
        if gap.blocked:
            return
        if gap.cue is None:
            self.heads = [0]
        elif self._fronted(gap.cue):
            self.front = (gap.cue, [0])
        elif self.subject is not None and self.subject.id != self.nodes[0].id and self._opens_on_subject(gap.cue):
            self._link([self._implied()], 0, gap)

    def _step(self, i: int, gap: Gap) -> None:
        p = i - 1
        if gap.blocked:
            return
        if gap.new_clause:
            self.heads = [i]
            if self.front is not None:
                self.done_front, self.front = self.front, None
            self._apply_front(i)
        elif gap.cue is not None:
            self._cued(i, p, gap)
        elif p in self.reach:  # co-listed with an object: the same source acts on it
            r = self.reach[p]
            self._link(r.sources, i, Gap(r.cue, passive=r.passive))
        elif p in self.heads:
            self.heads.append(i)
            self._apply_front(i)
        elif self.front is not None and p in self.front[1]:
            self.front[1].append(i)

    def _cued(self, i: int, p: int, gap: Gap) -> None:
        if not gap.broken or gap.relative:
            sources = [self.nodes[h] for h in self.heads] if p in self.heads else [self.nodes[p]]
            self._link(sources, i, gap)
        elif p in self.reach:  # a parallel clause: "implement A …, successfully implement B"
            self._link(self.reach[p].sources, i, gap)
        elif p in self.heads and self._is_topic(self.heads[0]) and not self._actor_between(p, gap.cue):
            self._link([self.nodes[h] for h in self.heads], i, gap)

    def _finish(self) -> None:
        if self.front is None or self.subject is None or any(n.id == self.subject.id for n in self.nodes):
            return
        cue, targets = self.front
        if _lex(self.art.lang).issue.search(self.art.text, self.nodes[targets[-1]].end, self.s1):
            for t in targets:
                self._emit(self._implied(), self.nodes[t], cue, False)

    # -- helpers --------------------------------------------------------------------------------

    def _apply_front(self, i: int) -> None:
        """The actor of a fronted cue (and each actor listed with it) acts on its targets."""
        if self.done_front is not None:
            cue, targets = self.done_front
            for t in targets:
                self._emit(self.nodes[i], self.nodes[t], cue, False)

    def _link(self, sources: list[Node], i: int, gap: Gap) -> None:
        assert gap.cue is not None
        self.reach[i] = _Reach(sources, gap.cue, gap.passive)
        for s in sources:
            self._emit(s, self.nodes[i], gap.cue, gap.passive)

    def _emit(self, src: Node, dst: Node, cue: Cue, passive: bool) -> None:
        if passive:
            src, dst = dst, src
        if src.id == dst.id or dst.start is None or cue.relation == "other":
            return
        rel = DocumentRelation(
            source=src.id, target=dst.id, relation=cue.relation, cue=cue.text, cue_start=cue.start, cue_end=cue.end,
            source_start=src.start, source_end=src.end, target_start=dst.start, target_end=dst.end,
            sentence=self.art.text[self.s0 : self.s1], sentence_start=self.s0,
        )
        if all((o.source, o.target, o.relation) != (rel.source, rel.target, rel.relation) for o in self.out):
            self.out.append(rel)

    def _implied(self) -> Node:
        assert self.subject is not None
        return Node(self.subject.id, None, None, self.s0)

    def _fronted(self, cue: Cue) -> bool:
        lead = self.art.text[self.s0 : cue.start]
        return cue.relation not in ("cites", "other") and _lex(self.art.lang).front.fullmatch(lead.strip()) is not None

    def _opens_on_subject(self, cue: Cue) -> bool:
        return _lex(self.art.lang).opener.match(self.art.text, self.s0, cue.start) is not None

    def _is_topic(self, i: int) -> bool:
        """The node is what the sentence is about: it opens it, is the article's subject, or is
        the document the sentence reports as issued."""
        lead = self.art.text[self.s0 if i == 0 else self.nodes[i - 1].end : self.nodes[i].head]
        if len(self.art.text[self.s0 : self.nodes[i].head].split()) <= 3:
            return True
        if self.subject is not None and self.nodes[i].id == self.subject.id:
            return True
        return _lex(self.art.lang).issue.search(lead) is not None

    def _actor_between(self, p: int, cue: Cue) -> bool:
        """An agency after the last separator before the cue: another actor took over."""
        a = self.nodes[p].end
        seps = list(_SEP.finditer(self.art.masked, a, cue.start))
        lo = seps[-1].end() if seps else a
        return any(lo <= g.start and g.end <= cue.start for g in self.art.agencies)


def find_relations(art: Article, subject: Optional[SubjectDocument] = None) -> list[DocumentRelation]:
    """Every typed relation the article states, with its evidence, in text order."""
    out: list[DocumentRelation] = []
    for s0, s1 in art.sentences:
        nodes = sentence_nodes(art, s0, s1, subject)
        if len(nodes) >= 2 or (nodes and subject is not None):
            out.extend(_Sentence(art, s0, s1, nodes, subject).run())
    return out


def extract_relations(art: Article) -> tuple[Optional[SubjectDocument], list[DocumentRelation]]:
    """The article's subject document and its relations."""
    subject = find_subject(art)
    return subject, find_relations(art, subject)


def record_relations(rec) -> tuple[Optional[SubjectDocument], list[DocumentRelation]]:
    """Subject and relations of an extract record read from a file: the record's own when it has
    them, else found again from its text and mentions (records written before schema 1.1)."""
    if "relations" in rec.model_fields_set or "subject" in rec.model_fields_set:
        return rec.subject, list(rec.relations)
    if not rec.text:
        return None, []
    from ..segment import segment

    sents = [(s.start, s.end) for s in segment(rec.text, rec.lang or "vi") if s.is_content]
    art = Article(rec.id, rec.text, rec.lang or "vi", sents, rec.document_refs, rec.dates, rec.agencies, rec.published)
    return extract_relations(art)


def directive_relation(text: str, lang: str, start: int, ref_start: int) -> str:
    """How a directive starting at ``start`` refers to the document at ``ref_start``: the typed
    cue before the reference ("triển khai thực hiện Nghị quyết 15" -> implements), else ``cites``.

    Example:
        >>> t = "Các sở triển khai thực hiện Nghị quyết số 15-NQ/TW."
        >>> directive_relation(t, "vi", 0, t.index("15-"))
        'implements'
    """
    art = Article("", text, lang, [], [])
    gap = read_gap(art, start, max(start, noun_start(text, ref_start, lang)))
    return gap.cue.relation if gap.cue is not None and gap.cue.relation in RELATION_KEYS else "cites"
