"""Any Unicode text gives no exception and offsets that index it; patterns stay linear."""

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directive_nlp import Pipeline
from directive_nlp.errors import InputError

PIPE = Pipeline(extractors="rules")

alphabet = st.characters(blacklist_categories=("Cs",))
policy_bits = st.sampled_from(
    ["15-NQ/TW", " ngày 5/5/2022 ", "Sở KH&ĐT chủ trì ", "phấn đấu 8% ", "\n- ", "Resolution No. 18, No. 19-NQ/TW ", "2021-2030", "UBND TP ", " tỷ đồng", "quý I/", "Strive to ", ", "]
)
texts = st.lists(st.one_of(st.text(alphabet, max_size=40), policy_bits), max_size=25).map("".join)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from(["vi", "en"]))
def test_any_text_no_exception_and_offsets_hold(text, lang):
    try:
        rec = PIPE.extract(text, lang=lang, published="2024-05-01")
    except InputError:
        return  # empty text is an input error, by design
    for _, m in rec.mentions():
        assert rec.text[m.start : m.end] == m.text
    for d in rec.directives:
        assert rec.text[d.start : d.end] == d.text


def test_hostile_input_is_linear():
    hostile = ("1/2-3/" * 20 + "15-NQ/ " + "2021-" * 10 + "\n") * 6000  # about 1 MB of digits, slashes, dashes
    one_line = hostile.replace("\n", " ")
    assert len(hostile) > 1_000_000
    t = time.perf_counter()
    for lang in ("vi", "en"):
        PIPE.extract(hostile, lang=lang, published="2024-01-01")
        PIPE.extract(one_line, lang=lang, published="2024-01-01")
    assert time.perf_counter() - t < 60, "a pattern backtracks on digits, slashes and dashes"
