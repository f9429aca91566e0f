"""BIO span tagger (AGENCY, VERB, TARGET): a tiny BERT trained from scratch, or a local checkpoint.

The tokenizer is a WordPiece vocabulary trained with ``tokenizers`` on the training texts (case and
diacritics kept, so character offsets map back exactly); the model is a
``BertForTokenClassification`` (2 layers, hidden 128, 2 heads) saved with safetensors.  Long
articles are read in overlapping windows; predictions are batched.

    >>> char_labels("Sở Y tế chủ trì.", {"AGENCY": [(0, 7)], "VERB": [(8, 15)]})[:9]
    ['B-AGENCY', 'I-AGENCY', 'I-AGENCY', 'I-AGENCY', 'I-AGENCY', 'I-AGENCY', 'I-AGENCY', 'O', 'B-VERB']
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

from ..errors import ModelError
from ..schema import AgencyMention
from .config import TAGGER_LABEL_SET_VERSION, TAGGER_LABELS, read_meta, sha256_file, write_meta

KINDS = ("AGENCY", "VERB", "TARGET")
LABEL2ID = {lab: i for i, lab in enumerate(TAGGER_LABELS)}
WEIGHTS = "model.safetensors"
MAX_LEN = 128
STRIDE = 32


@dataclass
class Span:
    """A tagged span of the text: ``text[start:end]``, its kind and the model's mean probability."""

    start: int
    end: int
    kind: str
    prob: float


# -- gold spans -> labels --------------------------------------------------------------------


def _find_all(text: str, needle: str) -> Iterable[tuple[int, int]]:
    if not needle.strip():
        return
    for m in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", text):
        yield m.start(), m.end()


def gold_spans(row: dict) -> dict[str, list[tuple[int, int]]]:
    """Character spans per kind from a gold row: agency names/aliases found in the text, each
    directive's verb inside its directive, and the targets' offsets."""
    text, g = row["text"], row.get("gold") or {}
    spans: dict[str, list[tuple[int, int]]] = {k: [] for k in KINDS}
    names = {n for a in g.get("agencies") or [] for n in [a.get("name", ""), *(a.get("aliases") or [])] if n and len(n) > 1}
    for n in sorted(names, key=len, reverse=True):
        spans["AGENCY"].extend(_find_all(text, n))
    for d in g.get("directives") or []:
        v, s, e = d.get("verb"), d.get("start"), d.get("end")
        if v and isinstance(s, int) and isinstance(e, int):
            m = re.search(rf"(?<!\w){re.escape(v)}(?!\w)", text[s:e], re.IGNORECASE)
            if m:
                spans["VERB"].append((s + m.start(), s + m.end()))
    for t in g.get("targets") or []:
        if isinstance(t.get("start"), int) and isinstance(t.get("end"), int):
            spans["TARGET"].append((t["start"], t["end"]))
    return spans


def char_labels(text: str, spans: dict[str, list[tuple[int, int]]]) -> list[str]:
    """A BIO label per character; longer spans first, a character keeps its first label."""
    labels = ["O"] * len(text)
    for kind in KINDS:
        for s, e in sorted(spans.get(kind, []), key=lambda x: x[0] - x[1]):
            if any(lab != "O" for lab in labels[s:e]):
                continue
            labels[s] = f"B-{kind}"
            for i in range(s + 1, e):
                labels[i] = f"I-{kind}"
    return labels


def token_labels(offsets: list[tuple[int, int]], clabels: list[str]) -> list[int]:
    """Token label ids from character labels (special tokens: -100)."""
    out: list[int] = []
    prev_kind = None
    for a, b in offsets:
        if a == b:
            out.append(-100)
            prev_kind = None
            continue
        lab = clabels[a] if a < len(clabels) else "O"
        if lab == "O":
            out.append(LABEL2ID["O"])
            prev_kind = None
            continue
        kind = lab[2:]
        if lab.startswith("I-") and prev_kind != kind:
            lab = f"B-{kind}"  # a window starting inside a span
        out.append(LABEL2ID[lab])
        prev_kind = kind
    return out


def decode(offsets: list[tuple[int, int]], probs) -> list[Span]:
    """BIO spans from per-token label probabilities (``probs``: tokens x labels)."""
    spans: list[Span] = []
    cur: Optional[list] = None
    for (a, b), p in zip(offsets, probs):
        if a == b:
            continue
        lid = int(p.argmax())
        lab = TAGGER_LABELS[lid]
        if lab == "O":
            if cur:
                spans.append(Span(cur[0], cur[1], cur[2], sum(cur[3]) / len(cur[3])))
            cur = None
            continue
        kind = lab[2:]
        if lab.startswith("B-") or cur is None or cur[2] != kind:
            if cur:
                spans.append(Span(cur[0], cur[1], cur[2], sum(cur[3]) / len(cur[3])))
            cur = [a, b, kind, [float(p[lid])]]
        else:
            cur[1] = b
            cur[3].append(float(p[lid]))
    if cur:
        spans.append(Span(cur[0], cur[1], cur[2], sum(cur[3]) / len(cur[3])))
    return spans


