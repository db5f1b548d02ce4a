"""No verdict without the data, and bounded inputs (issue 18, points 1 and 5).

Each case runs the real CLI (or the runner) on a small realistic dump and asserts
the exit code, the verdict, which outputs exist and what they say, and that every
record is accounted for: ``records_read == records_checked + records_quarantined``.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import zlib
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus_qa.ingest import FieldMap, LineRange, discover, iter_plan, iter_units
from corpus_qa.run.runner import RunOptions, run
from tests.conftest import run_check

#: Realistic records in several languages (fields as extractors name them).
RECORDS = [
    {
        "id": f"{lang}-{i}",
        "title": f"{title} {i}",
        "text": f"{body} ({i})\n\n{body}",
        "author": author,
        "date": "2025-07-24T10:00:00Z",
        "outlet": outlet,
    }
    for i in range(180)
    for lang, title, body, author, outlet in [
        ("en", "Council votes on budget", "The council met on Monday.", "Ana Souza", "Ledger"),
        ("de", "Stadtrat stimmt ab", "Der Stadtrat tagte am Montag.", "Jonas Weber", "Anzeiger"),
        ("ko", "시의회 예산 표결", "시의회는 월요일에 회의를 열었다.", "김민준", "Herald"),
    ][i % 3 : i % 3 + 1]
]


def jsonl(records: list[Any]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def accounted(report: dict[str, Any]) -> None:
    """Every record read is checked or quarantined, per input and in total."""
    for item in report["inputs"]:
        assert item["records_read"] == item["records_checked"] + item["records_quarantined"]
    counts = report["counts"]
    assert counts["records_read"] == counts["records_checked"] + counts["records_quarantined"]
    assert counts["records_read"] == sum(i["records_read"] for i in report["inputs"])


def check(dump: Path, out: Path, *extra: str) -> tuple[int, dict[str, Any], list[dict[str, Any]]]:
    code, report, findings = run_check(dump, out, "--jobs", "1", *extra)
    assert (out / "report.json").exists() and (out / "findings.jsonl").exists()
    accounted(report)
    return code, report, findings


def kinds(findings: list[dict[str, Any]]) -> dict[str, int]:
    counted: dict[str, int] = {}
    for finding in findings:
        if finding["check"].startswith("input."):
            counted[finding["check"]] = counted.get(finding["check"], 0) + 1
    return counted


def lost(report: dict[str, Any], name: str) -> object:
    return next(i["records_lost"] for i in report["inputs"] if i["path"] == name)


def assert_lost_input_fails(code: int, report: dict[str, Any], kind: str) -> None:
    assert code == 1
    assert report["gate"]["verdict"] == "fail"
    assert any(
        r.startswith(f"{kind}:") and "unknown amount" in r for r in report["gate"]["reasons"]
    )
    [result] = [c for c in report["checks"] if c["id"] == kind]
    assert result["status"] == "fail"


# --- truncation of plain files ---------------------------------------------------------


def test_jsonl_cut_mid_record_fails(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    text = jsonl(RECORDS)
    (dump / "feed.jsonl").write_text(text[: len(text) - 25], encoding="utf-8")
    code, report, findings = check(dump, tmp_path / "out")
    assert_lost_input_fails(code, report, "input.truncated")
    assert kinds(findings) == {"input.truncated": 1}
    [cut] = [f for f in findings if f["check"] == "input.truncated"]
    assert cut["line"] == len(RECORDS) and "ends inside this record" in cut["message"]
    assert report["counts"]["records_checked"] == len(RECORDS) - 1
    assert lost(report, "feed.jsonl") == "unknown"


def test_jsonl_whole_last_record_without_newline_passes(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "feed.jsonl").write_text(jsonl(RECORDS).rstrip("\n"), encoding="utf-8")
    code, report, findings = check(dump, tmp_path / "out")
    assert (code, report["gate"]["verdict"]) == (0, "pass")
    assert kinds(findings) == {}
    assert report["counts"]["records_checked"] == len(RECORDS)
    assert lost(report, "feed.jsonl") == 0


def test_json_array_cut_in_half_fails(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    text = json.dumps(RECORDS, ensure_ascii=False, indent=1)
    (dump / "feed.json").write_text(text[: len(text) // 2], encoding="utf-8")
    code, report, findings = check(dump, tmp_path / "out")
    assert_lost_input_fails(code, report, "input.truncated")
    assert kinds(findings) == {"input.truncated": 1}
    assert 0 < report["counts"]["records_checked"] < len(RECORDS)
    assert lost(report, "feed.json") == "unknown"


def test_file_truncated_during_the_run_fails(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    feed = dump / "feed.jsonl"
    text = jsonl(RECORDS).encode("utf-8")
    feed.write_bytes(text)
    cut = len(text) // 3

    def shrink(_stats: object) -> None:
        if feed.stat().st_size > cut:
            with feed.open("r+b") as handle:
                handle.truncate(cut)

    out, held = tmp_path / "out", tmp_path / "held"
    options = RunOptions(dump=str(dump), out_dir=out, chunk_size=20, jobs=1, quarantine_dir=held)
    result = run(options, progress=shrink)
    assert not result.verdict.passed
    [changed] = [c for c in result.checks if c.id == "input.changed"]
    assert changed.status == "fail" and changed.count >= 1
    assert any("while it was being checked" in q.reason for q in result.quarantined)
    [item] = result.inputs
    assert item["records_lost"] == "unknown"
    assert item["records_read"] == item["records_checked"] + item["records_quarantined"]
    reasons = [json.loads(line) for line in (held / "reasons.jsonl").read_text().splitlines()]
    assert {"source_path": "feed.jsonl", "kind": "input.changed"}.items() <= next(
        r for r in reasons if r["kind"] == "input.changed"
    ).items()


# --- Parquet ---------------------------------------------------------------------------


def test_two_corrupt_parquet_files_beside_good_records_fail(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "a.jsonl").write_text(jsonl(RECORDS * 2)[:0] + jsonl(RECORDS), encoding="utf-8")
    table = pa.Table.from_pylist(RECORDS)
    pq.write_table(table, dump / "b.parquet")
    whole = (dump / "b.parquet").read_bytes()
    (dump / "b.parquet").write_bytes(whole[: len(whole) // 2])  # footer gone
    (dump / "c.parquet").write_bytes(b"PAR1" + b"\x00" * 64)
    code, report, findings = check(dump, tmp_path / "out")
    assert_lost_input_fails(code, report, "input.unreadable")
    assert kinds(findings) == {"input.unreadable": 2}
    assert report["counts"]["records_checked"] == len(RECORDS)
    assert (lost(report, "b.parquet"), lost(report, "c.parquet")) == ("unknown", "unknown")


# --- wrapped JSON, bz2, xz ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "extra"),
    [
        ({"articles": RECORDS}, ()),
        ({"status": "ok", "count": len(RECORDS), "data": RECORDS}, ()),
        ({"status": "ok", "data": {"items": RECORDS, "next": None}}, ("--json-path", "data.items")),
    ],
    ids=["articles", "data-with-metadata", "json-path"],
)
@pytest.mark.parametrize("indent", [None, 2])
def test_wrapped_json_is_read_as_records(
    tmp_path: Path, document: dict[str, Any], extra: tuple[str, ...], indent: int | None
) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "feed.json").write_text(json.dumps(document, indent=indent, ensure_ascii=False))
    code, report, findings = check(dump, tmp_path / "out", *extra)
    assert (code, report["gate"]["verdict"]) == (0, "pass")
    assert kinds(findings) == {}
    assert report["counts"]["records_checked"] == len(RECORDS)
    assert report["counts"]["articles"] == len(RECORDS)


def test_wrapped_json_with_two_record_lists_fails(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    document = {"articles": RECORDS[:30], "archive": RECORDS[30:]}
    (dump / "feed.json").write_text(json.dumps(document, ensure_ascii=False))
    code, report, findings = check(dump, tmp_path / "out")
    assert_lost_input_fails(code, report, "input.truncated")
    [finding] = [f for f in findings if f["check"] == "input.truncated"]
    assert "--json-path" in finding["message"] and "'archive'" in finding["message"]
    assert report["counts"]["records_checked"] == 30


def test_json_path_that_names_no_key_fails(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "a.jsonl").write_text(jsonl(RECORDS), encoding="utf-8")
    (dump / "b.json").write_text(json.dumps({"data": {"rows": RECORDS}}))
    code, report, findings = check(dump, tmp_path / "out", "--json-path", "data.items")
    assert_lost_input_fails(code, report, "input.truncated")
    assert any("no key 'items'" in f["message"] for f in findings)


@pytest.mark.parametrize(
    ("suffix", "compress"), [(".bz2", bz2.compress), (".xz", lzma.compress)], ids=["bz2", "xz"]
)
def test_bz2_and_xz_are_read_and_their_truncation_fails(
    tmp_path: Path, suffix: str, compress: Any
) -> None:
    blob = compress(jsonl(RECORDS).encode("utf-8"))
    whole = tmp_path / "whole"
    whole.mkdir()
    (whole / f"feed.jsonl{suffix}").write_bytes(blob)
    code, report, findings = check(whole, tmp_path / "out-whole")
    assert (code, report["gate"]["verdict"], kinds(findings)) == (0, "pass", {})
    assert report["counts"]["records_checked"] == len(RECORDS)
    cut = tmp_path / "cut"
    cut.mkdir()
    (cut / "good.jsonl").write_text(jsonl(RECORDS[:30]), encoding="utf-8")
    (cut / f"feed.jsonl{suffix}").write_bytes(blob[: len(blob) - 30])
    code, report, findings = check(cut, tmp_path / "out-cut")
    assert_lost_input_fails(code, report, "input.truncated")
    assert kinds(findings) == {"input.truncated": 1}
    # bzip2 yields nothing of an unfinished block; xz yields what it decoded.
    assert 30 <= report["counts"]["records_checked"] <= 30 + len(RECORDS)
    assert lost(report, f"feed.jsonl{suffix}") == "unknown"


# --- bounds ----------------------------------------------------------------------------


def test_deeply_nested_line_is_quarantined_not_a_crash(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    deep = '{"id": "deep", "text": ' + "[" * 20_000 + "]" * 20_000 + "}\n"
    (dump / "feed.jsonl").write_text(jsonl(RECORDS[:100]) + deep + jsonl(RECORDS[100:]))
    code, report, findings = check(dump, tmp_path / "out", "--policy", str(_strict(tmp_path)))
    assert code == 1 and report["gate"]["verdict"] == "fail"
    assert kinds(findings) == {"input.too_complex": 1}
    [finding] = [f for f in findings if f["check"] == "input.too_complex"]
    assert finding["line"] == 101 and "20,001 levels" in finding["message"]
    assert report["counts"]["records_checked"] == len(RECORDS)
    assert report["counts"]["records_quarantined"] == 1


def test_deeply_nested_element_of_a_json_array_is_quarantined(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    deep = '{"id": "deep", "text": ' + "[" * 20_000 + "]" * 20_000 + "}"
    body = json.dumps(RECORDS, ensure_ascii=False)
    (dump / "feed.json").write_text(body[:-1] + ", " + deep + "]")
    code, report, findings = check(dump, tmp_path / "out")
    assert code == 0  # one record of 181 is under input.*'s 1% rate
    assert kinds(findings) == {"input.too_complex": 1}
    assert report["counts"]["records_checked"] == len(RECORDS)


#: Off as in the default policy (it crashes on these look-alike records: a known bug).
NO_NEAR_DUPLICATES = '[checks."record.near_duplicate"]\nenabled = false\n'


def _strict(tmp_path: Path) -> Path:
    policy = tmp_path / "strict.toml"
    policy.write_text(
        '[checks."input.*"]\nseverity = "error"\nmax_count = 0\n' + NO_NEAR_DUPLICATES
    )
    return policy


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_overlong_line_is_quarantined_and_the_rest_read(tmp_path: Path, compressed: bool) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    huge = json.dumps({"id": "huge", "text": "x" * (3 << 20)}) + "\n"
    data = (jsonl(RECORDS[:90]) + huge + jsonl(RECORDS[90:])).encode("utf-8")
    name = "feed.jsonl.gz" if compressed else "feed.jsonl"
    (dump / name).write_bytes(gzip.compress(data) if compressed else data)
    code, report, findings = check(dump, tmp_path / "out", "--max-line-bytes", "1MiB")
    assert (code, report["gate"]["verdict"]) == (0, "pass")  # 1 of 181: under 1%
    assert kinds(findings) == {"input.too_large": 1}
    [finding] = [f for f in findings if f["check"] == "input.too_large"]
    assert finding["line"] == 91 and "longer than --max-line-bytes" in finding["message"]
    assert report["counts"]["records_checked"] == len(RECORDS)
    assert lost(report, name) == 0


def test_gzip_holding_one_giant_line_stays_bounded(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [deflate.compress(jsonl(RECORDS).encode()), deflate.compress(b'{"text": "')]
    parts += [deflate.compress(b"x" * (8 << 20)) for _ in range(12)]  # 96 MiB in ~100 KB
    parts += [deflate.compress(b'"}\n'), deflate.flush()]
    (dump / "feed.jsonl.gz").write_bytes(b"".join(parts))
    code, report, findings = check(
        dump, tmp_path / "out", "--max-line-bytes", "4MiB", "--max-inflate-ratio", "10"
    )
    # 10x ~100 KB is under the 64 MiB floor: the line is skipped, then the bound stops it;
    # both are input.too_large, and the bound's lost the rest in unknown amount: it fails
    # the gate although 2 of 92 records would be under the kind's threshold otherwise.
    assert_lost_input_fails(code, report, "input.too_large")
    assert kinds(findings) == {"input.too_large": 2}
    [_, bound] = [f for f in findings if f["check"] == "input.too_large"]
    assert "--max-inflate-ratio" in bound["message"]
    assert report["counts"]["records_checked"] == len(RECORDS)
    assert lost(report, "feed.jsonl.gz") == "unknown"


@pytest.mark.slow
def test_zstd_bomb_stops_at_the_inflate_bound(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    squeeze = zstandard.ZstdCompressor(level=3).compressobj()
    parts = [squeeze.compress(jsonl(RECORDS).encode())]
    parts += [squeeze.compress(b"\n" * (1 << 20) + b"x" * (15 << 20)) for _ in range(6)]
    parts.append(squeeze.flush())
    (dump / "feed.jsonl.zst").write_bytes(b"".join(parts))
    code, report, findings = check(dump, tmp_path / "out")
    assert_lost_input_fails(code, report, "input.too_large")
    # The bound is input.too_large, not a truncation (the archive is whole).
    assert kinds(findings)["input.too_large"] == 1 and "input.truncated" not in kinds(findings)
    assert report["counts"]["records_checked"] == len(RECORDS)
    assert lost(report, "feed.jsonl.zst") == "unknown"
    [entry] = [q for q in report["quarantine"] if q["kind"] == "input.too_large"]
    assert entry["unknown_loss"] is True
    # No policy turns the bound's loss into a pass: not a threshold, not disabling it,
    # not accepting the other kinds of incomplete input.
    policy = tmp_path / "policy.toml"
    policy.write_text(
        'accept_incomplete_input = ["input.truncated", "input.unreadable", "input.changed"]\n'
        '[checks."input.too_large"]\nmax_rate = 1.0\nseverity = "info"\nenabled = false\n',
        encoding="utf-8",
    )
    code, report, _ = check(dump, tmp_path / "out2", "--policy", str(policy))
    assert_lost_input_fails(code, report, "input.too_large")


def test_blank_lines_do_not_fill_chunks(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    (dump / "feed.jsonl").write_text(
        jsonl(RECORDS[:90]) + "\n" * 200_000 + jsonl(RECORDS[90:]), encoding="utf-8"
    )
    planned = list(iter_plan(discover(dump), chunk_size=100, fields=FieldMap()))
    assert all(isinstance(unit, LineRange) for unit in planned)
    assert len(planned) == 2  # 180 records at 100 a chunk, whatever the empty lines
    code, report, findings = check(dump, tmp_path / "out", "--chunk-size", "100")
    assert (code, kinds(findings)) == (0, {})
    assert report["counts"]["records_checked"] == len(RECORDS)


def test_blank_lines_do_not_fill_chunks_of_a_compressed_file(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    text = jsonl(RECORDS[:90]) + "\n" * 200_000 + jsonl(RECORDS[90:])
    (dump / "feed.jsonl.gz").write_bytes(gzip.compress(text.encode("utf-8")))
    batches = list(iter_units(discover(dump), chunk_size=100, fields=FieldMap()))
    assert [batch.records_read for batch in batches] == [100, 80]
    assert [int(batch.frame["line_start"].iloc[-1]) for batch in batches] == [200_100, 200_180]


# --- the policy cannot wave lost input through ------------------------------------------


def test_policy_cannot_turn_lost_input_off_without_the_override(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    text = jsonl(RECORDS)
    (dump / "feed.jsonl").write_text(text[: len(text) - 25], encoding="utf-8")
    lax = tmp_path / "lax.toml"
    lax.write_text(
        '[checks."input.*"]\nseverity = "info"\nmax_rate = 1.0\n'
        '[checks."input.truncated"]\nenabled = false\n' + NO_NEAR_DUPLICATES
    )
    code, report, _ = check(dump, tmp_path / "out", "--policy", str(lax))
    assert_lost_input_fails(code, report, "input.truncated")

    override = tmp_path / "override.toml"
    override.write_text('accept_incomplete_input = ["input.truncated"]\n' + lax.read_text())
    code, report, _ = check(dump, tmp_path / "out2", "--policy", str(override))
    assert (code, report["gate"]["verdict"]) == (0, "pass")
    [note] = report["gate"]["reasons"]
    assert note.startswith("override: input.truncated") and "accept_incomplete_input" in note
    summary = (tmp_path / "out2" / "summary.md").read_text()
    assert "- override: input.truncated" in summary
    assert "override: input.truncated" in (tmp_path / "out2" / "report.html").read_text()


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("--max-line-bytes", "0"), "--max-line-bytes"),
        (("--max-line-bytes", "lots"), "--max-line-bytes"),
        (("--json-path", "data..items"), "--json-path"),
        (("--max-inflate-ratio", "-3"), "--max-inflate-ratio"),
    ],
)
def test_bad_limit_options_exit_2_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], named: str
) -> None:
    (tmp_path / "feed.jsonl").write_text(jsonl(RECORDS[:3]), encoding="utf-8")
    code, _, _ = run_check(tmp_path / "feed.jsonl", tmp_path / "out", *args)
    err = capsys.readouterr().err.strip()
    assert code == 2 and named in err and "Traceback" not in err


def test_bad_accept_incomplete_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "feed.jsonl").write_text(jsonl(RECORDS[:3]), encoding="utf-8")
    policy = tmp_path / "p.toml"
    policy.write_text('accept_incomplete_input = ["byline.missing"]\n')
    code, _, _ = run_check(tmp_path / "feed.jsonl", tmp_path / "out", "--policy", str(policy))
    err = capsys.readouterr().err.strip()
    assert code == 2 and "p.toml" in err and len(err.splitlines()) == 1


# --- the property: a truncated file never passes ----------------------------------------


def _dump_files(kind: str, records: list[dict[str, Any]]) -> tuple[str, bytes, list[int]]:
    """A file name, its bytes, and the offsets it may be cut at (short of its end)."""
    text = jsonl(records).encode("utf-8")
    if kind == "gzip":
        blob = gzip.compress(text)
        return "feed.jsonl.gz", blob, list(range(1, len(blob)))
    if kind == "array":
        blob = json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")
        return "feed.json", blob, list(range(1, len(blob.rstrip())))
    # A JSONL file cut just after a newline is a shorter valid file: cut inside a record
    # (any strict prefix of a JSON object is no JSON value).
    offsets, start = [], 0
    for line in text.splitlines(keepends=True):
        offsets += range(start + 1, start + len(line.rstrip(b"\n")))
        start += len(line)
    return "feed.jsonl", text, offsets


@pytest.mark.slow
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(["jsonl", "array", "gzip"]),
    sizes=st.tuples(st.integers(1, 6), st.integers(1, 6)),
    which=st.integers(0, 1),
    where=st.floats(0, 1, exclude_max=True),
)
def test_truncating_any_file_never_passes(
    tmp_path_factory: pytest.TempPathFactory,
    kind: str,
    sizes: tuple[int, int],
    which: int,
    where: float,
) -> None:
    dump = tmp_path_factory.mktemp("dump")
    cut_done = False
    for number, size in enumerate(sizes):
        part = RECORDS[number * 6 : number * 6 + size]
        name, blob, offsets = _dump_files(kind, part)
        if number == which:
            blob, cut_done = blob[: offsets[int(where * len(offsets))]], True
        folder = dump / f"part{number}"
        folder.mkdir()
        (folder / name).write_bytes(blob)
    assert cut_done
    code, report, _ = run_check(dump, dump.parent / f"{dump.name}-out", "--jobs", "1")
    assert code in (1, 2)
    if report:
        assert report["gate"]["verdict"] == "fail"
        accounted(report)


def test_csv_cut_mid_row_fails(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    header = "id,title,text,author,date,outlet\n"
    rows = "".join(
        f'{r["id"]},{r["title"]},"{r["text"]}",{r["author"]},{r["date"]},{r["outlet"]}\n'
        for r in RECORDS
    )
    text = header + rows
    (dump / "feed.csv").write_text(text[: len(text) - 40], encoding="utf-8")
    code, report, findings = check(dump, tmp_path / "out")
    assert_lost_input_fails(code, report, "input.truncated")
    assert kinds(findings) == {"input.truncated": 1}
    assert report["counts"]["records_checked"] == len(RECORDS) - 1


def _reference_depth(line: bytes) -> int:
    depth = deepest = 0
    in_string = escaped = False
    for char in line.decode("utf-8", "replace"):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


_JSONISH = st.lists(
    st.sampled_from(['{"a":', "[", "]", "}", '"[{\\"', '"', "\\", "1,", " ", "x"]), max_size=60
).map(lambda parts: "".join(parts).encode())


@given(
    lines=st.lists(_JSONISH, min_size=1, max_size=8),
    max_depth=st.integers(0, 6),
    window=st.integers(1, 80),
)
def test_deep_lines_matches_a_character_scan(
    lines: list[bytes], max_depth: int, window: int
) -> None:
    from corpus_qa.ingest.depth import bracket_positions, deep_lines, json_depth

    expected = {
        index: _reference_depth(line)
        for index, line in enumerate(lines)
        if _reference_depth(line) > max_depth
    }
    assert deep_lines(b"\n".join(lines), max_depth) == expected
    # Scanned a few bytes at a time, windows cut lines and brackets apart: same lines.
    assert deep_lines(b"\n".join(lines), max_depth, window=window) == expected
    block = b"\n".join(lines)
    for native in (True, False):  # the C pass and its numpy fallback
        positions = bracket_positions(block, window, native=native)
        assert deep_lines(block, max_depth, positions=positions) == expected
    assert all(json_depth(line) == _reference_depth(line) for line in lines)


def test_csv_overlong_line_is_quarantined_and_the_rest_read(tmp_path: Path) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    header = "id,title,text,author,date,outlet\n"

    def row(r: dict[str, Any]) -> str:
        return f'{r["id"]},{r["title"]},"{r["text"]}",{r["author"]},{r["date"]},{r["outlet"]}\n'

    huge = f"huge,Huge,{'x' * (3 << 20)},Ana Souza,2025-07-24,Ledger\n"
    text = header + "".join(map(row, RECORDS[:90])) + huge + "".join(map(row, RECORDS[90:]))
    (dump / "feed.csv").write_text(text, encoding="utf-8")
    code, report, findings = check(dump, tmp_path / "out", "--max-line-bytes", "1MiB")
    assert (code, report["gate"]["verdict"]) == (0, "pass")  # 1 of 181: under 1%
    assert kinds(findings) == {"input.too_large": 1}
    [finding] = [f for f in findings if f["check"] == "input.too_large"]
    assert finding["line"] == 1 + sum(row(r).count("\n") for r in RECORDS[:90]) + 1
    assert report["counts"]["records_checked"] == len(RECORDS)


def _line_ends_by_find(data: bytes, start: int, end: int, n: int) -> tuple[int, int, int]:
    """The chunk planner's rule, one newline at a time (what _line_ends vectorizes)."""
    lines = filled = 0
    while filled < n:
        found = data.find(b"\n", start, end)
        if found < 0:
            rest = start < end
            return end, lines + rest, filled + rest
        lines += 1
        filled += found > start
        start = found + 1
    return start, lines, filled


@settings(deadline=None)
@given(
    data=st.binary(max_size=200).map(lambda b: b.replace(b"\x00", b"\n")),
    cut=st.tuples(st.integers(0, 200), st.integers(0, 200)),
    n=st.integers(1, 12),
    window=st.sampled_from([1, 3, 64, 1 << 18]),
)
def test_line_ends_counts_like_a_newline_scan(
    data: bytes, cut: tuple[int, int], n: int, window: int
) -> None:
    # Blank lines (a bomb of newlines) are skipped in numpy windows, not line by line.
    from corpus_qa.ingest import jsonl

    start, end = sorted(min(c, len(data)) for c in cut)
    kept = jsonl._LINE_WINDOW
    jsonl._LINE_WINDOW = window
    try:
        assert jsonl._line_ends(data, start, end, n) == _line_ends_by_find(data, start, end, n)
    finally:
        jsonl._LINE_WINDOW = kept
