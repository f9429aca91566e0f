"""corpus/tools/agreement.py on a hand-made pair of annotations whose agreement is known."""

import copy
import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[1] / "corpus" / "tools" / "agreement.py"
_spec = importlib.util.spec_from_file_location("corpus_agreement", _PATH)
agreement_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(agreement_mod)

TEXT = (
    "Kế hoạch 12/KH-UBND ngày 5/3/2025. UBND tỉnh giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng "
    "rà soát dự án trước ngày 31/12/2025. Tập trung phấn đấu tăng trưởng 8% năm 2025. Đẩy mạnh chuyển đổi số."
)
D1 = "UBND tỉnh giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng rà soát dự án trước ngày 31/12/2025."
D2 = "Tập trung phấn đấu tăng trưởng 8% năm 2025."
D3 = "Đẩy mạnh chuyển đổi số."


def _d(text, verb, agencies=(), deadline=None):
    start = TEXT.index(text)
    return {"text": text, "start": start, "end": start + len(text), "verb": verb, "agencies": list(agencies), "deadline": deadline}


TC, XD, UB = "Sở Tài chính", "Sở Xây dựng", "UBND tỉnh"
REF = {
    "id": "vi-x", "lang": "vi", "published": "2025-03-06", "source": "synthetic:test", "text": TEXT,
    "gold": {
        "document_refs": ["12/KH-UBND"],
        "dates": ["2025-03-05", "2025-12-31", "2025"],
        "agencies": [{"name": UB, "role": "issuer"}, {"name": TC, "role": "lead"}, {"name": XD, "role": "coordinate"}],
        "targets": [{"value": 8, "unit": "%", "comparator": "=", "deadline": "2025"}],
        "directives": [
            _d(D1, "rà soát", [{"name": UB, "role": "issuer"}, {"name": TC, "role": "lead"}, {"name": XD, "role": "coordinate"}], "2025-12-31"),
            _d(D2, "tập trung"),
            _d(D3, "đẩy mạnh"),
        ],
    },
}


def _other():
    o = copy.deepcopy(REF)
    g = o["gold"]
    g["dates"] = ["2025-03-05", "2025-12-31"]  # misses 2025
    g["agencies"].append({"name": "Bộ Tài chính", "role": "mentioned", "nested_only": True})  # optional
    # D1: the second body taken as a lead, so the record disagrees; D2 agrees; D3 missing
    g["directives"] = [
        _d(D1, "rà soát", [{"name": UB, "role": "issuer"}, {"name": TC, "role": "lead"}, {"name": XD, "role": "lead"}], "2025-12-31"),
        _d(D2, "tập trung phấn đấu"),
    ]
    return o


def test_known_agreement_per_field():
    t = agreement_mod.agreement([REF], [_other()])["table"]
    assert set(t) == {"vi", "all"}
    vi = t["vi"]
    assert vi["document_refs"].f1 == 1.0
    assert (vi["dates"].tp, vi["dates"].fp, vi["dates"].fn) == (2, 0, 1)
    assert vi["agencies"].f1 == 1.0  # the nested-only body on the other side is not counted
    assert vi["targets"].f1 == 1.0
    assert (vi["directives"].tp, vi["directives"].fp, vi["directives"].fn) == (2, 0, 1)
    assert vi["directive_verbs"].tp == 2  # "tập trung phấn đấu" contains "tập trung"
    assert (vi["directive_roles"].tp, vi["directive_roles"].fp, vi["directive_roles"].fn) == (2, 1, 1)
    rec = vi["records"]
    assert (rec.tp, rec.fp, rec.fn) == (1, 1, 2)
    assert rec.f1 == pytest.approx(0.4)


def test_swapping_sides_swaps_precision_and_recall():
    a = agreement_mod.agreement([REF], [_other()])["table"]["all"]["records"]
    b = agreement_mod.agreement([_other()], [REF])["table"]["all"]["records"]
    assert (a.precision, a.recall) == (b.recall, b.precision)


def test_deadline_alone_breaks_a_record():
    o = copy.deepcopy(REF)
    o["gold"]["directives"][0]["deadline"] = "2025"
    res = agreement_mod.agreement([REF], [o])
    assert res["table"]["vi"]["records"].tp == 2
    assert res["diffs"]["vi-x"]["records"] == [D1[:100]]


def test_different_articles_are_refused():
    o = copy.deepcopy(REF)
    o["id"] = "vi-y"
    with pytest.raises(ValueError, match="same article ids"):
        agreement_mod.agreement([REF], [o])
    o = copy.deepcopy(REF)
    o["text"] = TEXT + " "
    with pytest.raises(ValueError, match="different texts"):
        agreement_mod.agreement([REF], [o])
