"""The ensemble of rules and trained models the pipeline calls (``Pipeline(extractors=...)``).

``models/ensemble.yaml`` says, per field and language, who decides: ``rules``, ``model`` or
``union`` (the rules plus what the model adds).  ``--extractors models`` makes the models decide
every field they cover; ``--extractors ensemble`` follows the file.  A model that is missing,
corrupt or made for another label set is skipped with a warning, and the rules carry on.

    >>> from directive_nlp import Pipeline
    >>> rec = Pipeline(extractors="ensemble").extract("The city must speed up site clearance.", lang="en")
    >>> len(rec.directives)
    1
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Optional

from ..errors import ModelError
from ..extract.directives import DirectiveHit, task_verb
from ..schema import AgencyMention
from .classifier import DirectiveClassifier, Example
from .config import EnsembleConfig
from .ranker import AgencyRanker

log = logging.getLogger("directive_nlp.models")

CONFIG_FILE = "ensemble.yaml"


def model_hit(text: str, s0: int, s1: int, lang: str, confidence: float, source: str) -> DirectiveHit:
    """A directive hit the model decided on, with the head verb the rules' verb finder sees."""
    v, vs = task_verb(text, s0, s1, lang)
    hit = DirectiveHit(s0, s1, v, vs, round(confidence, 4), "model")
    hit.source = source  # type: ignore[attr-defined]
    return hit


class ModelSet:
    """The loaded models and the ensemble configuration; the pipeline's model hooks."""

    def __init__(self, config: EnsembleConfig, extractors: str, classifier: Optional[DirectiveClassifier] = None, agency_model=None):
        self.config = config
        self.extractors = extractors
        self.classifier = classifier
        self.agency_model = agency_model  # the span ranker or the span tagger, as ensemble.yaml names

    @classmethod
    def load(cls, base: Path, extractors: str) -> Optional["ModelSet"]:
        """Load the models ``extractors`` needs from ``base``; None (rules only) when none is usable."""
        base = Path(base)
        try:
            config = EnsembleConfig.load(base / CONFIG_FILE)
        except ModelError as exc:
            log.warning("%s; using the rules", exc)
            return None
        needed = {
            f: any(config.mode(f, lang, extractors) != "rules" for lang in ("vi", "en")) for f in ("directives", "agencies")
        }
        classifier = agency_model = None
        if needed["directives"]:
            name = config.model_name("directives", DirectiveClassifier.name)
            try:
                classifier = DirectiveClassifier.load(base / name)
            except ModelError as exc:
                log.warning("directive classifier not used: %s; the rules decide directives", exc)
        if needed["agencies"]:
            agency_model = load_agency_model(base, config.model_name("agencies", AgencyRanker.name))
        if classifier is None and agency_model is None:
            return None
        return cls(config, extractors, classifier, agency_model)

    # -- hooks the pipeline calls ------------------------------------------------------------------
    def directive(self, text: str, s0: int, s1: int, lang: str, hit: Optional[DirectiveHit]) -> Optional[DirectiveHit]:
        """The ensemble's decision on one content sentence (``hit`` is the rules' decision)."""
        return self.directives(text, [(s0, s1)], lang, [hit])[0]

    def directives(
        self, text: str, spans: list[tuple[int, int]], lang: str, hits: list[Optional[DirectiveHit]]
    ) -> list[Optional[DirectiveHit]]:
        """The ensemble's decisions on all content sentences of an article, in one model call."""
        mode = self.config.mode("directives", lang, self.extractors)
        if mode == "rules" or self.classifier is None:
            return list(hits)
        ask = [i for i, h in enumerate(hits) if not (mode == "union" and h is not None)]
        probs = self.classifier.proba_many([Example(text[spans[i][0] : spans[i][1]], lang, hits[i]) for i in ask])
        out = list(hits)
        for i, p in zip(ask, probs):
            out[i] = self._decide(text, spans[i][0], spans[i][1], lang, hits[i], float(p), mode)
        return out

    def _decide(self, text: str, s0: int, s1: int, lang: str, hit: Optional[DirectiveHit], p: float, mode: str) -> Optional[DirectiveHit]:
        if p < self.config.threshold("directives", lang, extractors=self.extractors):
            return None if mode == "model" else hit
        if hit is not None:  # the model agrees: keep the rules' verb, the model decided
            hit.source = self.classifier.name  # type: ignore[attr-defined]
            hit.confidence = round(p, 4)
            return hit
        return model_hit(text, s0, s1, lang, p, self.classifier.name)

    def agencies(self, text: str, content: list[tuple[int, int]], lang: str, agencies: list[AgencyMention], home: Optional[str]) -> list[AgencyMention]:
        """The final agency mentions: the rules' or, where configured, the agency model's decision."""
        mode = self.config.mode("agencies", lang, self.extractors)
        if mode == "rules" or self.agency_model is None:
            return agencies
        threshold = self.config.threshold("agencies", lang, extractors=self.extractors)
        return self.agency_model.decide_agencies(text, content, lang, agencies, home, threshold, mode)


def load_agency_model(base: Path, name: str):
    """The agency model ``ensemble.yaml`` names (``ranker`` or ``tagger``), or None with a warning."""
    try:
        if name == AgencyRanker.name:
            return AgencyRanker.load(base / name)
        from .tagger import SpanTagger

        return SpanTagger.load(base / name)
    except (ModelError, ImportError) as exc:
        log.warning("agency model %r not used: %s; the rules find agencies", name, exc)
        return None
