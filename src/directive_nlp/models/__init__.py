"""Trained extractors: loading from any local checkpoint directory, and the ensemble with rules.

Nothing is downloaded: a model is a directory on disk.  The shipped models are package data
(``directive_nlp/models/data/``, in every install, wheel or editable); the environment variable
``DIRECTIVE_NLP_MODELS`` or a path a user gives (``models_dir``) takes their place.  A missing or corrupt model gives a warning and the rules carry on.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Optional

log = logging.getLogger(__name__)

#: the models shipped inside the package
SHIPPED_MODELS_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_MODELS_DIR = SHIPPED_MODELS_DIR
ENV = "DIRECTIVE_NLP_MODELS"


def models_folder(models_dir: Optional[str] = None) -> Path:
    """The models folder in use: ``models_dir``, else ``$DIRECTIVE_NLP_MODELS``, else the shipped one."""
    if models_dir:
        return Path(models_dir)
    return Path(os.environ[ENV]) if os.environ.get(ENV) else DEFAULT_MODELS_DIR


def load_model_set(models_dir: Optional[str], extractors: str):
    """The configured ensemble of trained models, or None (rules only) when none can be loaded."""
    base = models_folder(models_dir)
    if not base.is_dir():
        log.warning("models folder %s is missing: using the rules", base)
        return None
    try:
        from .ensemble import ModelSet
    except ImportError as exc:  # scikit-learn / torch not installed (the "models" extra)
        log.warning("trained extractors need the 'models' extra (%s): using the rules", exc)
        return None
    return ModelSet.load(base, extractors)


def needs_torch(models_dir: Optional[str], extractors: str) -> bool:
    """Whether the configured ensemble runs the span tagger (torch) for agencies."""
    from ..errors import ModelError
    from .config import EnsembleConfig

    try:
        config = EnsembleConfig.load(models_folder(models_dir) / "ensemble.yaml")
    except ModelError:
        return False
    return config.model_name("agencies", "ranker") == "tagger" and any(config.mode("agencies", lang, extractors) != "rules" for lang in ("vi", "en"))
