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


def test_title_before_a_body_is_read_with_a_pattern_built_once():
    from directive_nlp.extract.agencies import _title_end, _title_near

    text = "Phó Chủ tịch Thường trực UBND tỉnh Nguyễn Văn An"
    body = text.index("UBND")
    assert _title_near(text, 0, body, "vi")
    assert _title_near("Chủ tịch UBND", 0, len("Chủ tịch "), "vi")
    assert not _title_near("Sở Tài chính và UBND", 0, len("Sở Tài chính và "), "vi")
    assert not _title_near("Phó Chủ tịchx UBND", 0, len("Phó Chủ tịchx "), "vi")  # a title ends on a word boundary
    assert _title_end("vi") is _title_end("vi")
