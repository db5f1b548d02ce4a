"""Global checks' states kept compact: spilled columns, codes, and the same findings."""

from __future__ import annotations

import json
from collections import defaultdict
from itertools import pairwise

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.checks.builtin.record import RecordDuplicate, RecordDuplicateId
from corpus_qa.checks.builtin.recurring import BoilerplateRecurring
from corpus_qa.checks.codes import _Runs
from corpus_qa.checks.global_state import Codes, GlobalStates
from corpus_qa.findings.rows import conform, finding_dicts, json_lines
from corpus_qa.model import ArticleDraft
from corpus_qa.tables.build import build_tables, drafts_frame
from corpus_qa.text.keys import collapse
from tests.conftest import examples

PROMO = "Melden Sie sich für unseren Newsletter an, jeden Morgen."


def test_codes_are_equal_exactly_for_equal_strings_across_chunks() -> None:
    codes = Codes()
    first = codes.encode(pd.Series(["a#1", "b#2", None, "a#1"], dtype="str"))
    second = codes.encode(pd.Series(["b#2", "c#3", "a#1"], dtype="str"))
    assert first.tolist() == [0, 1, -1, 0]
    assert second.tolist() == [1, 2, 0]
    assert codes.encode(pd.Series([], dtype="str")).tolist() == []


@settings(max_examples=60)
@given(
    st.lists(st.lists(st.sampled_from(["a", "b", "ab", "é", "", None, "a b", "B"]), max_size=8)),
    st.sampled_from(["default", "one bucket", "by length"]),
)
def test_codes_stay_exact_when_hashes_collide(chunks: list[list[str | None]], hashing: str) -> None:
    # The code book finds strings by a 64-bit hash: a hash shared by two strings (all
    # of them, or every string of one length) must still give each its own code, the
    # codes a dict would give, in order of appearance.
    hashers = {
        "default": None,
        "one bucket": lambda v: np.zeros(len(v), dtype=np.uint64),
        "by length": lambda v: np.asarray(pc.binary_length(v), dtype=np.uint64),
    }
    codes = Codes(hashers[hashing])
    book: dict[str, int] = {}
    for chunk in chunks:
        got = codes.encode(pd.Series(chunk, dtype="str"))
        assert got.dtype == np.int32
        assert got.tolist() == [-1 if v is None else book.setdefault(v, len(book)) for v in chunk]
    assert len(codes) == len(book)


@settings(max_examples=80)
@given(
    st.lists(st.lists(st.integers(0, 12), max_size=30), max_size=6),
    st.lists(st.integers(0, 14), max_size=40),
)
def test_code_runs_give_every_stored_code_of_every_hash(
    added: list[list[int]], wanted: list[int]
) -> None:
    # The runs are searched with the wanted hashes sorted: the pairs must be those of
    # a plain multimap, whatever the order and repeats of the hashes asked for.
    runs, stored = _Runs(), defaultdict(list)
    code = 0
    for piece in added:
        hashes = np.asarray(piece, dtype=np.uint64)
        codes = np.arange(code, code + len(piece), dtype=np.int32)
        code += len(piece)
        runs.add(hashes, codes)
        for h, c in zip(piece, codes.tolist(), strict=True):
            stored[h].append(c)
    found = runs.candidates(np.asarray(wanted, dtype=np.uint64))
    pairs = []
    for at, codes in found:
        assert len(set(at.tolist())) == len(at)  # at most one candidate a position a round
        assert at.tolist() == sorted(at.tolist())
        pairs += list(zip(at.tolist(), codes.tolist(), strict=True))
    assert sorted(pairs) == sorted((i, c) for i, h in enumerate(wanted) for c in stored[h])


def _drafts(n: int) -> list[ArticleDraft]:
    drafts = []
    for i in range(n):
        paragraphs = [f"Story {i} says something no other story here says at all."]
        if i % 3:
            paragraphs.append(PROMO)
        drafts.append(
            ArticleDraft(
                # Ids 4 and 5 collide, and 7 repeats 1's title and body.
                record_id=f"r{min(i, 4) if i in (4, 5) else i}",
                source_path=f"feed-{i % 2}.jsonl",
                line_start=i + 1,
                line_end=i + 1,
                role="main",
                title="Same" if i in (1, 7) else f"Title {i}",
                title_line=None,
                body="\n\n".join(paragraphs)
                if i != 7
                else "\n\n".join(
                    [f"Story {1} says something no other story here says at all.", PROMO]
                ),
                body_lines=None,
                outlet=None if i % 4 == 0 else "Nord Kurier",
            )
        )
    return drafts


