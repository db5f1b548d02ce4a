"""The gate's own failure modes: hostile file names, outputs, baselines, job counts.

Each case has one clear outcome: the dump is read and reported (exit 0/1), or one
line on stderr naming the file and exit 2; never a traceback or exit 3.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import read_jsonl, run_check

RECORDS = [
    {
        "id": f"r{i}",
        "title": ["Council vote", "Le conseil vote", "시의회 표결"][i % 3] + f" {i}",
        "text": [
            "The council met on Monday and voted on the budget for the coming year.",
            "Le conseil s'est réuni lundi et a voté le budget de l'année prochaine.",
            "시의회는 월요일에 모여 내년 예산안을 표결했다.",
        ][i % 3],
        "author": "Ana Souza",
        "date": "2025-07-24T10:00:00Z",
        "outlet": "Daily Ledger",
    }
    for i in range(30)
]


def _jsonl(path: Path, records: list[dict[str, Any]] = RECORDS, tail: str = "") -> Path:
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    path.write_text(body + tail, encoding="utf-8")
    return path


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# -- file names that are not UTF-8 -------------------------------------------------


def _bytes_name(folder: Path, name: bytes) -> Path:
    try:
        path = Path(os.fsdecode(os.path.join(os.fsencode(folder), name)))
        path.touch()
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses file names that are not UTF-8")
    return path


@pytest.mark.parametrize("single", [False, True], ids=["folder", "file"])
def test_non_utf8_file_names_are_read_and_reported(tmp_path: Path, single: bool) -> None:
    dump = tmp_path / "dump"
    dump.mkdir()
    records = _bytes_name(dump, b"caf\xe9-\xff.jsonl")
    _jsonl(records, tail="{not json\n")
    page = _bytes_name(dump, b"seoul-\xb1\xe2.md")
    page.write_text("# Budget approved\n\nBy Kim Min-su\n\nThe council approved it.\n", "utf-8")
    out, quarantine, clean = tmp_path / "out", tmp_path / "q", tmp_path / "clean.jsonl"
    target = records if single else dump
    code, report, findings = run_check(
        target, out, "--quarantine", str(quarantine), "--clean-out", str(clean)
    )
    assert code == 1  # the malformed line fails the gate; nothing crashed
    names = {i["path"] for i in report["inputs"]}
    assert names == (
        {"caf\\xe9-\\xff.jsonl"} if single else {"caf\\xe9-\\xff.jsonl", "seoul-\\xb1\\xe2.md"}
    )
    for entry in report["inputs"]:
        assert entry["records_read"] == entry["records_checked"] + entry["records_quarantined"]
    assert report["counts"]["records_checked"] == 30 + (0 if single else 1)
    malformed = [f for f in findings if f["check"] == "input.malformed"]
    assert [(f["source_path"], f["line"]) for f in malformed] == [("caf\\xe9-\\xff.jsonl", 31)]
    for written in [*out.iterdir(), quarantine / "reasons.jsonl", clean]:
        written.read_bytes().decode("utf-8")  # every output is valid UTF-8
    assert len(read_jsonl(clean)) == 30 + (0 if single else 1)
    assert "\\xe9" in report["dump"]["path"] or not single


# -- outputs that cannot be written --------------------------------------------------


def _read_only_folder(tmp_path: Path) -> Path:
    """A folder this process cannot create files in: permission bits, or (as root,
    who ignores them) a kernel file system that refuses new files."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    candidates = [folder, Path("/sys/kernel")]
    for candidate in candidates:
        try:
            (candidate / ".probe").touch()
        except OSError:
            return candidate
        (candidate / ".probe").unlink()
    pytest.skip("no folder here refuses new files")


