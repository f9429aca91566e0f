"""Line kinds: the first line is the title only when it reads as one."""

from __future__ import annotations

import pytest

from directive_nlp import Pipeline
from directive_nlp.segment import segment


@pytest.mark.parametrize(
    "text,lang",
    [
        # a pasted excerpt that opens with its first paragraph, no title line
        ("Thủ tướng yêu cầu Bộ Xây dựng chủ trì rà soát các dự án nhà ở xã hội, báo cáo trước ngày 30/6/2025.", "vi"),
        ("The Prime Minister requested the Ministry of Construction to review social housing projects before June 30, 2025.", "en"),
    ],
)
def test_a_first_paragraph_without_a_title_keeps_its_directive(text, lang):
    out = Pipeline(extractors="rules").extract(text, lang=lang)
    assert [d.text for d in out.directives] == [text]


@pytest.mark.parametrize(
    "text,lang,kind",
    [
        ("Hà Nội đẩy nhanh giải ngân vốn đầu tư công\nUBND thành phố yêu cầu các sở hoàn thành trước ngày 30/6.", "vi", "headline"),
        ("Hanoi speeds up public investment\nThe city asked departments to finish by June 30.", "en", "headline"),
        ("Ngày 5/6, UBND tỉnh yêu cầu các sở, ngành rà soát toàn bộ dự án chậm tiến độ.\nCác huyện báo cáo trước ngày 30/6.", "vi", "body"),
        ("On June 5 the provincial People's Committee asked departments to review delayed projects; districts report by June 30;", "en", "body"),
    ],
)
def test_the_first_line_is_a_headline_only_when_it_reads_as_one(text, lang, kind):
    first = segment(text, lang)[0]
    assert first.kind == kind
