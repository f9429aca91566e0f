"""Trained extractors: loading from any local checkpoint directory, and the ensemble with rules.

Nothing is downloaded: a model is a directory on disk (``models/`` in the repository by default,
or any path a user gives).  A missing or corrupt model gives a warning and the rules carry on.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Optional

log = logging.getLogger(__name__)

DEFAULT_MODELS_DIR = Path(os.environ.get("DIRECTIVE_NLP_MODELS", Path(__file__).resolve().parents[3] / "models"))


def load_model_set(models_dir: Optional[str], extractors: str):
    """The configured ensemble of trained models, or None (rules only) when none can be loaded."""
    base = Path(models_dir) if models_dir else DEFAULT_MODELS_DIR
    if not base.is_dir():
        log.warning("models folder %s is missing: using the rules", base)
        return None
    try:
        from .ensemble import ModelSet
    except ImportError as exc:  # scikit-learn / torch not installed (the "models" extra)
        log.warning("trained extractors need the 'models' extra (%s): using the rules", exc)
        return None
    return ModelSet.load(base, extractors)
