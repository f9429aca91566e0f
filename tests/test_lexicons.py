"""The lexicon convention: language is data.

Every cue list of a language folder is written as ``key: {words: [...], examples: [...]}``: each
example must match its entry (a whole-word, case-insensitive match of one of its words) and every
word must be shown by at least one example.  Both language folders hold the same files with the
same keys, so adding a language is adding data.
"""

from __future__ import annotations

import re

import pytest
import yaml

from directive_nlp import lexicons as lx

def _is_entry(node) -> bool:
    return isinstance(node, dict) and "words" in node


def _leaves(node, prefix=""):
    """(dotted path, node) for each entry, plain list, scalar or scalar mapping of a file."""
    if isinstance(node, dict) and not _is_entry(node) and any(isinstance(v, (dict, list)) for v in node.values()):
        for k, v in node.items():
            yield from _leaves(v, f"{prefix}{k}.")
    else:
        yield prefix.rstrip("."), node


def _files():
    return [f.split("/", 1)[1] for f in lx.lexicon_files("vi")]


def _entries():
    for lang in lx.LANGS:
        for name in _files():
            for path, node in _leaves(lx.load_yaml(f"{lang}/{name}")):
                if _is_entry(node):
                    yield pytest.param(lang, name, path, node, id=f"{lang}/{name}:{path}")


def test_both_languages_have_the_same_files_and_keys():
    assert _files() == [f.split("/", 1)[1] for f in lx.lexicon_files("en")]
    for name in _files():
        vi = {p for p, _ in _leaves(lx.load_yaml(f"vi/{name}"))}
        en = {p for p, _ in _leaves(lx.load_yaml(f"en/{name}"))}
        assert vi == en, f"{name}: keys only in vi {sorted(vi - en)}, only in en {sorted(en - vi)}"


@pytest.mark.parametrize("lang,name,path,node", list(_entries()))
def test_every_example_matches_and_every_word_has_an_example(lang, name, path, node):
    words = lx.entry_words(node, path)
    examples = lx.entry_examples(node)
    assert words and examples, f"{lang}/{name} {path}: needs words and examples"
    whole = re.compile(lx.word_alternation(words), re.IGNORECASE)
    for ex in examples:
        assert whole.search(ex), f"{lang}/{name} {path}: example {ex!r} matches none of its words"
    for w in words:
        one = re.compile(lx.word_alternation([w]), re.IGNORECASE)
        assert any(one.search(ex) for ex in examples), f"{lang}/{name} {path}: no example shows {w!r}"


@pytest.mark.parametrize("lang", lx.LANGS)
def test_no_plain_cue_lists(lang):
    for name in _files():
        plain = {p for p, n in _leaves(lx.load_yaml(f"{lang}/{name}"))
                 if isinstance(n, list) and n and all(isinstance(w, str) for w in n)}
        assert not plain, f"{lang}/{name}: write these as {{words, examples}}: {sorted(plain)}"


def test_entry_words_accepts_both_forms():
    assert lx.entry_words({"words": ["giao"], "examples": ["x"]}) == ["giao"]
    assert lx.entry_words({"words": {"hai con số": 10}, "examples": []}) == ["hai con số"]
    assert lx.entry_words(["a", "b"]) == ["a", "b"]
    with pytest.raises(lx.LexiconError):
        lx.entry_words("giao", "vi/cues.yaml roles.x")


def _duplicate_keys(node, path="") -> list[str]:
    """Keys written twice in one mapping of a YAML node tree (YAML keeps the last one silently)."""
    if isinstance(node, yaml.MappingNode):
        keys = [k.value for k, _ in node.value]
        dup = [f"{path}{k}" for k in sorted(set(keys)) if keys.count(k) > 1]
        return dup + [d for k, v in node.value for d in _duplicate_keys(v, f"{path}{k.value}.")]
    if isinstance(node, yaml.SequenceNode):
        return [d for v in node.value for d in _duplicate_keys(v, path)]
    return []


@pytest.mark.parametrize("lang", lx.LANGS)
def test_no_key_written_twice(lang):
    from importlib import resources

    for name in _files():
        text = resources.files(lx.__name__).joinpath(f"{lang}/{name}").read_text(encoding="utf-8")
        dup = _duplicate_keys(yaml.compose(text))
        assert not dup, f"{lang}/{name}: keys written twice (the first is silently lost): {dup}"
