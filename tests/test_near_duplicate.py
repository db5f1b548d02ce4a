"""record.near_duplicate: syndicated copies come back as clusters with their members."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.checks.builtin.near_duplicate import NearDuplicate
from corpus_qa.testing.synth import Rates, write_jsonl
from corpus_qa.text.shingles import jaccard, pair_jaccards, shingle_sets, shingle_table
from tests.conftest import REPO, examples, read_jsonl, run_check

CHECK = "record.near_duplicate"
POLICY = f'[checks."{CHECK}"]\nenabled = true\nmax_rate = 1\n'


def _tuple_jaccard(a: str, b: str, k: int = 5) -> float:
    """The reference: Jaccard of the two texts' word k-gram sets, as Python tuples."""

    def grams(text: str) -> set[tuple[str, ...]]:
        words = text.split()
        return {tuple(words[i : i + k]) for i in range(len(words) - k + 1)}

    x, y = grams(a), grams(b)
    return len(x & y) / len(x | y) if x | y else 0.0


def _near(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f["check"] == CHECK]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """600 records, 3% syndicated copies of earlier stories (often chunks away)."""
    folder = tmp_path_factory.mktemp("near")
    dump = folder / "feed.jsonl"
    write_jsonl(dump, 600, seed=5, rates=Rates(record_near_duplicate=0.03, record_duplicate=0))
    policy = folder / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    return dump, policy


def test_near_duplicate_clusters_match_the_planted_copies(
    planted: tuple[Path, Path], tmp_path: Path
) -> None:
    dump, policy = planted
    _, report, findings = run_check(dump, tmp_path / "out", "--policy", str(policy), "--jobs", "1")
    records = read_jsonl(dump)
    expected = {r["id"] for r in records if CHECK in r["planted"]}
    found = _near(findings)
    assert expected and {f["record_id"] for f in found} == expected
    assert all("cluster of" in f["message"] for f in found)
    # Every finding names a first member earlier in the dump that really is similar.
    text = {r["id"]: r["text"] for r in records}
    order = {r["id"]: i for i, r in enumerate(records)}
    for finding in found:
        first = finding["message"].split()[2]
        assert order[first] < order[finding["record_id"]]
        assert _tuple_jaccard(text[first], text[finding["record_id"]]) >= 0.8 or any(
            _tuple_jaccard(text[finding["record_id"]], text[other]) >= 0.8
            for other in finding["message"].split(": ", 1)[1].split(", ")
            if other != finding["record_id"]
        )
    assert report["checks"]


@pytest.mark.slow
def test_findings_are_the_same_whatever_the_chunks_and_jobs(
    planted: tuple[Path, Path], tmp_path: Path
) -> None:
    dump, policy = planted
    runs = [
        _near(run_check(dump, tmp_path / name, "--policy", str(policy), *args)[2])
        for name, args in [
            ("whole", ("--jobs", "1")),
            ("small", ("--jobs", "1", "--chunk-size", "50")),
            ("two", ("--jobs", "2", "--chunk-size", "120")),
        ]
    ]
    assert runs[0] and runs[0] == runs[1] == runs[2]


def test_unrelated_articles_are_not_clustered(tmp_path: Path) -> None:
    # Synth bodies are drawn from the same dozen sentences, so unrelated articles share
    # many words and some 5-grams: a hard case for false positives.
    dump = tmp_path / "feed.jsonl"
    write_jsonl(dump, 800, seed=9, rates=Rates(record_near_duplicate=0, record_duplicate=0))
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    _, report, findings = run_check(dump, tmp_path / "out", "--policy", str(policy))
    assert _near(findings) == []
    assert next(c for c in report["checks"] if c["id"] == CHECK)["count"] == 0