_CONNECTOR = re.compile(r"^(?:\s*(?:of|and|for|on|the|&|và|về|-|–)\s*|\s+|['’]s\s+)$", re.IGNORECASE)
_FUNCTION_ONLY = re.compile(r"^(?:of|and|for|on|the|s|&|và|về|,|\.|-)$", re.IGNORECASE)


def bridge(text: str, spans: list[Span]) -> list[Span]:
    """Join agency pieces split by a connector the tagger dropped ("Ministry" "of" "Planning"), and
    drop agency spans made only of a function word.

    >>> t = "Ministry of Planning and Investment"
    >>> [(s.start, s.end) for s in bridge(t, [Span(0, 8, "AGENCY", 1.0), Span(12, 20, "AGENCY", 0.8), Span(25, 35, "AGENCY", 0.9)])]
    [(0, 35)]
    """
    out: list[Span] = []
    for s in spans:
        prev = out[-1] if out else None
        if prev and prev.kind == s.kind == "AGENCY" and _CONNECTOR.match(text[prev.end : s.start]):
            n_prev, n_s = len(text[prev.start : prev.end].split()), len(text[s.start : s.end].split())
            out[-1] = Span(prev.start, s.end, "AGENCY", (prev.prob * n_prev + s.prob * n_s) / (n_prev + n_s))
            continue
        out.append(s)
    return [s for s in out if not (s.kind == "AGENCY" and _FUNCTION_ONLY.match(text[s.start : s.end].strip()))]


# -- the model ---------------------------------------------------------------------------------


class SpanTagger:
    """A trained tagger: ``spans(texts)`` and ``agencies(...)`` (what the ensemble adds)."""

    name = "tagger"

    def __init__(self, model, tokenizer, meta: dict):
        self.model = model
        self.tokenizer = tokenizer
        self.meta = meta
        cal = meta.get("calibration") or {}
        self._cal = (float(cal.get("coef", 1.0)), float(cal.get("intercept", 0.0))) if cal else None

    # -- inference -------------------------------------------------------------------------------
    def _encode(self, texts: list[str]):
        return self.tokenizer(
            texts, truncation=True, max_length=MAX_LEN, stride=STRIDE, return_overflowing_tokens=True,
            return_offsets_mapping=True, padding=True, return_tensors="pt",
        )

    def spans(self, texts: list[str], batch_size: int = 32) -> list[list[Span]]:
        """Tagged spans of each text; windows of all texts are run in batches."""
        import torch

        if not texts:
            return []
        enc = self._encode(texts)
        offsets = enc.pop("offset_mapping").tolist()
        owner = enc.pop("overflow_to_sample_mapping").tolist()
        self.model.eval()
        probs = []
        with torch.no_grad():
            for i in range(0, len(owner), batch_size):
                batch = {k: v[i : i + batch_size] for k, v in enc.items() if k in ("input_ids", "attention_mask", "token_type_ids")}
                probs.append(torch.softmax(self.model(**batch).logits, -1))
        allp = torch.cat(probs).numpy()
        # each character position keeps the prediction of the window where it sits most centrally
        best: list[dict[tuple[int, int], tuple[float, object]]] = [dict() for _ in texts]
        for w, (owner_i, offs) in enumerate(zip(owner, offsets)):
            real = [j for j, (a, b) in enumerate(offs) if a != b]
            if not real:
                continue
            n = len(real)
            for rank, j in enumerate(real):
                centrality = min(rank, n - 1 - rank)
                key = tuple(offs[j])
                if key not in best[owner_i] or centrality > best[owner_i][key][0]:
                    best[owner_i][key] = (centrality, allp[w, j])
        out = []
        for text, toks in zip(texts, best):
            keys = sorted(toks)
            out.append(bridge(text, decode(keys, [toks[k][1] for k in keys])))
        return out

    def confidence(self, prob: float) -> float:
        """A calibrated confidence from a span's mean probability (Platt scaling fitted on dev)."""
        import math

        if not self._cal:
            return round(prob, 4)
        a, b = self._cal
        return round(1.0 / (1.0 + math.exp(-(a * prob + b))), 4)

    def agencies(self, text: str, content: list[tuple[int, int]], lang: str, home: Optional[str], threshold: float = 0.0) -> list[AgencyMention]:
        """Agency mentions the tagger finds in the content spans, with roles from the rules' cues."""
        found = [s for s in self.spans([text])[0] if s.kind == "AGENCY" and any(a <= s.start and s.end <= b for a, b in content)]
        found = [s for s in found if self.confidence(s.prob) >= threshold and text[s.start : s.end].strip()]
        return agency_mentions(text, content, lang, found, self.name, self.confidence)

    def decide_agencies(self, text: str, content: list[tuple[int, int]], lang: str, rules: list[AgencyMention], home: Optional[str],
                        threshold: float, mode: str) -> list[AgencyMention]:
        """The ensemble hook every agency model has: ``union`` adds tagged names overlapping no rules
        mention; ``model`` keeps the tagger's names alone."""
        return merge_agencies(rules, self.agencies(text, content, lang, home, threshold), mode)

    # -- files -------------------------------------------------------------------------------------
    def save(self, model_dir: Path) -> None:
        """Weights (safetensors), config, tokenizer and ``meta.json`` with the sha256 of each file."""
        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(model_dir, safe_serialization=True)
        self.tokenizer.save_pretrained(model_dir)
        files = {p.name: sha256_file(p) for p in sorted(model_dir.iterdir()) if p.is_file() and p.name not in ("meta.json", "MODEL_CARD.md")}
        write_meta(model_dir, {**self.meta, "files": files})

    @classmethod
    def load(cls, model_dir: Path) -> "SpanTagger":
        """Load a saved tagger; ``ModelError`` when missing, corrupt or of another label set."""
        model_dir = Path(model_dir)
        meta = read_meta(model_dir, TAGGER_LABEL_SET_VERSION)
        weights = model_dir / WEIGHTS
        if not weights.is_file():
            raise ModelError(f"{weights}: tagger weights file is missing")
        try:
            from transformers import BertForTokenClassification, PreTrainedTokenizerFast

            tok = PreTrainedTokenizerFast.from_pretrained(model_dir)
            model = BertForTokenClassification.from_pretrained(model_dir, use_safetensors=True)
        except Exception as exc:  # transformers/safetensors raise many kinds on damaged files
            raise ModelError(f"{model_dir}: tagger files are corrupt ({type(exc).__name__}: {exc})") from exc
        if model.config.num_labels != len(TAGGER_LABELS):
            raise ModelError(f"{model_dir}: tagger has {model.config.num_labels} labels, this code expects {len(TAGGER_LABELS)}")
        model.eval()
        return cls(model, tok, meta)


