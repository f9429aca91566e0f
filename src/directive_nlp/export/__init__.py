"""Dataset export: extract records -> keyed tables, a Frictionless data package and a document graph.

The tables are defined once (:data:`directive_nlp.export.tables.TABLE_SPECS`); the writers, the
``datapackage.json`` descriptor and ``docs/DATA_DICTIONARY.md`` are all generated from that one
definition, so the files, the descriptor and the documentation cannot drift apart.

Example:
    >>> from directive_nlp.export import build_tables, write_export
    >>> tables = build_tables([])          # any iterable of ArticleRecord dicts
    >>> sorted(tables)[:3]
    ['agencies', 'agency_mentions', 'articles']
"""

from .datapackage import ExportResult, read_previous_hashes, write_export
from .tables import TABLE_SPECS, ExportError, build_tables, load_records

__all__ = ["TABLE_SPECS", "ExportError", "ExportResult", "build_tables", "load_records", "read_previous_hashes", "write_export"]