def test_clusters_equal_the_exact_pairs_found_by_brute_force(tmp_path: Path) -> None:
    dump = tmp_path / "feed.jsonl"
    write_jsonl(dump, 250, seed=3, rates=Rates(record_near_duplicate=0.06, record_duplicate=0.02))
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    findings = _near(run_check(dump, tmp_path / "out", "--policy", str(policy))[2])
    records = read_jsonl(dump)
    sets = shingle_sets(pd.Series([r["text"] for r in records], dtype="str"), 5)
    # Every pair over the threshold, by exact Jaccard on all 31,125 pairs.
    parent = list(range(len(records)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for a, b in combinations(range(len(records)), 2):
        if jaccard(sets[a], sets[b]) >= 0.8:
            parent[max(root(a), root(b))] = min(root(a), root(b))
    members = {records[i]["id"] for i in range(len(records)) if root(i) != i}
    assert members and {f["record_id"] for f in findings} == members


@pytest.mark.dask
def test_dask_engine_finds_the_same_clusters(
    planted: tuple[Path, Path], tmp_path: Path, dask_cluster: str
) -> None:
    dump, policy = planted
    args = ("--policy", str(policy), "--chunk-size", "100")
    local = _near(run_check(dump, tmp_path / "pandas", *args, "--jobs", "1")[2])
    dask = _near(
        run_check(dump, tmp_path / "dask", *args, "--engine", "dask", "--scheduler", dask_cluster)[
            2
        ]
    )
    assert local and dask == local


_STATE = """
import json, sys
import pandas as pd
from corpus_qa.checks.builtin.near_duplicate import NearDuplicate
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
articles = pd.DataFrame({
    "record_id": [r["id"] for r in rows], "source_path": "f", "line_start": range(len(rows)),
    "outlet": [r["outlet"] for r in rows], "body": pd.Series([r["text"] for r in rows], dtype="str"),
})
state = NearDuplicate().observe(articles, pd.DataFrame())
print(state.filter(like="sig_").to_json(orient="values"))
"""


def test_signatures_do_not_depend_on_the_process_hash_seed(
    planted: tuple[Path, Path], tmp_path: Path
) -> None:
    dump, _ = planted
    small = tmp_path / "small.jsonl"
    small.write_text("".join(dump.read_text(encoding="utf-8").splitlines(True)[:40]), "utf-8")
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _STATE, str(small)],
            capture_output=True, text=True, check=True, env=env, timeout=120,
        )  # fmt: skip
        outputs.append(json.loads(done.stdout))
    assert outputs[0] and outputs[0] == outputs[1]


_WORDS = st.sampled_from(["wire", "story", "the", "council", "said", "budget", "Busan", "été"])


@settings(max_examples=examples(300), deadline=None)
@given(
    base=st.lists(_WORDS, min_size=50, max_size=120),
    edits=st.lists(
        st.tuples(st.integers(0, 200), st.one_of(st.none(), _WORDS)), min_size=0, max_size=12
    ),
)
def test_confirmed_pairs_really_reach_the_threshold(
    base: list[str], edits: list[tuple[int, str | None]]
) -> None:
    """Shingle-hash Jaccard equals the word 5-gram Jaccard, and confirmation follows it."""
    copy = list(base)
    for at, word in edits:  # delete a word, or insert one
        if word is None and copy:
            del copy[at % len(copy)]
        elif word is not None:
            copy.insert(at % (len(copy) + 1), word)
    texts = [" ".join(base), "\n".join(copy)]
    sets = shingle_sets(pd.Series(texts, dtype="str"), 5)
    reference = _tuple_jaccard(*texts)
    assert jaccard(sets[0], sets[1]) == pytest.approx(reference)
    similarity = pair_jaccards(*shingle_table(pd.Series(texts, dtype="str"), 5), np.array([[0, 1]]))
    assert similarity.tolist() == [jaccard(sets[0], sets[1])]
    joined = NearDuplicate({"threshold": 0.8}).confirmed(np.array([[0, 1]]), similarity)
    assert (joined == {0: 0, 1: 0}) == (reference >= 0.8)


def test_no_body_reaching_min_words_finds_nothing(tmp_path: Path) -> None:
    """Short bodies only (three languages): the check runs, passes and reads nothing back;
    the check called on the empty state and an empty spill finds nothing either."""
    bodies = [
        "Der Rat tagte am Montag.",
        "Le conseil a voté hier soir.",
        "시의회가 예산을 승인했다.",
    ]
    records = [
        {"id": f"r{i}", "url": f"https://example.com/{i}", "title": f"Story {i}",
         "text": bodies[i % 3], "author": "Kim Min-su", "date": "2024-03-01"}
        for i in range(30)
    ]  # fmt: skip
    dump = tmp_path / "short.jsonl"
    dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    for jobs in ("1", "2"):
        code, report, findings = run_check(
            dump,
            tmp_path / f"out{jobs}",
            "--policy",
            str(policy),
            "--jobs",
            jobs,
            "--chunk-size",
            "7",
        )
        assert code == 0
        result = next(c for c in report["checks"] if c["id"] == CHECK)
        assert result["status"] == "pass" and result["count"] == 0
        assert not _near(findings)
        assert report["counts"]["records_read"] == report["counts"]["records_checked"] == 30
    articles = pd.DataFrame(
        {"record_id": ["a", "b"], "source_path": "f", "line_start": [1, 2], "outlet": "x",
         "body": pd.Series(bodies[:2], dtype="str")}
    )  # fmt: skip
    check = NearDuplicate()
    state = check.observe(articles, pd.DataFrame())
    assert len(state) == 0
    from corpus_qa.checks.global_state import Spill

    for rows in (None, Spill()):
        assert check.wanted(state, rows) == set()
        assert check.confirm(state, {}, rows).empty
