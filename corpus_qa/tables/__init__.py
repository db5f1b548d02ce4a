"""Article drafts -> the articles and images tables, validated with Pandera.

- :mod:`.build`: drafts -> tables of the record contract (:func:`build_tables`).
- :mod:`.validate`: the Pandera contract (top-level ``schemas/``) on a chunk's tables,
  failures as findings (:func:`validate_chunk`).
- :mod:`.user_schema`: a user's own contract for ``check --schema`` (:func:`load_schema`).
"""

from typing import TYPE_CHECKING

from corpus_qa._exports import lazy_exports

if TYPE_CHECKING:
    from corpus_qa.tables.build import build_tables, drafts_frame
    from corpus_qa.tables.user_schema import load_schema
    from corpus_qa.tables.validate import validate_chunk

__all__ = [
    "build_tables",
    "drafts_frame",
    "load_schema",
    "validate_chunk",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "build_tables": "corpus_qa.tables.build",
        "drafts_frame": "corpus_qa.tables.build",
        "load_schema": "corpus_qa.tables.user_schema",
        "validate_chunk": "corpus_qa.tables.validate",
    },
)
