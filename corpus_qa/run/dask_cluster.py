"""``--engine dask``: the same :func:`process_chunk` on a Dask cluster.

The client (this process) reads the dump and submits one task per chunk, keeping at
most two chunks per worker thread in flight so neither the client nor the cluster
holds the dump. The client reads JSONL ranges itself (:func:`load_unit`) rather than
sending byte ranges: a cluster's workers need not see the client's files. For the
same reason they send global checks' states whole, spilled columns included: unlike
``--jobs`` workers (:mod:`corpus_qa.run.workers`) they write no spill files, and the
client spills what they send (:mod:`corpus_qa.checks.global_state`). The states are finalized
here, exactly as with the pandas engine, so findings are identical. Without
``--scheduler`` a local cluster (one single-threaded worker process per core) is
started for the run.
"""

from __future__ import annotations

import importlib
import sys
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from corpus_qa.errors import ConfigError, CorpusQAError, WorkerError
from corpus_qa.ingest import Planned, load_unit
from corpus_qa.run.chunk import ChunkContext, ChunkResult, process_chunk
from corpus_qa.run.workers import describe_chunk


def _ship_user_checks(ctx: ChunkContext) -> None:
    """Pickle ``--checks-dir`` modules by value: cluster workers cannot import them."""
    cloudpickle: Any = importlib.import_module("cloudpickle")

    for check in ctx.checks:
        module = type(check).__module__
        if module.startswith("corpus_qa_user_checks.") and module in sys.modules:
            cloudpickle.register_pickle_by_value(sys.modules[module])


def run_dask(
    chunks: Iterable[Sequence[Planned]], ctx: ChunkContext, scheduler: str | None, jobs: int
) -> Iterator[ChunkResult]:
    """Process ``chunks`` on Dask; yield results as they finish (any order)."""
    try:
        distributed: Any = importlib.import_module("distributed")
    except ImportError as error:
        raise ConfigError(
            "--engine dask needs dask[distributed]: pip install 'corpus-qa[dask]'"
        ) from error
    _ship_user_checks(ctx)
    cluster: Any = None
    try:
        if scheduler is None:
            cluster = distributed.LocalCluster(
                n_workers=jobs,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            client = distributed.Client(cluster)
        else:
            try:
                client = distributed.Client(scheduler, timeout="20s")
            except OSError as error:
                raise ConfigError(
                    f"cannot reach the Dask scheduler at {scheduler}: {error}"
                ) from error
        with client:
            yield from _submit_all(client, distributed.as_completed, chunks, ctx)
    finally:
        if cluster is not None:
            cluster.close()


def _submit_all(
    client: Any, as_completed: Any, chunks: Iterable[Sequence[Planned]], ctx: ChunkContext
) -> Iterator[ChunkResult]:
    threads = sum(client.nthreads().values()) or 1
    window = 2 * threads
    run_id = uuid.uuid4().hex[:8]
    [shared_ctx] = client.scatter([ctx], broadcast=True)
    where: dict[str, str] = {}
    running = as_completed()
    for index, planned in enumerate(chunks):
        units = [load_unit(unit) for unit in planned]
        future = client.submit(
            process_chunk, index, units, shared_ctx, key=f"corpus-qa-{run_id}-{index}"
        )
        where[future.key] = describe_chunk(units)
        running.add(future)
        while running.count() >= window:
            yield _result(next(running), where)
    for future in running:
        yield _result(future, where)


def _result(future: Any, where: dict[str, str]) -> ChunkResult:
    chunk = where.pop(future.key, "?")
    try:
        result: ChunkResult = future.result()
    except CorpusQAError:
        raise
    except Exception as error:
        raise WorkerError(
            f"checking the chunk starting at {chunk} on Dask failed: "
            f"{type(error).__name__}: {error}"
        ) from error
    finally:
        future.release()
    return result
