"""The extraction pipeline: one article text in, one ``ArticleRecord`` out.

    >>> from directive_nlp import Pipeline
    >>> rec = Pipeline().extract("Sở KH&ĐT chủ trì triển khai Kế hoạch số 306/KH-UBND.", published="2022-11-30")
    >>> [r.id for r in rec.document_refs], rec.directives[0].verb
    (['306/KH-UBND'], 'chủ trì')

Stages run in a fixed order, each reading the raw text with offsets: segment -> document refs
-> dates (ids masked) -> agencies -> directive sentences -> targets and figures -> assembly.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable, Iterator, Optional

from .assemble import build_directive
from .errors import DirectiveNLPError, InputError, UnsupportedLanguage, article_error
from .extract.agencies import find_agencies, home_province
from .extract.dates import find_dates
from .extract.clause import not_a_directive, subject_clauses
from .extract.directives import classify
from .extract.docrefs import find_document_refs, find_short_refs
from .extract.relations import Article as RelationInput, extract_relations
from .extract.targets import find_targets
from .schema import LANGUAGES, Article, ArticleRecord, ErrorRecord, content_id
from .segment import detect_language, normalize, segment

#: the extractor sets a user can choose with ``--extractors``
EXTRACTOR_SETS = ("rules", "models", "ensemble")


class Pipeline:
    """Extracts every mention kind and the directive records of an article.

    ``lang`` forces the language (``vi``/``en``); ``extractors`` chooses rules, trained models or
    the configured ensemble (models fall back to rules, with a warning, when missing).
    """

    def __init__(self, lang: Optional[str] = None, extractors: str = "ensemble", models_dir: Optional[str] = None):
        if extractors not in EXTRACTOR_SETS:
            raise ValueError(f"extractors must be one of {EXTRACTOR_SETS}, not {extractors!r}")
        self.lang = lang
        self.extractors = extractors
        self.models_dir = models_dir
        self._models = None

    # -- public verbs --------------------------------------------------------------------
    def extract(
        self,
        text: str,
        published: Optional[str] = None,
        lang: Optional[str] = None,
        article_id: Optional[str] = None,
        url: Optional[str] = None,
        title: Optional[str] = None,
        input: Optional[str] = None,
    ) -> ArticleRecord:
        """Extract one article.  Raises ``InputError`` for an empty text and its subclass
        ``UnsupportedLanguage`` for a text (or a ``lang``) that is neither Vietnamese nor English."""
        text = normalize(text)
        source = input or article_id or "<text>"
        if not text.strip():
            raise InputError(source, "empty article text", code="empty")
        lang = lang or self.lang or detect_language(text, source)
        if lang not in LANGUAGES:
            raise UnsupportedLanguage(source, f"unsupported language: {lang}", code="language")
        article_id = article_id or content_id(text, prefix=f"{lang}-")
        published = published or _published_from_text(text, lang)
        return self._run(text, lang, article_id, published, url, title, input)

    def extract_article(self, article: Article) -> ArticleRecord:
        """Extract an ``Article``; problems become an error record instead of an exception."""
        try:
            return self.extract(article.text, article.published, article.lang, article.id, article.url, article.title, article.input)
        except InputError as exc:
            err = article_error(article, exc.reason, exc.code) if exc.source in (article.input, article.id) else exc.record()
            return error_record(article.id, err, text=article.text, input=article.input)

    def extract_many(self, articles: Iterable[Article]) -> Iterator[ArticleRecord]:
        for a in articles:
            yield self.extract_article(a)

    def load_models(self) -> bool:
        """Load the trained models now (once per pipeline) instead of on the first article;
        True when a model is in use, False when the rules decide everything."""
        return self._model_set() is not None

    # -- stages ------------------------------------------------------------------------------
    def _run(self, text, lang, article_id, published, url, title, input) -> ArticleRecord:
        segs = segment(text, lang)
        content = [(s.start, s.end) for s in segs if s.is_content]
        dated = [(s.start, s.end) for s in segs if s.is_content or s.kind == "dateline"]
        refs = find_document_refs(text, content, lang)
        refs += find_short_refs(text, content, lang, refs)
        refs.sort(key=lambda r: r.start)
        masked = [(r.start, r.end) for r in refs if r.id and ("/" in r.text or "-" in r.text)]
        dates = find_dates(text, dated, lang, published, masked)
        _link_issued_dates(text, refs, dates)
        home = home_province(text, lang)
        agencies = find_agencies(text, content, lang, home)
        models = self._model_set()
        sents = [replace(s, start=a, end=b, text=text[a:b]) for s in segs if s.is_content for a, b in subject_clauses(text, [(s.start, s.end)], lang, agencies)]
        hits = [classify(text, s.start, s.end, lang, agencies, s.kind) for s in sents]
        # targets follow the rules' own directive decisions, whatever extractor decides directives
        rule_directive_spans = {(h.start, h.end) for h in hits if h is not None}
        if models is not None:  # one model call per article, not per sentence
            hits = models.directives(text, [(s.start, s.end) for s in sents], lang, hits)
        # headlines, meeting accounts, issuing acts, purpose statements: never directives (issue 11)
        # (a one-line text has no headline: its line is the content)
        kinds = [s.kind if len(sents) > 1 else "body" for s in sents]
        hits = [None if h is not None and not_a_directive(text, h.start, h.end, lang, k) else h for h, k in zip(hits, kinds)]
        hits = [h for h in hits if h is not None]
        if models is not None:
            agencies = models.agencies(text, content, lang, agencies, home)
        targets, figures = find_targets(text, content, lang, dates, rule_directive_spans, published)
        directives = [build_directive(article_id, lang, text, h, agencies, refs, dates, targets, h_source(h)) for h in hits]
        subject, relations = extract_relations(RelationInput(article_id, text, lang, [(s.start, s.end) for s in sents], refs, dates, agencies, published))
        return ArticleRecord(
            id=article_id, lang=lang, published=published, url=url, title=title or _title(text), input=input, text=text,
            document_refs=refs, dates=dates, agencies=agencies, targets=targets, figures=figures, directives=directives,
            subject=subject, relations=relations,
        )

    def _model_set(self):
        if self.extractors == "rules":
            return None
        if self._models is None:
            from .models import load_model_set

            # False caches "no usable models": loading is tried once per pipeline, not per article
            self._models = load_model_set(self.models_dir, self.extractors) or False
        return self._models or None


def h_source(hit) -> str:
    return getattr(hit, "source", "rule")


def error_record(article_id: Optional[str], err: ErrorRecord, text: str = "", input: Optional[str] = None) -> ArticleRecord:
    """The record written for an input that could not be extracted."""
    return ArticleRecord(id=article_id or content_id(err.source, err.line, err.reason, prefix="err-"), text=text, input=input, errors=[err], status="error")


def _title(text: str) -> Optional[str]:
    first = text.strip().split("\n", 1)[0].strip()
    return first[:300] if first else None


def _link_issued_dates(text: str, refs, dates) -> None:
    """A date right after an id ("dated May 5, 2022", "ngày 5/5/2022") is its issue date."""
    for r in refs:
        for d in dates:
            if d.start >= r.end and d.start - r.end <= 30 and d.value and d.kind == "absolute":
                between = text[r.end : d.start]
                if re.fullmatch(r"\s*(?:,\s*)?(?:dated|issued on|signed on|ngày|ban hành ngày|ký ngày|of)?\s*(?:ngày\s*)?", between, re.IGNORECASE):
                    r.issued_date = d.value
                    d.role = "issued"
                break


_PUB_PATTERNS = [
    re.compile(r"(?:Ngày đăng|Đăng ngày|Cập nhật|Posted|Published|Updated)[:\s]*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", re.IGNORECASE),
    re.compile(r"^(?:Thứ \w+|Chủ nhật),?\s*(?:ngày\s)?(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", re.IGNORECASE | re.MULTILINE),
    re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*[|,-]?\s*\d{1,2}:\d{2}", re.MULTILINE),
]
_PUB_EN = re.compile(r"^\s*(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s(\d{1,2}),?\s(\d{4})\s*[/|,-]\s*\d{1,2}:\d{2}", re.MULTILINE)
_MONTHS = {m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


def _published_from_text(text: str, lang: str) -> Optional[str]:
    """The publication date from a dateline ("Ngày đăng 27/02/2023 | 6:37 AM", "Dec 14, 2017 / 20:28")."""
    head = text[:3000]
    for pat in _PUB_PATTERNS:
        m = pat.search(head)
        if m:
            d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    m = _PUB_EN.search(head)
    if m:
        return f"{int(m.group(3)):04d}-{_MONTHS[m.group(1).lower()]:02d}-{int(m.group(2)):02d}"
    return None


__all__ = ["Pipeline", "DirectiveNLPError", "error_record", "EXTRACTOR_SETS"]
