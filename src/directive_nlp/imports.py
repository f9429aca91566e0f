"""Importing the NLP libraries without what they pull in but the rules never use.

spaCy (through thinc) and underthesea (through its translation and classification modules)
import torch and transformers when those are installed: seconds of start-up for nothing, since
the rules use a blank spaCy pipeline and underthesea's CRF tokenizers only.  ``spacy()`` and
``underthesea()`` import them with torch and transformers hidden; both stay importable
afterwards (the span tagger imports them itself).

    >>> import sys
    >>> with hidden("no_such_module_xyz"):
    ...     "no_such_module_xyz" in sys.modules
    True
    >>> "no_such_module_xyz" in sys.modules
    False
"""

from __future__ import annotations

import contextlib
import sys
from types import ModuleType
from typing import Iterator

#: what the rules never need from spaCy and underthesea
HEAVY = ("torch", "transformers")


@contextlib.contextmanager
def hidden(*names: str) -> Iterator[None]:
    """Within the block, ``import NAME`` raises ImportError for each name not yet imported (an
    optional import then takes its fallback); afterwards the name imports normally."""
    added = [n for n in names if n not in sys.modules]
    for n in added:
        sys.modules[n] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for n in added:
            if n in sys.modules and sys.modules[n] is None:
                del sys.modules[n]


def spacy() -> ModuleType:
    """``spacy``, imported without torch."""
    with hidden(*HEAVY):
        import spacy as module
    return module


def underthesea() -> ModuleType:
    """``underthesea``, imported without torch and transformers."""
    with hidden(*HEAVY):
        import underthesea as module
    return module
