"""Text kernels shared by the tables and the checks, vectorized over Arrow columns.

- :mod:`.keys`: 64-bit content keys of normalized text (C extension :mod:`._textkeys`
  when built, the same keys from Arrow otherwise).
- :mod:`.paragraphs`: bodies split into keyed paragraphs.
- :mod:`.lines`: a body's closing lines, and the one line split a chunk's checks share.
- :mod:`.minhash`: MinHash signatures and LSH banding.
- :mod:`.screens`: literal prefilters before a regex scan.
- :mod:`.re2`: RE2 (pyarrow) extraction and matching over a column.
"""

from typing import TYPE_CHECKING

from corpus_qa._exports import lazy_exports

if TYPE_CHECKING:
    from corpus_qa.text.keys import content_keys, paragraph_keys
    from corpus_qa.text.minhash import signatures
    from corpus_qa.text.paragraphs import split_paragraphs
    from corpus_qa.text.re2 import contains, extract
    from corpus_qa.text.screens import screen

__all__ = [
    "contains",
    "content_keys",
    "extract",
    "paragraph_keys",
    "screen",
    "signatures",
    "split_paragraphs",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "contains": "corpus_qa.text.re2",
        "content_keys": "corpus_qa.text.keys",
        "extract": "corpus_qa.text.re2",
        "paragraph_keys": "corpus_qa.text.keys",
        "screen": "corpus_qa.text.screens",
        "signatures": "corpus_qa.text.minhash",
        "split_paragraphs": "corpus_qa.text.paragraphs",
    },
)
