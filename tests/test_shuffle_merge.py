"""The shuffle's map, reduce and merge steps run in this process, as a cluster runs
them: for any chunking and any partition count, the partitioned checks give the
findings of the whole state, in its order, and a bucketed check confirms the same
candidates. The real cluster run is tests/test_dask_shuffle.py."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.checks.api import GlobalCheck
from corpus_qa.checks.builtin.headlines import ForeignHeadline
from corpus_qa.checks.builtin.near_duplicate import NearDuplicate
from corpus_qa.checks.builtin.recurring import BoilerplateRecurring
from corpus_qa.findings.rows import from_global_hits
from corpus_qa.model import ArticleDraft
from corpus_qa.run.shuffle import (
    KEPT,
    bucket_members,
    merge_partitions,
    reduce_partition,
    rows_by_chunk,
    split_states,
    take_rows,
)
from corpus_qa.tables.build import build_tables, drafts_frame
from corpus_qa.testing.synth import Rates, generate_records
from tests.conftest import examples
from tests.test_outlet_boilerplate import outlets


def _drafts() -> list[ArticleDraft]:
    """Three realistic outlets, interleaved; some ids reused by another outlet's page
    (a read-also line there at the same offset: one finding, not two), and near-copies
    of pages planted far from their originals."""
    built = outlets()
    drafts = [d for group in zip(*(o.drafts for o in built), strict=False) for d in group]
    drafts += [d for o in built for d in o.drafts[20:]]
    reused = [
        dataclasses.replace(
            drafts[i], record_id=drafts[i + 3].record_id, line_start=2000 + i, line_end=2000 + i
        )
        for i in range(0, 30, 6)
    ]
    near = [
        dataclasses.replace(
            d,
            record_id=f"near-{n}",
            line_start=1000 + n,
            line_end=1000 + n,
            body=d.body + "\nOne more sentence was added by the second site's editors.",
        )
        for n, d in enumerate(drafts[:60:7])
    ]
    return drafts + reused + near


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    table, _ = build_tables(drafts_frame(_drafts()))
    return table.reset_index(drop=True)


def _chunks(articles: pd.DataFrame, cuts: list[int]) -> list[pd.DataFrame]:
    bounds = [0, *sorted(set(cuts)), len(articles)]
    return [articles.iloc[a:b].reset_index(drop=True) for a, b in itertools.pairwise(bounds)]


def _states(check: GlobalCheck, chunks: list[pd.DataFrame]) -> list[pd.DataFrame]:
    check.prepare()
    empty = pd.DataFrame()
    return [check.observe(chunk, empty) for chunk in chunks]


def _pieces(
    check: GlobalCheck, states: list[pd.DataFrame], parts: int
) -> list[dict[tuple[str, int], pd.DataFrame]]:
    return [split_states(i, {check.id: s}, [check], parts) for i, s in enumerate(states)]


cuts = st.lists(st.integers(1, 290), max_size=4)


@settings(max_examples=examples(200), deadline=None)
@given(cuts=cuts, parts=st.integers(1, 7))
@pytest.mark.parametrize(
    "check", [ForeignHeadline(), BoilerplateRecurring({"min_pages": 5})], ids=lambda c: c.id
)
def test_partitions_merge_into_the_whole_states_findings(
    articles: pd.DataFrame, check: GlobalCheck, cuts: list[int], parts: int
) -> None:
    states = _states(check, _chunks(articles, cuts))
    whole = from_global_hits(check, check.finalize(pd.concat(states, ignore_index=True)))
    pieces = _pieces(check, states, parts)
    found = [reduce_partition(check, [p.get((check.id, k)) for p in pieces]) for k in range(parts)]
    merged = merge_partitions(found, check.unique_hits)
    assert len(whole) > 20
    pd.testing.assert_frame_equal(merged, whole)


def test_a_reused_id_at_one_offset_is_one_finding_across_partitions(
    articles: pd.DataFrame,
) -> None:
    check = ForeignHeadline()
    states = _states(check, _chunks(articles, [100, 200]))
    whole = from_global_hits(check, check.finalize(pd.concat(states, ignore_index=True)))
    pieces = _pieces(check, states, 5)
    found = [reduce_partition(check, [p.get((check.id, k)) for p in pieces]) for k in range(5)]
    everything = pd.concat(found, ignore_index=True)
    # Partitions found the same (record id, offset) twice; the merge keeps the first.
    assert everything.duplicated(["record_id", "start"]).any()
    assert not whole.duplicated(["record_id", "start"]).any()
    assert len(merge_partitions(found, check.unique_hits)) == len(whole)


def _confirmed(
    check: NearDuplicate, state: pd.DataFrame, texts: dict[tuple[str, int], str]
) -> pd.DataFrame:
    wanted = check.wanted(state)
    return from_global_hits(check, check.confirm(state, {k: texts[k] for k in wanted}))


@pytest.fixture(scope="module")
def syndicated() -> pd.DataFrame:
    """Generated news records, a tenth of them copies or near-copies of earlier ones."""
    rates = Rates(record_duplicate=0.04, record_near_duplicate=0.06)
    drafts = [
        ArticleDraft(
            record_id=str(r["id"]),
            source_path="feed.jsonl",
            line_start=n + 1,
            line_end=n + 1,
            role="record",
            title=str(r["title"]),
            title_line=None,
            body=str(r["text"]),
            body_lines=[],
            outlet=str(r["outlet"]),
        )
        for n, r in enumerate(generate_records(300, seed=5, rates=rates))
    ]
    table, _ = build_tables(drafts_frame(drafts))
    return table.reset_index(drop=True)


@settings(max_examples=examples(200), deadline=None)
@given(cuts=cuts, parts=st.integers(1, 7))
def test_band_partitions_give_the_near_duplicates_of_the_whole_state(
    syndicated: pd.DataFrame, cuts: list[int], parts: int
) -> None:
    articles = syndicated
    check = NearDuplicate()
    texts = {
        (str(p), int(n)): str(b)
        for p, n, b in zip(
            articles["source_path"], articles["line_start"], articles["body"], strict=True
        )
    }
    states = _states(check, _chunks(articles, cuts))
    whole_state = pd.concat(states, ignore_index=True)
    whole = _confirmed(check, whole_state, texts)
    pieces = _pieces(check, states, parts)
    ordinals = np.unique(
        np.concatenate(
            [bucket_members([p.get((check.id, k)) for p in pieces]) for k in range(parts)]
        )
    )
    rows = rows_by_chunk(ordinals)
    narrowed = pd.concat(
        [take_rows(pieces[i][(check.id, KEPT)], r) for i, r in sorted(rows.items())],
        ignore_index=True,
    )
    # The client gets the candidates' rows, a small part of the state.
    assert 0 < len(narrowed) < len(whole_state) / 2
    assert len(whole) >= 10
    pd.testing.assert_frame_equal(_confirmed(check, narrowed, texts), whole)