def test_spilled_states_give_the_findings_of_whole_states() -> None:
    articles, images = build_tables(drafts_frame(_drafts(24)))
    checks = [BoilerplateRecurring({"min_pages": 3}), RecordDuplicate(), RecordDuplicateId()]
    bounds = [0, 5, 5, 13, 24]  # an empty chunk too
    chunks = [articles.iloc[a:b].reset_index(drop=True) for a, b in pairwise(bounds)]
    with GlobalStates(checks) as store:
        folder = store.folder
        assert folder is not None and folder.is_dir()
        for chunk in chunks:
            store.add({check.id: check.observe(chunk, images) for check in checks})
        for check in checks:
            whole = pd.concat([check.observe(c, images) for c in chunks], ignore_index=True)
            state, rows = store.state(check.id)
            assert rows is not None
            assert "evidence" not in state.columns and "source_path" not in state.columns
            spilled = check.finalize(state, rows)
            pd.testing.assert_frame_equal(spilled, check.finalize(whole))
            assert len(spilled), check.id
    assert not folder.exists()


@settings(max_examples=examples(40))
@given(
    st.lists(st.integers(0, 30), min_size=0, max_size=40),
    st.lists(st.integers(1, 9), min_size=1, max_size=5),
)
def test_spill_reads_back_any_rows_in_any_order(picks: list[int], sizes: list[int]) -> None:
    frames = []
    for k, size in enumerate(sizes):
        texts = [None if (k == 0 or j % 3 == 0) else f"t{k}-{j} é" for j in range(size)]
        frames.append(
            pd.DataFrame(
                {
                    "text": pd.Series(texts, dtype="str"),
                    "line": np.arange(size, dtype="int64") + 100 * k,
                    "maybe": pd.Series([j if j % 2 else None for j in range(size)], dtype="Int64"),
                }
            )
        )
    whole = pd.concat(frames, ignore_index=True)
    rows = np.array([p % len(whole) for p in picks], dtype=np.int64)

    class Check(RecordDuplicate):
        id = "test.spill"
        spilled = ("text", "line", "maybe")

    with GlobalStates([Check()]) as store:
        for frame in frames:
            store.add({"test.spill": frame})
        _, spilled = store.state("test.spill")
        assert spilled is not None
        taken = spilled.take(rows)
    pd.testing.assert_frame_equal(taken, whole.iloc[rows].reset_index(drop=True))


@settings(max_examples=examples(40))
@given(
    st.lists(st.integers(0, 400), min_size=0, max_size=40),
    st.lists(st.tuples(st.integers(1, 300), st.integers(1, 200)), min_size=1, max_size=4),
)
def test_spilled_categories_read_back_as_their_strings(
    picks: list[int], chunks: list[tuple[int, int]]
) -> None:
    # Each chunk's strings as categories of its own (a few, or hundreds: pandas then
    # codes them in int8 or int16), read back as the strings they stand for.
    texts, frames = [], []
    for k, (size, distinct) in enumerate(chunks):
        values = [None if j % 7 == 3 else f"r{k}-{j % distinct} é" for j in range(size)]
        codes, uniques = pd.factorize(pd.Series(values, dtype="str"))
        frames.append(pd.DataFrame({"text": pd.Categorical.from_codes(codes, categories=uniques)}))
        texts.extend(values)
    whole = pd.DataFrame({"text": pd.Series(texts, dtype="str")})
    rows = np.array([p % len(whole) for p in picks], dtype=np.int64)

    class Check(RecordDuplicate):
        id = "test.spill"
        spilled = ("text",)

    with GlobalStates([Check()]) as store:
        for frame in frames:
            store.add({"test.spill": frame})
        _, spilled = store.state("test.spill")
        assert spilled is not None
        taken = spilled.take(rows)
    pd.testing.assert_frame_equal(taken, whole.iloc[rows].reset_index(drop=True))


HOSTILE = st.text(st.characters(blacklist_categories=["Cs"]), max_size=12)


@settings(max_examples=examples(60))
@given(st.lists(st.tuples(HOSTILE, st.one_of(st.none(), HOSTILE), st.none() | st.integers(0, 9))))
def test_findings_lines_are_json_dumps_of_each_finding(
    rows: list[tuple[str, str | None, int | None]],
) -> None:
    findings = conform(
        pd.DataFrame(
            {
                "check": "text.flattened",
                "severity": "warning",
                "record_id": [r[1] for r in rows],
                "source_path": "d.jsonl",
                "line": [r[2] for r in rows],
                "field": "body",
                "evidence": [r[0] for r in rows],
                "start": [r[2] for r in rows],
                "end": [r[2] for r in rows],
                "message": [f"50% {r[0]}" for r in rows],
                "outlet": [r[1] for r in rows],
            }
        )
    )
    expected = "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in finding_dicts(findings))
    assert json_lines(findings) == expected


@settings(max_examples=examples(80))
@given(st.lists(st.one_of(st.none(), st.text(st.sampled_from("ab é\t\n\r\v\f\u00a0"), max_size=9))))
def test_collapsing_only_what_needs_it_is_collapsing_everything(values: list[str | None]) -> None:
    strings = pa.array(values, pa.large_string())
    assert collapse(strings, rare=True).equals(collapse(strings))
