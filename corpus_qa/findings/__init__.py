"""Findings: one row per defect, traceable to its bytes; samples; counts.

- :mod:`.rows`: check hits -> finding rows (record, file, line, outlet filled in by the
  framework), ``findings.jsonl`` (:class:`FindingsWriter`).
- :mod:`.samples`: the evidence samples with their context (:class:`Sampler`).
- :mod:`.tally`: what each chunk saw, merged into dump-wide counts (:class:`ChunkStats`).
"""

from typing import TYPE_CHECKING

from corpus_qa._exports import lazy_exports

if TYPE_CHECKING:
    from corpus_qa.findings.rows import FindingsWriter, empty_findings, finding_dicts
    from corpus_qa.findings.samples import Sampler, sample_chunk
    from corpus_qa.findings.tally import UNKNOWN_OUTLET, ChunkStats

__all__ = [
    "UNKNOWN_OUTLET",
    "ChunkStats",
    "FindingsWriter",
    "Sampler",
    "empty_findings",
    "finding_dicts",
    "sample_chunk",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "ChunkStats": "corpus_qa.findings.tally",
        "FindingsWriter": "corpus_qa.findings.rows",
        "Sampler": "corpus_qa.findings.samples",
        "UNKNOWN_OUTLET": "corpus_qa.findings.tally",
        "empty_findings": "corpus_qa.findings.rows",
        "finding_dicts": "corpus_qa.findings.rows",
        "sample_chunk": "corpus_qa.findings.samples",
    },
)