def agency_mentions(text: str, content: list[tuple[int, int]], lang: str, spans: list[Span], source: str, conf: Callable[[float], float]) -> list[AgencyMention]:
    """Mentions for tagged agency spans, with roles from the rules' cue logic (``extract.agencies``)."""
    from ..extract.agencies import assign_roles

    out: list[AgencyMention] = []
    for s0, s1 in content:
        inside = [s for s in spans if s0 <= s.start and s.end <= s1]
        if not inside:
            continue
        inside.sort(key=lambda s: s.start)
        for m, s in zip(assign_roles(text, s0, s1, [(s.start, s.end) for s in inside], lang, "model"), inside):
            m.source = source
            m.confidence = conf(s.prob)
            out.append(m)
    return out


def merge_agencies(rules: list[AgencyMention], model: list[AgencyMention], mode: str) -> list[AgencyMention]:
    """``union``: the rules' mentions plus model mentions overlapping none of them; ``model``: the model's."""
    if mode == "model":
        return sorted(model, key=lambda m: m.start)
    extra = [m for m in model if not any(m.start < r.end and r.start < m.end for r in rules)]
    return sorted(rules + extra, key=lambda m: m.start)


# -- training ----------------------------------------------------------------------------------


def train_tokenizer(texts: list[str], vocab_size: int = 8000):
    """A cased WordPiece tokenizer (accents kept) trained on ``texts``, as a fast HF tokenizer."""
    from tokenizers import BertWordPieceTokenizer
    from transformers import PreTrainedTokenizerFast

    wp = BertWordPieceTokenizer(clean_text=True, handle_chinese_chars=True, strip_accents=False, lowercase=False)
    wp.train_from_iterator(texts, vocab_size=vocab_size, min_frequency=2, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    return PreTrainedTokenizerFast(tokenizer_object=wp._tokenizer, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")


def _windows(tokenizer, rows: list[dict]):
    enc = tokenizer([r["text"] for r in rows], truncation=True, max_length=MAX_LEN, stride=STRIDE, return_overflowing_tokens=True, return_offsets_mapping=True)
    clabels = [char_labels(r["text"], gold_spans(r)) for r in rows]
    ids, labels = [], []
    for i, owner in enumerate(enc["overflow_to_sample_mapping"]):
        ids.append(enc["input_ids"][i])
        labels.append(token_labels([tuple(o) for o in enc["offset_mapping"][i]], clabels[owner]))
    return ids, labels


def fit(rows: list[dict], seed: int = 0, epochs: int = 30, base: Optional[Path] = None, log: Callable[[str], None] = print, device: str = "cpu") -> SpanTagger:
    """Train a tagger on gold rows (from scratch unless ``base`` is a local checkpoint)."""
    import random

    import numpy as np
    import torch
    from transformers import BertConfig, BertForTokenClassification, PreTrainedTokenizerFast

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    t0 = time.time()
    id2label = dict(enumerate(TAGGER_LABELS))
    if base is not None:
        tok = PreTrainedTokenizerFast.from_pretrained(base)
        model = BertForTokenClassification.from_pretrained(base, num_labels=len(TAGGER_LABELS), id2label=id2label, label2id=LABEL2ID, ignore_mismatched_sizes=True)
    else:
        tok = train_tokenizer([r["text"] for r in rows])
        cfg = BertConfig(vocab_size=tok.vocab_size, hidden_size=128, num_hidden_layers=2, num_attention_heads=2, intermediate_size=512,
                         max_position_embeddings=MAX_LEN + 8, num_labels=len(TAGGER_LABELS), id2label=id2label, label2id=LABEL2ID)
        model = BertForTokenClassification(cfg)
    ids, labels = _windows(tok, rows)
    model.to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3 if base is None else 5e-5, weight_decay=0.01)
    bs = 16
    steps = max(1, epochs * ((len(ids) + bs - 1) // bs))
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=opt.param_groups[0]["lr"], total_steps=steps, pct_start=0.1)
    gen = torch.Generator().manual_seed(seed)
    model.train()
    for ep in range(epochs):
        order = torch.randperm(len(ids), generator=gen).tolist()
        total = 0.0
        for i in range(0, len(order), bs):
            idx = order[i : i + bs]
            n = max(len(ids[j]) for j in idx)
            x = torch.tensor([ids[j] + [tok.pad_token_id] * (n - len(ids[j])) for j in idx], device=device)
            y = torch.tensor([labels[j] + [-100] * (n - len(labels[j])) for j in idx], device=device)
            loss = model(input_ids=x, attention_mask=(x != tok.pad_token_id).long(), labels=y).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            total += loss.item()
        if ep % 5 == 0 or ep == epochs - 1:
            log(f"epoch {ep + 1}/{epochs}: loss {total / max(1, (len(order) + bs - 1) // bs):.4f}")
    model.to("cpu").eval()
    meta = {
        "name": SpanTagger.name, "label_set_version": TAGGER_LABEL_SET_VERSION, "labels": list(TAGGER_LABELS), "seed": seed,
        "epochs": epochs, "base": str(base) if base else None, "train_articles": len(rows), "train_windows": len(ids),
        "parameters": sum(p.numel() for p in model.parameters()), "train_seconds": round(time.time() - t0, 1),
    }
    return SpanTagger(model, tok, meta)


def calibrate(tagger: SpanTagger, rows: list[dict]) -> dict:
    """Platt scaling of agency span probabilities on gold rows: is a tagged span a gold agency name?"""
    from sklearn.linear_model import LogisticRegression

    from ..evaluate import names_match

    x, y = [], []
    for row, spans in zip(rows, tagger.spans([r["text"] for r in rows])):
        gold = (row.get("gold") or {}).get("agencies") or []
        for s in spans:
            if s.kind == "AGENCY":
                x.append([s.prob])
                y.append(int(any(names_match(row["text"][s.start : s.end], None, g) for g in gold)))
    if len(set(y)) < 2:
        return {}
    lr = LogisticRegression().fit(x, y)
    return {"coef": float(lr.coef_[0][0]), "intercept": float(lr.intercept_[0]), "spans": len(y), "positive": sum(y)}


def span_scores(tagger: SpanTagger, rows: list[dict]) -> dict[str, dict]:
    """Exact-span precision/recall/F1 per kind (``{kind: {tp, fp, fn, f1}}``)."""
    out = {k: {"tp": 0, "fp": 0, "fn": 0} for k in KINDS}
    for row, spans in zip(rows, tagger.spans([r["text"] for r in rows])):
        gold = gold_spans(row)
        for k in KINDS:
            g = set(gold[k])
            p = {(s.start, s.end) for s in spans if s.kind == k}
            out[k]["tp"] += len(g & p)
            out[k]["fp"] += len(p - g)
            out[k]["fn"] += len(g - p)
    for k, c in out.items():
        c["f1"] = round(2 * c["tp"] / max(1, 2 * c["tp"] + c["fp"] + c["fn"]), 4)
    return out
