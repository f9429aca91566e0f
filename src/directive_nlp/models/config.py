"""Model metadata, label-set versions and the ensemble configuration (``models/ensemble.yaml``).

Every shipped model is a directory holding its weights and a ``meta.json`` that records the
label set it was trained for.  A model whose label-set version differs from the one this code
expects is refused (``ModelError`` naming both versions): its outputs would be misread.

    >>> cfg = EnsembleConfig.from_dict({"directives": {"mode": {"en": "union"}, "threshold": {"en": 0.7}}})
    >>> cfg.mode("directives", "en", "ensemble"), cfg.mode("directives", "vi", "ensemble"), cfg.threshold("directives", "en")
    ('union', 'rules', 0.7)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ModelError

#: label sets: bump a version whenever the labels (or their meaning) change
CLASSIFIER_LABELS = ("other", "directive")
CLASSIFIER_LABEL_SET_VERSION = "directive-sentence/1"
TAGGER_LABELS = ("O", "B-AGENCY", "I-AGENCY", "B-VERB", "I-VERB", "B-TARGET", "I-TARGET")
TAGGER_LABEL_SET_VERSION = "bio-agency-verb-target/1"
RANKER_LABELS = ("other", "agency")
RANKER_LABEL_SET_VERSION = "agency-span/1"

#: how a field is decided: the rules alone, the model alone, or the rules plus what the model adds
MODES = ("rules", "model", "union")


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file (model cards list one per file)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_meta(model_dir: Path, meta: dict[str, Any]) -> None:
    """Write ``meta.json`` (label set, version, training facts) into ``model_dir``."""
    (model_dir / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_meta(model_dir: Path, expected_version: str) -> dict[str, Any]:
    """The ``meta.json`` of a model, checked against the label-set version this code expects.

    Raises ``ModelError`` when the file is missing or unreadable, or when the versions differ
    (the message names both).
    """
    path = Path(model_dir) / "meta.json"
    if not path.is_file():
        raise ModelError(f"{path}: model metadata file is missing")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: model metadata is corrupt ({exc})") from exc
    if not isinstance(meta, dict):
        raise ModelError(f"{path}: model metadata is not a JSON object")
    found = meta.get("label_set_version")
    if found != expected_version:
        raise ModelError(
            f"{path}: label-set version {found!r} of the model differs from {expected_version!r} expected by this code; retrain the model"
        )
    return meta


def save_linear(model_dir: Path, stem: str, exported: tuple[dict, dict], meta: dict[str, Any]) -> Path:
    """Write a linear model (``linear.save``: ``stem.json`` + ``stem.npz``) plus ``meta.json``
    listing the sha256 of both files; returns the ``.npz`` path."""
    from . import linear

    paths = linear.save(Path(model_dir), stem, *exported)
    write_meta(Path(model_dir), {**meta, "files": {p.name: sha256_file(p) for p in paths}})
    return paths[-1]


def load_linear(model_dir: Path, stem: str, expected_version: str, what: str) -> tuple[Any, dict[str, Any]]:
    """``(predictor, meta)`` of a model saved by ``save_linear``; ``ModelError`` when the files
    are missing or corrupt, or were made for another label-set version."""
    from . import linear

    meta = read_meta(Path(model_dir), expected_version)
    return linear.load(Path(model_dir), stem, what), meta


@dataclass
class EnsembleConfig:
    """Per field (``directives``, ``agencies``) and language: which extractor decides, and thresholds."""

    fields: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "EnsembleConfig":
        for fname, spec in data.items():
            if not isinstance(spec, dict):
                continue
            for lang, mode in (spec.get("mode") or {}).items():
                if mode not in MODES:
                    raise ModelError(f"ensemble config: {fname}.mode.{lang} is {mode!r}, not one of {MODES}")
        return cls({k: v for k, v in data.items() if isinstance(v, dict)})

    @classmethod
    def load(cls, path: Path) -> "EnsembleConfig":
        """Read ``ensemble.yaml``; a missing file means rules everywhere."""
        if not path.is_file():
            return cls()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise ModelError(f"{path}: ensemble config is unreadable ({exc})") from exc
        if not isinstance(data, dict):
            raise ModelError(f"{path}: ensemble config must be a mapping")
        return cls.from_dict(data)

    def mode(self, fname: str, lang: str, extractors: str) -> str:
        """``rules``/``model``/``union`` for a field: ``--extractors models`` forces ``model``."""
        if extractors == "models":
            return "model"
        if extractors == "rules":
            return "rules"
        return (self.fields.get(fname, {}).get("mode") or {}).get(lang, "rules")

    def threshold(self, fname: str, lang: str, default: float = 0.5, extractors: str = "ensemble") -> float:
        """The probability threshold of a field's model: ``model_threshold`` when the model decides
        alone (``--extractors models``), else ``threshold``."""
        key = "model_threshold" if extractors == "models" else "threshold"
        return float((self.fields.get(fname, {}).get(key) or {}).get(lang, default))

    def model_name(self, fname: str, default: str) -> str:
        return str(self.fields.get(fname, {}).get("model", default))
