"""Interop with Great Expectations and Pandera, with the real libraries (no mocks).

GX takes seconds to import: every GX test shares the session's one import, and the
``check --gx`` runs are session fixtures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import pytest

from corpus_qa.cli import main
from corpus_qa.findings.tally import ChunkStats
from corpus_qa.gate.policy import load_policy
from corpus_qa.ingest import FieldMap, discover, iter_units
from corpus_qa.interop.gx_suite import EMAIL_TRUNCATED_PATTERN, MIRRORED
from corpus_qa.run.chunk import chunk_units, drafts_of
from corpus_qa.run.runner import RunOptions, run
from corpus_qa.schemas import ArticlesSchema, ImagesSchema
from corpus_qa.tables.build import build_tables
from tests.conftest import REPO, SEED_DUMP, read_jsonl, run_check


def tables(dump: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The whole dump's articles and images tables (small dumps only)."""
    units = iter_units(discover(str(dump)), chunk_size=100_000, fields=FieldMap.from_options([]))
    parts = []
    for chunk in chunk_units(units, 100_000):
        drafts, _ = drafts_of(chunk, ChunkStats())
        parts.append(build_tables(drafts, reference_time=None))
    articles = pd.concat([a for a, _ in parts], ignore_index=True)
    images = pd.concat([i for _, i in parts], ignore_index=True)
    return articles, images


def ids_by_check(findings: list[dict[str, Any]]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        if finding["record_id"] is not None:
            found[finding["check"]].add(finding["record_id"])
    return found


@pytest.fixture(scope="session")
def dumps(synthetic_dump: Path) -> dict[str, Path]:
    return {"seed": SEED_DUMP, "synthetic": synthetic_dump}


@pytest.fixture(scope="session")
def gx_runs(
    dumps: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[int, dict[str, Any], list[dict[str, Any]]]]:
    """``check --gx`` on each dump; the synthetic one in several chunks, to merge."""
    runs = {}
    for name, dump in dumps.items():
        out = tmp_path_factory.mktemp(f"gx-{name}")
        # Two workers whatever the machine: the tail's split (and so the chunk count)
        # follows the number of workers.
        runs[name] = run_check(dump, out, "--gx", "--chunk-size", "700", "--jobs", "2")
    return runs


@pytest.fixture(scope="session")
def suite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "suite.json"
    assert main(["export", "gx", "--out", str(out)]) == 0
    return out


# --- export gx ---------------------------------------------------------------------------


def test_exported_suite_loads_in_gx_and_names_its_checks(suite_file: Path) -> None:
    import great_expectations as gx

    data = json.loads(suite_file.read_text(encoding="utf-8"))
    suite = gx.ExpectationSuite(**data)
    assert len(suite.expectations) == len(data["expectations"]) > 10
    checks = {e.meta["corpus_qa"]["check"] for e in suite.expectations}
    assert set(MIRRORED) <= checks
    byline = [e for e in suite.expectations if e.meta["corpus_qa"]["check"] == "byline.missing"]
    assert all(e.mostly == pytest.approx(0.9) for e in byline)  # 1 - max_rate 0.10
    assert all(e.row_condition is not None for e in byline)  # editorials are exempt
    meta = data["meta"]["corpus_qa"]
    missing = {item["check"] for item in meta["not_expressible"]}
    assert {"text.flattened", "image.duplicate_tag", "image.logo_as_content"} <= missing
    assert {"record.duplicate"} <= missing


@pytest.mark.parametrize("dump_name", ["seed", "synthetic"])
def test_gx_fails_the_same_records_as_corpus_qa(
    dump_name: str, dumps: dict[str, Path], suite_file: Path, tmp_path: Path
) -> None:
    """The exported file, validated by GX on the whole articles table, against our findings."""
    import great_expectations as gx

    dump = dumps[dump_name]
    _, _, findings = run_check(dump, tmp_path)
    ours = ids_by_check(findings)
    articles, _ = tables(dump)
    context = gx.get_context(mode="ephemeral")
    batch = (
        context.data_sources.add_pandas("p")
        .add_dataframe_asset("articles")
        .add_batch_definition_whole_dataframe("all")
        .get_batch(batch_parameters={"dataframe": articles.drop(columns=["body_lines"])})
    )
    suite = gx.ExpectationSuite(**json.loads(suite_file.read_text(encoding="utf-8")))
    result = batch.validate(
        suite,
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["record_id"]},
    )
    theirs: dict[str, set[str]] = defaultdict(set)
    for item in result.results:
        check = item.expectation_config.meta["corpus_qa"]["check"]
        assert not item.exception_info.get("raised_exception"), item.exception_info
        if check is not None:
            theirs[check] |= {row["record_id"] for row in item.result["unexpected_index_list"]}
    for check in MIRRORED:
        assert theirs[check] == ours[check], check
    if dump_name == "synthetic":  # the comparison is not vacuous
        assert all(theirs[c] for c in ("byline.missing", "email.truncated", "date.relative"))


