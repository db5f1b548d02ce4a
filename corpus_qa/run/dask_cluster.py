"""``--engine dask``: the same :func:`process_chunk` on a Dask cluster.

The client (this process) plans the dump and submits one task per chunk, keeping at
most two chunks per worker thread in flight so neither the client nor the cluster
holds the dump. A JSONL range goes to the workers as a byte range, which they read
themselves, when they can: the file is in object storage, or the cluster runs on this
machine (started for the run, or a scheduler on loopback). Otherwise the client reads
it (a remote cluster's workers need not see the client's disk).

Global checks that declare ``partition_by`` are shuffled (:mod:`corpus_qa.run.shuffle`):
each chunk's task cuts their states by key hash into partitions (``--partitions``,
default one per worker) that stay on the workers, and after the last chunk one reducer
task per partition finalizes its part, so the client receives findings, never those
states. Near-duplicates are shuffled by LSH band: the client receives only the state
rows of the candidates. Any other global check's states come back whole, spilled
columns included (the workers write no spill files), and the client spills and
finalizes them (:mod:`corpus_qa.checks.global_state`), exactly as the pandas engine
does, so findings are identical. Without ``--scheduler`` a local cluster (one
single-threaded worker process per core) is started for the run.
"""

from __future__ import annotations

import importlib
import sys
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from corpus_qa.checks.api import ConfirmingGlobalCheck, GlobalCheck
from corpus_qa.errors import ConfigError, CorpusQAError, WorkerError
from corpus_qa.ingest import LineRange, Planned, load_unit
from corpus_qa.run.chunk import ChunkContext, ChunkResult, process_chunk
from corpus_qa.run.shuffle import (
    KEPT,
    Reduced,
    bucket_members,
    bucketed,
    merge_partitions,
    partitioned,
    reduce_partition,
    rows_by_chunk,
    split_states,
    take_rows,
)
from corpus_qa.run.workers import describe_chunk

#: A partitioned check's pieces of one chunk, by (check id, partition).
Pieces = dict[tuple[str, int], pd.DataFrame]
_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def _ship_user_checks(ctx: ChunkContext) -> None:
    """Pickle ``--checks-dir`` modules by value: cluster workers cannot import them."""
    cloudpickle: Any = importlib.import_module("cloudpickle")

    for check in ctx.checks:
        module = type(check).__module__
        if module.startswith("corpus_qa_user_checks.") and module in sys.modules:
            cloudpickle.register_pickle_by_value(sys.modules[module])


def run_dask(
    chunks: Iterable[Sequence[Planned]],
    ctx: ChunkContext,
    scheduler: str | None,
    jobs: int,
    reduced: Reduced | None = None,
    partitions: int | None = None,
) -> Iterator[ChunkResult]:
    """Process ``chunks`` on Dask; yield results as they finish (any order).

    With ``reduced`` given, the shuffled global checks' states stay on the cluster,
    cut into ``partitions`` (default: one per worker): after the last result the
    partitioned checks' findings and the bucketed checks' candidate rows land in
    ``reduced``, and the results carry no state of theirs. Without it every state
    comes back whole."""
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
        shared = scheduler is None or urlsplit(f"//{scheduler.split('://')[-1]}").hostname in (
            _LOOPBACK
        )
        with client:
            yield from _submit_all(
                client,
                distributed.as_completed,
                chunks,
                ctx,
                shared=shared,
                reduced=reduced,
                partitions=partitions,
            )
    finally:
        if cluster is not None:
            cluster.close()


def _chunk_task(
    index: int,
    planned: Sequence[Planned],
    ctx: ChunkContext,
    shuffled: Sequence[GlobalCheck],
    parts: int,
) -> tuple[ChunkResult, Pieces]:
    """:func:`process_chunk` on a worker, the shuffled checks' states cut by key."""
    result = process_chunk(index, planned, ctx)
    pieces = split_states(index, result.states, shuffled, parts)  # type: ignore[arg-type]
    return result, pieces


def _piece(pair: tuple[ChunkResult, Pieces], key: tuple[str, int]) -> pd.DataFrame | None:
    return pair[1].get(key)


