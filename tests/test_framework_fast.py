"""The framework's shortcuts around the checks give what the plain forms give."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_qa.catalog import load_checks
from corpus_qa.engine import ChunkContext, chunk_units, process_chunk
from corpus_qa.ingest import FieldMap, discover, iter_plan
from corpus_qa.policy import load_policy
from corpus_qa.samples import Sampler


def _context(samples: int) -> ChunkContext:
    policy = load_policy(None)
    checks = [check for check in load_checks(()) if policy.for_check(check.id).enabled]
    return ChunkContext(checks=checks, policy=policy, samples=samples)


@pytest.mark.parametrize("limit", [0, 1, 3])
def test_chunks_skip_only_samples_the_run_would_drop(synthetic_dump: Path, limit: int) -> None:
    ctx = _context(limit)
    planned = iter_plan(discover(synthetic_dump), chunk_size=300, fields=FieldMap())
    whole, skipping = Sampler(limit), Sampler(limit)
    skipped = 0
    for index, chunk in enumerate(chunk_units(planned, 300)):
        full = process_chunk(index, chunk, ctx)
        sampled = skipping.full()
        short = process_chunk(index, chunk, ctx, sampled)
        assert short.findings.equals(full.findings)
        skipped += len(full.samples) - len(short.samples)
        whole.add(full.samples, full.records)
        skipping.add(short.samples, short.records)
    assert skipping.samples == whole.samples
    assert skipping.records == whole.records
    assert skipped > 0 or limit == 0
