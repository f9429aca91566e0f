"""The lexicon regex sources are built once per word set (mechanism only: the same regexes)."""

import re

from directive_nlp.lexicons import _trie_source, trie_regex


def test_trie_regex_depends_only_on_the_set_of_words():
    words = ["giao", "giao cho", "yêu cầu", "chỉ đạo"]
    src = trie_regex(words)
    assert trie_regex(reversed(words)) == src
    assert trie_regex(iter(words + ["giao"])) == src
    rx = re.compile(rf"(?:{src})$")
    assert all(rx.match(w) for w in words)
    assert rx.match("giao việc") is None


def test_trie_regex_is_built_once_per_word_set():
    words = ("tỉnh ủy", "thành ủy", "huyện ủy")
    trie_regex(words)
    hits = _trie_source.cache_info().hits
    assert trie_regex(list(words)) == trie_regex(words)
    assert _trie_source.cache_info().hits == hits + 2
