"""Running a check over a dump: plan, chunks, workers, finalize.

- :mod:`.runner`: one whole run (:func:`run`, :class:`RunOptions`, :class:`RunResult`).
- :mod:`.chunk`: the pure per-chunk pipeline (:func:`process_chunk`).
- :mod:`.workers`: chunks in local worker processes; :mod:`.dask_cluster`: on Dask.
- :mod:`.prehash`, :mod:`.refetch`, :mod:`.inputs`: hashing the dump meanwhile,
  re-reading a few bodies, describing the inputs (stopping on a signal is
  :mod:`corpus_qa.signals`, which checks use too).
- :mod:`.record_outputs`, :mod:`.output_paths`, :mod:`.output_set`:
  ``--quarantine``/``--clean-out``, where a run may write, and its outputs written
  into ``--out`` as one locked set.
"""

from typing import TYPE_CHECKING

from corpus_qa._exports import lazy_exports

if TYPE_CHECKING:
    from corpus_qa.run.chunk import ChunkContext, ChunkResult, process_chunk
    from corpus_qa.run.output_paths import check_output_paths
    from corpus_qa.run.runner import RunOptions, RunResult, run

__all__ = [
    "ChunkContext",
    "ChunkResult",
    "RunOptions",
    "RunResult",
    "check_output_paths",
    "process_chunk",
    "run",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "ChunkContext": "corpus_qa.run.chunk",
        "ChunkResult": "corpus_qa.run.chunk",
        "RunOptions": "corpus_qa.run.runner",
        "RunResult": "corpus_qa.run.runner",
        "check_output_paths": "corpus_qa.run.output_paths",
        "process_chunk": "corpus_qa.run.chunk",
        "run": "corpus_qa.run.runner",
    },
)