def _readable_there(unit: Planned, shared: bool) -> bool:
    """Whether a worker can read ``unit`` itself (an object, or this machine's file)."""
    return isinstance(unit, LineRange) and (shared or unit.file.url is not None)


def _submit_all(
    client: Any,
    as_completed: Any,
    chunks: Iterable[Sequence[Planned]],
    ctx: ChunkContext,
    *,
    shared: bool = False,
    reduced: Reduced | None = None,
    partitions: int | None = None,
) -> Iterator[ChunkResult]:
    from operator import getitem

    threads = sum(client.nthreads().values()) or 1
    window = 2 * threads
    run_id = uuid.uuid4().hex[:8]
    [shared_ctx] = client.scatter([ctx], broadcast=True)
    finalized = partitioned(ctx.checks) if reduced is not None else []
    narrowed = bucketed(ctx.checks) if reduced is not None else []
    shuffled: list[GlobalCheck] = [*finalized, *narrowed]
    parts = partitions or max(1, len(client.nthreads()))
    #: Per (check, partition), the futures of its pieces, in chunk order (on the workers);
    #: a bucketed check's whole states at (check, KEPT).
    pieces: dict[tuple[str, int], list[Any]] = {
        (c.id, p): [] for c in shuffled for p in range(parts)
    }
    pieces.update({(c.id, KEPT): [] for c in narrowed})
    where: dict[str, str] = {}
    running = as_completed()
    for index, planned in enumerate(chunks):
        units = [u if _readable_there(u, shared) else load_unit(u) for u in planned]
        key = f"corpus-qa-{run_id}-{index}"
        pair = client.submit(
            _chunk_task, index, units, shared_ctx, shuffled, parts, key=f"{key}-pair"
        )
        future = client.submit(getitem, pair, 0, key=key)
        for piece_key, futures in pieces.items():
            futures.append(client.submit(_piece, pair, piece_key, key=f"{key}-{piece_key}"))
        pair.release()
        where[future.key] = describe_chunk(units)
        running.add(future)
        while running.count() >= window:
            yield _result(next(running), where)
    for future in running:
        yield _result(future, where)
    if reduced is not None:
        _reduce(client, finalized, pieces, parts, reduced)
        _narrow(client, narrowed, pieces, parts, reduced)


def _gather(futures: Sequence[Any], check_id: str) -> list[Any]:
    """The futures' results, in order, each released once read."""
    results = []
    for future in futures:
        try:
            results.append(future.result())
        except CorpusQAError:
            raise
        except Exception as error:
            raise WorkerError(
                f"finalizing {check_id} on Dask failed: {type(error).__name__}: {error}"
            ) from error
        finally:
            future.release()
    return results


def _reduce(
    client: Any,
    shuffled: Sequence[GlobalCheck],
    pieces: dict[tuple[str, int], list[Any]],
    parts: int,
    reduced: Reduced,
) -> None:
    """Each shuffled check's findings: one reducer per partition, merged in row order."""
    reducers = {
        check: [
            client.submit(reduce_partition, check, pieces.pop((check.id, p))) for p in range(parts)
        ]
        for check in shuffled
    }
    for check, futures in reducers.items():
        reduced.findings[check.id] = merge_partitions(_gather(futures, check.id), check.unique_hits)


def _narrow(
    client: Any,
    checks: Sequence[ConfirmingGlobalCheck],
    pieces: dict[tuple[str, int], list[Any]],
    parts: int,
    reduced: Reduced,
) -> None:
    """Each bucketed check's candidate rows: one reducer per partition names the rows
    sharing a bucket, and only those rows come from the chunks' states to the client."""
    members = {
        check.id: [client.submit(bucket_members, pieces.pop((check.id, p))) for p in range(parts)]
        for check in checks
    }
    for check_id, futures in members.items():
        found = _gather(futures, check_id)
        ordinals = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
        wanted = rows_by_chunk(ordinals)
        kept = pieces.pop((check_id, KEPT))
        takes = [
            client.submit(take_rows, kept[index], rows) for index, rows in sorted(wanted.items())
        ]
        for future in kept:
            future.release()
        rows = _gather(takes, check_id)
        if rows:
            reduced.states[check_id] = pd.concat(rows, ignore_index=True)


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
