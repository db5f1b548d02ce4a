"""The framework's shortcuts around the checks give what the plain forms give."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.checks.catalog import load_checks
from corpus_qa.findings.rows import conform, finding_dicts, json_lines
from corpus_qa.findings.samples import Sampler
from corpus_qa.gate.policy import load_policy
from corpus_qa.ingest import FieldMap, discover, iter_plan
from corpus_qa.run.chunk import ChunkContext, chunk_units, in_dump_order, process_chunk
from tests.conftest import examples


def _context(samples: int) -> ChunkContext:
    policy = load_policy(None)
    checks = [check for check in load_checks(()) if policy.for_check(check.id).enabled]
    return ChunkContext(checks=checks, policy=policy, samples=samples)


@pytest.mark.slow
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


_JSON_TEXT = st.text(st.sampled_from('ab"\\\n\x00\x1f\x7fé中😀\u2028'), max_size=8)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.tuples(st.none() | _JSON_TEXT, st.none() | st.integers(-(2**52), 2**52))))
def test_findings_written_by_arrow_are_json_dumps(rows: list[tuple[Any, Any]]) -> None:
    texts = pd.Series([r[0] for r in rows], dtype="str")
    findings = conform(
        pd.DataFrame(
            {
                "check": "x.y",
                "severity": "warning",
                "record_id": texts,
                "source_path": 'd"\\.jsonl',
                "line": pd.array([r[1] for r in rows], dtype="Int64"),
                "field": "body",
                "evidence": texts,
                "start": None,
                "end": pd.array([r[1] for r in rows], dtype="Int64"),
                "message": texts.fillna("") + "%s",
                "outlet": texts,
            }
        )
    )
    plain = "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in finding_dicts(findings))
    assert json_lines(findings) == plain
    # Strings pandas holds in Python objects take the per-value path, to the same text.
    mixed = findings.assign(evidence=findings["evidence"].astype(pd.StringDtype("python")))
    assert json_lines(mixed) == plain


def _plain_dump_order(findings: pd.DataFrame, files: list[str]) -> pd.DataFrame:
    ordinal = {name: i for i, name in reversed(list(enumerate(files)))}
    keyed = findings.assign(
        _file=findings["source_path"].map(ordinal).fillna(len(files)),
        _line=findings["line"].fillna(0),
        _start=findings["start"].fillna(-1),
    )
    keyed = keyed.sort_values(
        ["_file", "_line", "record_id", "check", "field", "_start"],
        kind="stable",
        na_position="first",
    )
    return keyed.drop(columns=["_file", "_line", "_start"]).reset_index(drop=True)


_KEYS = st.tuples(
    st.sampled_from(["a.jsonl", "b.jsonl", "c.jsonl"]),
    st.none() | st.integers(-2, 3),
    st.none() | st.sampled_from(["r1", "r10", "r2", "é", ""]),
    st.sampled_from(["x.b", "x.a", "schema.y"]),
    st.none() | st.sampled_from(["body", "title", "images[0].src"]),
    st.none() | st.integers(0, 4),
)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(_KEYS, max_size=30), st.permutations(["a.jsonl", "b.jsonl"]))
def test_findings_in_dump_order_are_pandas_stable_sort(rows: list[Any], files: list[str]) -> None:
    findings = conform(
        pd.DataFrame(
            {
                "check": [r[3] for r in rows],
                "severity": "warning",
                "record_id": [r[2] for r in rows],
                "source_path": [r[0] for r in rows],
                "line": pd.array([r[1] for r in rows], dtype="Int64"),
                "field": [r[4] for r in rows],
                "evidence": [str(n) for n in range(len(rows))],
                "start": pd.array([r[5] for r in rows], dtype="Int64"),
                "end": None,
                "message": "m",
                "outlet": None,
            }
        )
    )
    units = [SimpleNamespace(file=SimpleNamespace(display=name)) for name in files]
    got = in_dump_order(findings, units)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(got, _plain_dump_order(findings, files))


_IDS = st.lists(st.one_of(st.none(), st.sampled_from(["a1", "a2", "é3", "a10", ""])), max_size=8)


@given(_IDS, st.data())
def test_image_owners_compare_ids_as_the_object_arrays_do(
    articles: list[str | None], data: st.DataObject
) -> None:
    # Arrow compares the ids where they are; missing ids never match, as NaN does not.
    import numpy as np

    from corpus_qa.findings.rows import _same_ids

    owners = np.asarray(
        data.draw(st.lists(st.integers(0, max(len(articles) - 1, 0)), max_size=8))
        if articles
        else [],
        dtype="int64",
    )
    images = data.draw(
        st.one_of(
            st.just([articles[i] for i in owners]),
            st.lists(
                st.one_of(st.none(), st.sampled_from(["a1", "a2"])),
                min_size=len(owners),
                max_size=len(owners),
            ),
        )
    )
    ids = pd.Series(articles, dtype="str")
    taken = pd.Series(images, dtype="str")
    plain = bool((ids.to_numpy(dtype=object)[owners] == taken.to_numpy(dtype=object)).all())
    assert _same_ids(ids, owners, taken) == plain
    assert _same_ids(ids.astype(object), owners, taken.astype(object)) == plain
