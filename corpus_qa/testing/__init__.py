"""Test and benchmark helpers shipped with the package.

- :mod:`.synth`: deterministic, realistic record dumps with planted defects
  (:func:`write_jsonl`, :func:`generate_records`).
"""

from typing import TYPE_CHECKING

from corpus_qa._exports import lazy_exports

if TYPE_CHECKING:
    from corpus_qa.testing.synth import Rates, generate_records, write_jsonl

__all__ = [
    "Rates",
    "generate_records",
    "write_jsonl",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Rates": "corpus_qa.testing.synth",
        "generate_records": "corpus_qa.testing.synth",
        "write_jsonl": "corpus_qa.testing.synth",
    },
)