@pytest.mark.parametrize(
    "text",
    [
        "reach me at robertjfouser@ The views",
        "write to a.b@example.com today",
        "x@example.c",
        "x@example.com.",
        "x@example..com",
        "x@.example.com",
        "x@example.c0m",
        "x@example-.io",
        "end of text x@",
        "x@sub.example.org, y@host",
        "no address here",
        "user@localhost",
    ],
)
def test_email_truncated_pattern_matches_the_check(text: str) -> None:
    from corpus_qa.checks.builtin.email import EmailTruncated

    frame = pd.DataFrame({"title": pd.Series([None], dtype="str"), "body": [text]})
    flagged = len(EmailTruncated().run(frame, pd.DataFrame())) > 0
    # Through pandas, as GX runs it (Arrow's RE2 on str columns).
    series = pd.Series([text], dtype="str")
    assert bool(series.str.contains(EMAIL_TRUNCATED_PATTERN).iloc[0]) == flagged


# --- check --gx --------------------------------------------------------------------------


@pytest.mark.parametrize("dump_name", ["seed", "synthetic"])
def test_check_gx_records_each_expectation_beside_its_check(
    dump_name: str, gx_runs: dict[str, tuple[int, dict[str, Any], list[dict[str, Any]]]]
) -> None:
    code, report, findings = gx_runs[dump_name]
    section = report["interop"]["gx"]
    assert section["agree"] is True
    assert set(MIRRORED) <= set(section["checks"])
    ours = ids_by_check(findings)
    for check, entry in section["checks"].items():
        assert entry["agree"] is True, (check, entry)
        assert entry["corpus_qa_records"] == len(ours[check]) == entry["gx_records"], check
        assert entry["expectations"], check
    assert not [f for f in findings if f["check"] == "interop.disagreement"]
    statuses = {c["id"]: c["status"] for c in report["checks"]}
    assert "interop.disagreement" not in statuses
    assert code == 1  # both dumps fail on their planted defects, not on interop
    if dump_name == "synthetic":
        # The dump (~10 MB) is all tail: two even ranges per worker, ~500 lines each.
        assert section["chunks"] == 4
        truncated = section["checks"]["email.truncated"]["expectations"]
        assert sum(e["element_count"] for e in truncated if e["column"] == "body") == 2000


def test_disagreement_is_a_finding_that_fails_the_gate(tmp_path: Path) -> None:
    """A suite that drifted from the check (one regex dropped) is caught and gates."""
    from corpus_qa.interop.gx_run import GxCrossCheck

    observer = GxCrossCheck(load_policy())
    observer.expectations = [
        e for e in observer.expectations if not (e.check == "email.truncated" and "body" in e.note)
    ]
    result = run(RunOptions(dump=str(SEED_DUMP), out_dir=tmp_path, observers=[observer]))
    findings = read_jsonl(result.findings_path)
    drift = [f for f in findings if f["check"] == "interop.disagreement"]
    truncated = {f["record_id"] for f in findings if f["check"] == "email.truncated"}
    assert {f["record_id"] for f in drift} == truncated
    assert all("email.truncated" in f["message"] and f["source_path"] for f in drift)
    entry = result.interop["gx"]["checks"]["email.truncated"]
    assert entry["agree"] is False and entry["only_corpus_qa"] == sorted(truncated)
    status = {c.id: c.status for c in result.checks}
    assert status["interop.disagreement"] == "fail"
    assert any(reason.startswith("interop.disagreement") for reason in result.verdict.reasons)


