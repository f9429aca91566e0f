"""Load the lexicon data files once per process and compile them into bounded regexes.

The data lives beside this module as YAML (``shared/``, ``vi/``, ``en/``); nothing here knows a
Vietnamese or English word.  Every regex built here is made of bounded quantifiers and literal
alternations compiled as a trie, so matching stays linear in the input length.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Iterator, Optional

import yaml

from ..errors import LexiconError
from ..schema import LANGUAGES

LANGS = LANGUAGES
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(relpath: str) -> Any:
    try:
        text = resources.files(__package__).joinpath(relpath).read_text(encoding="utf-8")
    except FileNotFoundError as exc:  # pragma: no cover - packaging error
        raise LexiconError(f"lexicon file missing: {relpath}") from exc
    try:
        return yaml.load(text, Loader=_SAFE_LOADER)  # the safe loader, in C where libyaml is there
    except yaml.YAMLError as exc:
        raise LexiconError(f"{relpath}: invalid YAML: {exc}") from exc


def trie_regex(words: Iterable[str]) -> str:
    """A regex source matching any of ``words`` (longest first), built as a character trie.

    A trie keeps the alternation linear: at each position the engine follows one branch per
    character instead of trying every word.  The source depends only on the set of words, and is
    built once per set (callers ask for the same cue list on every sentence).
    """
    return _trie_source(frozenset(words))


@lru_cache(maxsize=512)
def _trie_source(words: frozenset) -> str:
    trie: dict = {}
    for w in words:
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


def word_alternation(words: Iterable[str]) -> str:
    """``trie_regex`` wrapped so that it only matches whole words."""
    src = trie_regex(words)
    return rf"(?<![\w]){src}(?![\w])" if src else r"(?!x)x"


def entry_words(node: Any, where: str = "") -> list[str]:
    """The words of a lexicon entry, written either as a plain list or as a mapping
    ``{words: [...], examples: [...]}`` (the examples are checked by ``tests/test_lexicons.py``).

        >>> entry_words({"words": ["giao"], "examples": ["UBND tỉnh giao Sở Tài chính"]})
        ['giao']
        >>> entry_words(["giao", "yêu cầu"])
        ['giao', 'yêu cầu']
    """
    if isinstance(node, dict) and "words" in node:
        node = node["words"]
    if isinstance(node, dict):
        return [str(w) for w in node]
    if not isinstance(node, list):
        raise LexiconError(f"{where}: expected a list of words or {{words, examples}}")
    return [str(w) for w in node]


def entry_examples(node: Any) -> list[str]:
    """The ``examples:`` of a lexicon entry (empty for a plain list)."""
    return list(node.get("examples", [])) if isinstance(node, dict) else []


def lexicon_files(lang: str) -> list[str]:
    """The YAML files of one language folder, as paths relative to this package."""
    folder = resources.files(__package__).joinpath(lang)
    return sorted(f"{lang}/{p.name}" for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_yaml(relpath: str) -> Any:
    """One lexicon YAML file, parsed (a clear ``LexiconError`` when missing or invalid)."""
    return _load(relpath)


@dataclass
class Cues:
    """The cue lists of one language, each also compiled as a whole-word regex."""

    lang: str
    data: dict[str, Any]
    _compiled: dict[str, re.Pattern] = field(default_factory=dict)

    def words(self, section: str, key: str) -> list[str]:
        try:
            return entry_words(self.data[section][key], f"{self.lang}/cues.yaml {section}.{key}")
        except KeyError as exc:
            raise LexiconError(f"{self.lang}/cues.yaml: missing {section}.{key}") from exc

    def regex(self, section: str, key: str) -> re.Pattern:
        k = f"{section}.{key}"
        if k not in self._compiled:
            self._compiled[k] = re.compile(word_alternation(self.words(section, key)), re.IGNORECASE)
        return self._compiled[k]

    def mapping(self, section: str, key: str) -> dict[str, Any]:
        node = self.data[section][key]
        return dict(node["words"] if isinstance(node, dict) and "words" in node else node)


@lru_cache(maxsize=None)
def cues(lang: str) -> Cues:
    if lang not in LANGS:
        raise LexiconError(f"no cue lexicon for language {lang!r}")
    return Cues(lang, _load(f"{lang}/cues.yaml"))


# -- numeric targets (issue 13) -------------------------------------------------------------


@lru_cache(maxsize=None)
def target_cues(lang: str) -> Cues:
    """The cue words and unit tables of numeric targets (``{lang}/targets.yaml``), read through
    ``Cues`` as its one section ``targets``."""
    if lang not in LANGS:
        raise LexiconError(f"no target lexicon for language {lang!r}")
    return Cues(lang, {"targets": _load(f"{lang}/targets.yaml")})


@lru_cache(maxsize=None)
def documents() -> dict[str, Any]:
    data = _load("shared/documents.yaml")
    for key in ("type_codes", "issuer_codes", "ascii_codes", "nouns"):
        if key not in data:
            raise LexiconError(f"shared/documents.yaml: missing {key}")
    return data


@lru_cache(maxsize=None)
def provinces() -> list[dict[str, Any]]:
    return list(_load("shared/provinces.yaml")["provinces"])


@lru_cache(maxsize=None)
@lru_cache(maxsize=None)
def dates(lang: str) -> dict[str, Any]:
    """The date words of a language; ``{words, examples}`` entries are read as their word lists."""
    data = _load(f"{lang}/dates.yaml")
    return {k: entry_words(v) if isinstance(v, dict) and "words" in v else v for k, v in data.items()}


@dataclass(frozen=True)
class AgencyEntry:
    canonical: str
    #: "national" | "local" | "provincial" | "bare" (a provincial body named without its province)
    scope: str
    province: Optional[str] = None
    template: Optional[str] = None
    kind: str = "agency"


#: canonical names of national/local gazetteer entries left out (ablations, ranker training)
_HELD_OUT: frozenset = frozenset()


def held_out() -> frozenset:
    """The canonical names the gazetteer currently leaves out (empty outside ``holding_out``)."""
    return _HELD_OUT


@contextmanager
def holding_out(canonicals: Iterable[str]) -> Iterator[None]:
    """Within the block, the gazetteer lacks the national and local entries with these canonical
    names (the shipped file is untouched): how the ablation and the ranker's training see the rules
    meet bodies they do not know.

        >>> with holding_out(["Politburo"]):
        ...     "Politburo" in agency_names("en")
        False
        >>> "Politburo" in agency_names("en")
        True
    """
    global _HELD_OUT
    before = _HELD_OUT
    _HELD_OUT = frozenset(canonicals)
    try:
        yield
    finally:
        _HELD_OUT = before


def gazetteer_entries() -> list[dict[str, Any]]:
    """The national and local entries of the gazetteer file (as written)."""
    data = _load("shared/agencies.yaml")
    return [e for scope in ("national", "local") for e in data[scope]]


def agency_names(lang: str) -> dict[str, AgencyEntry]:
    """Every agency name of a language -> its entry.  Vietnamese keys are case-folded."""
    return _agency_names(lang, _HELD_OUT)


@lru_cache(maxsize=8)
def _agency_names(lang: str, held: frozenset) -> dict[str, AgencyEntry]:
    data = _load("shared/agencies.yaml")
    out: dict[str, AgencyEntry] = {}
    fold = (lambda s: s.casefold()) if lang == "vi" else (lambda s: s)

    def add(name: str, entry: AgencyEntry) -> None:
        key = fold(name)
        if key in out and out[key] != entry and out[key].scope != "bare":
            return  # first entry wins: the file lists the more specific sense first
        out[key] = entry

    for scope in ("national", "local"):
        for e in data[scope]:
            if e["canonical"] in held:
                continue
            entry = AgencyEntry(e["canonical"], scope, kind=e.get("kind", "agency"))
            for name in e.get(lang, []):
                add(name, entry)
    for e in data["provincial"]:
        for prov in provinces():
            p_names = prov["vi"] if lang == "vi" else [prov["en"], *prov.get("en_alt", [])]
            canonical = e["canonical"].replace("{P}", prov["en"])
            entry = AgencyEntry(canonical, "provincial", province=prov["en"], template=e["canonical"])
            for tmpl in e.get(lang, []):
                for p in p_names:
                    add(tmpl.replace("{Pvi}", p).replace("{P}", p), entry)
        for name in e.get(f"bare_{lang}", []):
            add(name, AgencyEntry(e["canonical"], "bare", template=e["canonical"]))
    return out


def agency_regex(lang: str) -> re.Pattern:
    return _agency_regex(lang, _HELD_OUT)


@lru_cache(maxsize=8)
def _agency_regex(lang: str, held: frozenset) -> re.Pattern:
    names = _agency_names(lang, held)
    flags = re.IGNORECASE if lang == "vi" else 0
    return re.compile(word_alternation(names), flags)


@lru_cache(maxsize=None)
def province_regex(lang: str) -> re.Pattern:
    names: list[str] = []
    for p in provinces():
        names.extend(p["vi"] if lang == "vi" else [p["en"], *p.get("en_alt", [])])
    return re.compile(word_alternation(names))


@lru_cache(maxsize=None)
def province_by_name(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in provinces():
        for n in p["vi"] if lang == "vi" else [p["en"], *p.get("en_alt", [])]:
            out[n] = p["en"]
    return out


# -- document relations (lexicons/{vi,en}/relations.yaml; EXTRACTION_SPEC.md section 6) -----------

#: the typed relations, strongest first; ``cites`` is the untyped fallback
RELATION_KEYS = ("implements", "amends", "replaces", "guides", "based_on", "cites")


@lru_cache(maxsize=None)
def relations(lang: str) -> dict[str, list[str]]:
    """The relation cue lists of one language: ``{key: [words]}`` (a mapping entry keeps its values)."""
    if lang not in LANGS:
        raise LexiconError(f"no relation lexicon for language {lang!r}")
    data = _load(f"{lang}/relations.yaml")
    out: dict[str, Any] = {}
    for key, node in data.items():
        words = node.get("words") if isinstance(node, dict) else None
        out[key] = dict(words) if isinstance(words, dict) else entry_words(node, f"{lang}/relations.yaml {key}")
    missing = [k for k in RELATION_KEYS if k not in out]
    if missing:
        raise LexiconError(f"{lang}/relations.yaml: missing {', '.join(missing)}")
    return out


# -- clause reading (issue 11: records): lexicons/<lang>/clauses.yaml ---------------------------


@dataclass
class WordLists:
    """The entries of one flat lexicon file, each also compiled as a whole-word regex."""

    path: str
    data: dict[str, Any]
    _compiled: dict[str, re.Pattern] = field(default_factory=dict)

    def words(self, key: str) -> list[str]:
        if key not in self.data:
            raise LexiconError(f"{self.path}: missing {key}")
        return entry_words(self.data[key], f"{self.path} {key}")

    def regex(self, key: str) -> re.Pattern:
        if key not in self._compiled:
            self._compiled[key] = re.compile(word_alternation(self.words(key)), re.IGNORECASE)
        return self._compiled[key]

    def compose(self, template: str, flags: int = re.IGNORECASE) -> re.Pattern:
        """A pattern built from entries, compiled once: ``<<future>>`` in ``template`` stands for
        the ``future`` entry's words ("will", "sẽ" …).

            >>> bool(WordLists("x", {"future": ["will"]}).compose(r"<<future>>\\s*$").search("the city will "))
            True
        """
        key = f"{flags}:{template}"
        if key not in self._compiled:
            body = re.sub(r"<<(\w+)>>", lambda m: "(?:" + self.regex(m.group(1)).pattern + ")", template)
            self._compiled[key] = re.compile(body, flags)
        return self._compiled[key]


@lru_cache(maxsize=None)
def clause_words(lang: str) -> WordLists:
    """The cue lists the clause reader uses (``<lang>/clauses.yaml``)."""
    if lang not in LANGS:
        raise LexiconError(f"no clause lexicon for language {lang!r}")
    return WordLists(f"{lang}/clauses.yaml", _load(f"{lang}/clauses.yaml") or {})


# -- English records (issue 11): task verbs and agency names, lexicons/<lang>/verbs.yaml, names.yaml --


@lru_cache(maxsize=None)
def verb_words(lang: str) -> WordLists:
    """How a task verb is written (``<lang>/verbs.yaml``): obligation words, the infinitive
    marker, irregular forms (``verb_forms``)."""
    if lang not in LANGS:
        raise LexiconError(f"no verb lexicon for language {lang!r}")
    return WordLists(f"{lang}/verbs.yaml", _load(f"{lang}/verbs.yaml") or {})


def verb_forms(lang: str) -> dict[str, list[str]]:
    """Base verb -> its written forms that no rule makes ("build" -> ["built"])."""
    node = verb_words(lang).data.get("forms", {})
    forms = node.get("words", {}) if isinstance(node, dict) else {}
    return {str(k): [str(f) for f in v] for k, v in forms.items()}


@lru_cache(maxsize=None)
def name_words(lang: str) -> WordLists:
    """How an agency name is cut out of its text (``<lang>/names.yaml``): words that never begin one."""
    if lang not in LANGS:
        raise LexiconError(f"no name lexicon for language {lang!r}")
    return WordLists(f"{lang}/names.yaml", _load(f"{lang}/names.yaml") or {})


# -- names of bodies the gazetteer lacks (issue 11): lexicons/<lang>/bodies.yaml ----------------


@lru_cache(maxsize=None)
def body_words(lang: str) -> WordLists:
    """The word lists the agency stage reads unlisted names with (``<lang>/bodies.yaml``): name
    heads, administrative units, local bodies, place qualifiers, the filler after a name."""
    if lang not in LANGS:
        raise LexiconError(f"no body lexicon for language {lang!r}")
    return WordLists(f"{lang}/bodies.yaml", _load(f"{lang}/bodies.yaml") or {})
