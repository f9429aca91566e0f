"""Per-language caches of the warm pipeline hand back what they were built from."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_target_cue_patterns_are_the_lexicons_compiled_once(lang):
    from directive_nlp.extract.targets import _lex
    from directive_nlp.lexicons import target_cues

    lex = _lex(lang)
    for key in ("strong_cues", "ge", "le", "rate_after"):
        first = lex.re(key)
        assert first.pattern == target_cues(lang).regex("targets", key).pattern
        assert lex.re(key) is first