@pytest.mark.parametrize(
    "option", ["--out", "--quarantine", "--clean-out", "--html", "--junit", "--summary-md"]
)
def test_an_output_under_a_regular_file_is_exit_2(
    tmp_path: Path, option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = _jsonl(tmp_path / "feed.jsonl")
    regular = tmp_path / "notes.txt"
    regular.write_text("a regular file\n", encoding="utf-8")
    target = regular / "sub" / ("out" if option in ("--out", "--quarantine") else "x.out")
    if option == "--out":
        code, report, _ = run_check(dump, target)
    else:
        code, report, _ = run_check(dump, tmp_path / "out", option, str(target))
    line = _one_line(capsys.readouterr().err)
    assert code == 2 and not report
    assert line == f"corpus-qa: error: {option} {target}: {regular} is a file, not a folder"
    assert not (tmp_path / "out").exists()  # found before the run: nothing written


@pytest.mark.parametrize("where", ["folder", "below"])
def test_an_output_in_a_read_only_folder_is_exit_2(
    tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = _jsonl(tmp_path / "feed.jsonl")
    folder = _read_only_folder(tmp_path)
    target = folder if where == "folder" else folder / "new" / "out"
    code, report, _ = run_check(dump, target)
    line = _one_line(capsys.readouterr().err)
    assert code == 2 and not report
    assert line.startswith(f"corpus-qa: error: --out {target}: cannot write in {folder}")


# -- baselines the comparison cannot use -----------------------------------------------


@pytest.fixture(scope="module")
def baseline_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("baseline")
    code, report, _ = run_check(_jsonl(folder / "feed.jsonl"), folder / "out")
    assert code in (0, 1) and report["finished_at"].endswith("+00:00")
    return report


def _edited(report: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**json.loads(json.dumps(report)), **changes}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"schema_version": "2.0"}, "report schema 2.0 is newer than this corpus-qa reads"),
        ({"schema_version": "soon"}, "schema_version 'soon' is not a version"),
        (
            {"checks": [{"id": "body.empty", "rate": "high"}]},
            "checks[body.empty].rate is not a finite number",
        ),
        # json.dumps writes NaN, and json.loads reads it back as a float.
        (
            {"checks": [{"id": "byline.missing", "rate": float("nan")}]},
            "checks[byline.missing].rate is not a finite number",
        ),
        (
            {
                "checks": [
                    {
                        "id": "byline.missing",
                        "rate": 0.1,
                        "by_outlet": {"X": {"rate": float("nan"), "articles": 3}},
                    }
                ]
            },
            "checks[byline.missing].by_outlet rows need a finite rate and articles",
        ),
        ({"checks": [{"rate": 0.1}]}, "a checks[] entry has no id"),
        ({"finished_at": "yesterday"}, "finished_at is not an ISO time"),
    ],
    ids=["future-major", "no-version", "rate-text", "rate-nan", "outlet-nan", "no-id", "bad-time"],
)
def test_an_unusable_baseline_is_exit_2_before_the_run(
    tmp_path: Path,
    baseline_report: dict[str, Any],
    changes: dict[str, Any],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    baseline = tmp_path / "old.json"
    baseline.write_text(json.dumps(_edited(baseline_report, **changes)), encoding="utf-8")
    out = tmp_path / "out"
    code, report, _ = run_check(_jsonl(tmp_path / "feed.jsonl"), out, "--baseline", str(baseline))
    line = _one_line(capsys.readouterr().err)
    assert code == 2 and not report and not out.exists()  # nothing was run or written
    assert line.startswith(f"corpus-qa: error: {baseline}: {message}")


def test_a_history_of_naive_and_aware_times_is_exit_2(
    tmp_path: Path, baseline_report: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    history = tmp_path / "history"
    history.mkdir()
    (history / "a.json").write_text(json.dumps(baseline_report), encoding="utf-8")
    naive = _edited(baseline_report, finished_at="2025-07-01T09:00:00")
    (history / "b.json").write_text(json.dumps(naive), encoding="utf-8")
    out = tmp_path / "out"
    code, report, _ = run_check(_jsonl(tmp_path / "feed.jsonl"), out, "--baseline", str(history))
    line = _one_line(capsys.readouterr().err)
    assert code == 2 and not report and not out.exists()
    assert line == (
        f"corpus-qa: error: {history / 'b.json'}: finished_at 2025-07-01T09:00:00 has no UTC "
        f"offset, unlike {history / 'a.json'}: the history cannot be put in order "
        "(add the offset, e.g. +00:00)"
    )


def test_a_newer_minor_schema_and_naive_times_alone_are_compared(
    tmp_path: Path, baseline_report: dict[str, Any]
) -> None:
    history = tmp_path / "history"
    history.mkdir()
    for name, when in [("a.json", "2025-07-01T09:00:00"), ("b.json", "2025-07-02T09:00:00")]:
        edited = _edited(baseline_report, schema_version="1.99", finished_at=when, extra={"k": 1})
        (history / name).write_text(json.dumps(edited), encoding="utf-8")
    dump = _jsonl(tmp_path / "feed.jsonl")
    code, report, _ = run_check(dump, tmp_path / "out", "--baseline", str(history))
    assert code in (0, 1)
    assert [h["path"] for h in report["baseline"]["history"]] == [
        str(history / "a.json"),
        str(history / "b.json"),
    ]


# -- --jobs ------------------------------------------------------------------------------


def _note_fork() -> None:
    folder = os.environ.get("CORPUS_QA_TEST_FORKS")
    if folder:
        (Path(folder) / str(os.getpid())).touch()


# Every process this test process forks (the run's workers) leaves a file, if asked.
os.register_at_fork(after_in_child=_note_fork)


@pytest.mark.parametrize(("pages", "jobs"), [(1, "2"), (3, "1000")])
def test_jobs_never_exceed_the_cores_or_the_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pages: int, jobs: str
) -> None:
    import multiprocessing

    from corpus_qa.run.workers import cores

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("workers are not forked here")
    dump = tmp_path / "pages"
    dump.mkdir()
    for i in range(pages):
        (dump / f"p{i}.md").write_text(
            f"# Haushalt {i} beschlossen\n\nVon Anna Weber\n\nDer Rat hat den Haushalt beschlossen.\n",
            encoding="utf-8",
        )
    forks = tmp_path / "forks"
    forks.mkdir()
    monkeypatch.setenv("CORPUS_QA_TEST_FORKS", str(forks))
    code, report, _ = run_check(dump, tmp_path / "out", "--jobs", jobs, "--chunk-size", "1")
    monkeypatch.delenv("CORPUS_QA_TEST_FORKS")
    assert code in (0, 1) and report["counts"]["records_checked"] == pages
    started = len(list(forks.iterdir()))
    assert started == min(pages, cores())


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("99999999999999999999", "99999999999999999999 worker processes is more than 1024"),
        ("0", "must be at least 1"),
        ("many", "'many' is not a whole number"),
    ],
)
def test_absurd_jobs_are_exit_2(
    tmp_path: Path, value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report, _ = run_check(_jsonl(tmp_path / "feed.jsonl"), tmp_path / "out", "--jobs", value)
    line = _one_line(capsys.readouterr().err)
    assert code == 2 and not report
    assert line.startswith(f"corpus-qa: error: argument --jobs: {message}")


@pytest.mark.parametrize("option", ["--chunk-size", "--samples", "--jobs"])
def test_a_number_option_given_words_names_the_value(
    tmp_path: Path, option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report, _ = run_check(_jsonl(tmp_path / "feed.jsonl"), tmp_path / "out", option, "ten")
    line = _one_line(capsys.readouterr().err)
    assert code == 2 and not report
    assert line.startswith(f"corpus-qa: error: argument {option}: 'ten' is not a whole number")
