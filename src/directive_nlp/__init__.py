"""directive-nlp: structured directive records from Vietnamese and English policy news.

The public verbs::

    from directive_nlp import Pipeline, read_articles
    rec = Pipeline().extract(text, published="2022-11-30")
"""

from .errors import DirectiveNLPError, InputError, ModelError, UnsupportedLanguage
from .pipeline import Pipeline
from .readers import read_articles
from .schema import SCHEMA_VERSION, Article, ArticleRecord, Directive, json_schema

__version__ = "0.1.0"

__all__ = [
    "Pipeline", "read_articles", "Article", "ArticleRecord", "Directive", "SCHEMA_VERSION", "json_schema",
    "DirectiveNLPError", "InputError", "ModelError", "UnsupportedLanguage", "__version__",
]