def test_gx_data_docs(tmp_path: Path) -> None:
    _, report, _ = run_check(SEED_DUMP, tmp_path / "out", "--gx-data-docs", str(tmp_path / "d"))
    assert report["interop"]["gx"]["agree"] is True
    assert list((tmp_path / "d").rglob("index.html"))


def test_check_without_gx_never_imports_great_expectations(tmp_path: Path) -> None:
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('GX' if 'great_expectations' in sys.modules else 'no GX'))\n"
        "from corpus_qa.cli import main\n"
        f"code = main(['check', {str(SEED_DUMP)!r}, '--out', {str(tmp_path)!r}, '-q'])\n"
        "assert code == 1, code\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "no GX"


# --- Pandera -----------------------------------------------------------------------------


def _broken(articles: pd.DataFrame, images: pd.DataFrame) -> Iterator[tuple[str, pd.DataFrame]]:
    """Copies of the tables, each breaking rules of the contract (frame-wide ones too)."""
    a = articles.copy()
    a.loc[0, "line_end"] = 0  # before line_start, and below 1
    a.loc[1, "role"] = "sidebar"
    a.loc[2, "byline_source"] = None if pd.notna(a.loc[2, "byline"]) else "field"
    a.loc[3, "title_line"] = a.loc[3, "line_end"] + 5
    yield "articles", a
    if len(images) > 1:
        i = images.copy()
        i.loc[1, ["record_id", "position"]] = i.loc[0, ["record_id", "position"]].to_numpy()
        i.loc[0, "width"] = -3
        yield "images", i


def _failures(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases[["column", "check", "index", "failure_case"]]
        return cases.astype("str").sort_values(list(cases.columns)).reset_index(drop=True)
    return pd.DataFrame()


@pytest.mark.parametrize("dump_name", ["seed", "synthetic"])
def test_exported_pandera_schema_fails_what_the_shipped_one_fails(
    dump_name: str, dumps: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "schema.yaml"
    assert main(["export", "pandera", "--out", str(out)]) == 0
    loaded = {
        "articles": pa.DataFrameSchema.from_yaml(out),
        "images": pa.DataFrameSchema.from_yaml(tmp_path / "schema.images.yaml"),
    }
    shipped = {"articles": ArticlesSchema.to_schema(), "images": ImagesSchema.to_schema()}
    assert len(loaded["articles"].checks) == len(shipped["articles"].checks) == 3
    articles, images = tables(dumps[dump_name])
    clean = {"articles": articles, "images": images}
    for table, frame in [*clean.items(), *_broken(articles, images)]:
        expected = _failures(shipped[table], frame)
        pd.testing.assert_frame_equal(_failures(loaded[table], frame), expected)
        if frame is not clean[table]:
            assert len(expected) >= 2, table  # the broken copy does fail


def test_check_with_exported_schema_gives_the_same_findings(
    synthetic_dump: Path, tmp_path: Path
) -> None:
    schema = tmp_path / "schema.yaml"
    assert main(["export", "pandera", "--out", str(schema)]) == 0
    _, _, shipped = run_check(synthetic_dump, tmp_path / "a")
    _, _, own = run_check(synthetic_dump, tmp_path / "b", "--schema", str(schema))
    assert own == shipped


def test_check_with_a_python_contract(tmp_path: Path) -> None:
    contract = tmp_path / "contract.py"
    contract.write_text(
        "import pandera.pandas as pa\n"
        "from pandera.typing import Series\n\n"
        "class Mine(pa.DataFrameModel):\n"
        "    record_id: Series[str] = pa.Field(unique=True)\n"
        "    title: Series[str] = pa.Field(nullable=True, str_length={'min_value': 60})\n",
        encoding="utf-8",
    )
    code, _, findings = run_check(SEED_DUMP, tmp_path / "out", "--schema", str(contract))
    short = [f for f in findings if f["check"] == "schema.articles.title"]
    assert short and all(f["record_id"] for f in short)
    assert code == 1


def test_check_with_an_unusable_schema_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("not: [a schema\n", encoding="utf-8")
    assert main(["check", str(SEED_DUMP), "--out", str(tmp_path), "--schema", str(bad)]) == 2
    empty = tmp_path / "empty.py"
    empty.write_text("x = 1\n", encoding="utf-8")
    assert main(["check", str(SEED_DUMP), "--out", str(tmp_path), "--schema", str(empty)]) == 2
