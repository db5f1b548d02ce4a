"""make bench's peers count the six shared checks' failing records as corpus-qa does."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from corpus_qa.testing.synth import Rates, generate_records
from tests.conftest import run_check

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import peers  # type: ignore[import-not-found]  # noqa: E402
import targets  # type: ignore[import-not-found]  # noqa: E402

from bench.run import patterns, six_policy  # noqa: E402

#: Rare defects made common, so a few hundred records exercise every check.
RATES = Rates(
    byline_missing=0.1,
    email_truncated=0.08,
    email_obfuscated=0.08,
    boilerplate_leak=0.08,
    date_relative=0.1,
    date_missing=0.08,
)


def _edge_cases() -> list[dict[str, Any]]:
    """What the generator never writes: blanks, defects in titles, whole-line labels."""
    base = next(generate_records(1, seed=3, rates=Rates(**dict.fromkeys(vars(RATES), 0.0))))
    body = str(base["text"])
    cases = [
        {"author": "   "},
        {"date": "   "},
        {"date": ""},
        {"date": "yesterday"},
        {"title": "Tips to [email protected] please"},
        {"title": "Sign up for our newsletter today"},
        {"title": "Write to desk.editor@ now"},
        {"text": body + "\n\nAdvertisement\n\nMore prose follows here."},
        {"text": "Advertisement\n\n" + body},
        {"text": body + " Advertisement in a sentence is fine."},
        {"text": body + " Reach me at someone@example.com today."},
    ]
    return [{**base, **case, "id": f"edge{index}"} for index, case in enumerate(cases)]


@pytest.fixture(scope="module", params=["default", "mixed"])
def bench_dump(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp(f"peers-{request.param}")
    records = [*generate_records(400, seed=17, rates=RATES, profile=request.param), *_edge_cases()]
    dump = folder / "dump.jsonl"
    with dump.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return dump


@pytest.fixture(scope="module")
def corpus_qa_counts(bench_dump: Path) -> dict[str, int]:
    policy = bench_dump.parent / "six.toml"
    policy.write_text(six_policy(), encoding="utf-8")
    _, report, _ = run_check(bench_dump, bench_dump.parent / "out", "--policy", str(policy))
    enabled = {c["id"]: int(c["records"]) for c in report["checks"] if c["enabled"]}
    assert set(enabled) == set(peers.SIX)
    assert all(enabled.values()), enabled
    return enabled


@pytest.mark.parametrize("tool", ["duckdb_plain", "duckdb_tuned", "polars_plain", "polars_tuned"])
def test_peer_counts_agree_with_corpus_qa(
    tool: str, bench_dump: Path, corpus_qa_counts: dict[str, int]
) -> None:
    engine, _, variant = tool.partition("_")
    run = peers.run_duckdb if engine == "duckdb" else peers.run_polars
    assert run(str(bench_dump), patterns(), tuned=variant == "tuned") == corpus_qa_counts


def test_plain_pandera_on_the_six_agrees_with_corpus_qa(
    bench_dump: Path, corpus_qa_counts: dict[str, int]
) -> None:
    import tools  # type: ignore[import-not-found]

    found = tools.run_pandera(str(bench_dump), patterns(), six=True)
    assert found["records"] == corpus_qa_counts


@pytest.mark.slow
def test_gx_on_the_six_agrees_with_corpus_qa(
    bench_dump: Path, corpus_qa_counts: dict[str, int]
) -> None:
    import tools

    policy = bench_dump.parent / "six.toml"
    found = tools.run_gx(str(bench_dump), str(policy))
    assert found["records"] == corpus_qa_counts


def test_agreement_flags_a_differing_or_missing_count() -> None:
    six = dict.fromkeys(peers.SIX, 3)
    same = targets.agreement({"corpus_qa_six": six, "duckdb_tuned": dict(six)})
    assert all(row["agree"] for row in same.values())
    off = targets.agreement({"corpus_qa_six": six, "duckdb_tuned": {**six, "date.missing": 4}})
    assert [check for check, row in off.items() if not row["agree"]] == ["date.missing"]
    missing = targets.agreement({"corpus_qa_six": six, "polars_plain": {}})
    assert not any(missing[check]["agree"] for check in peers.SIX)


def test_bench_compiles_the_sources_it_times() -> None:
    """Every module of the package has current bytecode once the bench compiled it, so
    no timed run compiles sources (PYTHONDONTWRITEBYTECODE forbids caching at run time)."""
    import importlib.util

    import corpus_qa.cli
    import corpus_qa.run.chunk
    from bench.run import compile_sources

    compile_sources()
    for module in (corpus_qa.cli, corpus_qa.run.chunk):
        source = Path(str(module.__file__))
        cached = Path(importlib.util.cache_from_source(str(source)))
        assert cached.exists(), cached
        # The timestamp-checked header: the bytecode is of the source as it is now.
        assert int.from_bytes(cached.read_bytes()[8:12], "little") == int(source.stat().st_mtime)
