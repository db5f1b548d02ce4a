"""--history: a real DuckDB file appended by real runs; anomalies; faults; the command."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.cli import main
from corpus_qa.errors import ConfigError
from corpus_qa.gate.anomaly_policy import AnomalyRule
from corpus_qa.gate.policy import load_policy
from corpus_qa.history import store
from corpus_qa.history.anomaly import judge_series
from corpus_qa.testing.history_year import Break, score, simulate
from tests.conftest import examples, run_check

POLICY = """
[anomaly]
min_runs = 2
season = "none"
"""


def _policy(tmp_path: Path, text: str = POLICY) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.mark.slow
def test_runs_append_and_a_broken_outlet_is_an_anomaly(
    dumps: tuple[Path, Path], tmp_path: Path
) -> None:
    history, policy = tmp_path / "h.duckdb", _policy(tmp_path)
    for i in range(2):
        code, report, _ = run_check(
            dumps[0], tmp_path / f"ok{i}", "--history", str(history), "--policy", str(policy)
        )
        assert code == 0 and report["history"]["anomalies"] == []
    assert report["history"]["references"] == 1
    code, report, _ = run_check(
        dumps[1], tmp_path / "broken", "--history", str(history), "--policy", str(policy)
    )
    assert code == 1
    reasons = [a["reason"] for a in report["history"]["anomalies"]]
    assert any(
        r.startswith("anomaly: Korea Herald byline.missing 0% -> 100% (robust z") for r in reasons
    ), reasons
    assert any("Korea Herald fill.byline 100% -> 0%" in r for r in reasons), reasons
    byline = next(c for c in report["checks"] if c["id"] == "byline.missing")
    assert byline["status"] == "fail" and "anomaly: Korea Herald" in byline["reason"]
    trend = report["history"]["trends"]["byline.missing"]
    assert trend == [0.0, 0.0, pytest.approx(0.04)]
    page = (tmp_path / "broken" / "report.html").read_text(encoding="utf-8")
    # Anomalies first, then each check's trend, flagged checks on top.
    assert page.index('id="anomalies"') < page.index('id="trend-table"') < page.index("Checks</h2>")
    assert page.index("<td>byline.missing</td>") < page.index("<td>body.empty</td>")
    runs = _rows(history, "SELECT status, verdict, accepted FROM runs ORDER BY started_at")
    assert runs == [
        ("complete", "pass", "accepted"),
        ("complete", "pass", "accepted"),
        ("complete", "fail", "pending"),
    ]
    (fill,) = _rows(
        history,
        "SELECT value FROM outlet_metrics o JOIN runs USING (run_id) "
        "WHERE outlet = 'Korea Herald' AND metric = 'fill.byline' AND accepted = 'pending'",
    )
    assert fill == (0.0,)
    (check,) = _rows(
        history,
        "SELECT c.articles, c.records, c.rate FROM check_metrics c JOIN runs USING (run_id) "
        "WHERE check_id = 'byline.missing' AND outlet = '*' AND accepted = 'pending'",
    )
    assert check == (500, 20, pytest.approx(0.04))
    # The fingerprint is report.json's: a user can join the history to the reports.
    (fingerprint,) = _rows(history, "SELECT dump_fingerprint FROM runs WHERE accepted = 'pending'")
    assert fingerprint == (report["dump"]["fingerprint"],)


@pytest.mark.slow
def test_history_command_lists_shows_marks_exports_prunes(
    dumps: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = tmp_path / "h.duckdb"
    run_check(dumps[0], tmp_path / "a", "--history", str(history))
    run_check(dumps[1], tmp_path / "b", "--history", str(history))
    capsys.readouterr()
    assert main(["history", "list", str(history)]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert len(listing) == 3 and "accepted" in listing[2]
    newest = listing[1].split()[0]
    assert (
        main(["history", "show", str(history), "byline.missing", "--outlet", "Korea Herald"]) == 0
    )
    shown = capsys.readouterr().out.splitlines()
    assert [line.split()[-1] for line in shown[1:]] == ["0", "1"]
    assert (
        main(["history", "mark", str(history), newest, "accepted", "--note", "new template"]) == 0
    )
    assert _rows(history, f"SELECT accepted, note FROM runs WHERE run_id = '{newest}'") == [
        ("accepted", "new template")
    ]
    assert main(["history", "mark", str(history), "no-such-run", "rejected"]) == 2
    assert main(["history", "export", str(history), "--out", str(tmp_path / "x")]) == 0
    header = (tmp_path / "x" / "runs.csv").read_text().splitlines()[0]
    assert header.startswith("run_id,started_at")
    assert (
        main(
            ["history", "export", str(history), "--out", str(tmp_path / "p"), "--format", "parquet"]
        )
        == 0
    )
    assert (tmp_path / "p" / "check_metrics.parquet").stat().st_size > 0
    assert main(["history", "prune", str(history), "--keep", "1"]) == 0
    assert _rows(history, "SELECT run_id FROM runs") == [(newest,)]
    assert _rows(history, "SELECT DISTINCT run_id FROM check_metrics") == [(newest,)]


@pytest.mark.slow
def test_damaged_or_foreign_history_exits_2_and_keeps_the_reports(
    dumps: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "notes.duckdb"
    foreign.write_bytes(b"these are my notes, not a database\n" * 200)
    code, report, _ = run_check(dumps[0], tmp_path / "out", "--history", str(foreign))
    assert code == 2
    assert report["gate"]["verdict"] == "pass"  # the run's reports are all there
    assert "not a corpus-qa history" in report["history"]["error"]
    err = capsys.readouterr().err
    assert str(foreign) in err and "Traceback" not in err
    assert (tmp_path / "out" / "summary.md").exists()
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE t (x INTEGER)")
    code, _, _ = run_check(dumps[0], tmp_path / "out2", "--history", str(other))
    assert code == 2
    assert "no meta table" in capsys.readouterr().err


def test_newer_history_is_refused_and_older_is_migrated(tmp_path: Path) -> None:
    newer = tmp_path / "newer.duckdb"
    store.connect(newer, write=True).close()
    with duckdb.connect(str(newer)) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ConfigError, match="newer corpus-qa"):
        store.connect(newer, write=True)
    older = tmp_path / "older.duckdb"
    with duckdb.connect(str(older)) as con:
        for statement in store._MIGRATIONS[1]:
            con.execute(statement)
        con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    with store.opened(older, write=True) as con:
        assert store.schema_version(con) == store.SCHEMA_VERSION
        columns = [row[0] for row in con.execute("DESCRIBE runs").fetchall()]
    assert columns[-1] == "note"


def test_a_second_writer_waits_then_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "h.duckdb"
    store.connect(path, write=True).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('held', flush=True); time.sleep(float(sys.argv[2]))",
            str(path),
            "1.5",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        began = time.monotonic()
        with pytest.raises(ConfigError, match="locked by another run"):
            store.connect(path, write=True, timeout=0.3)
        assert time.monotonic() - began >= 0.3
        # Waiting long enough, the second writer gets its turn.
        with store.opened(path, write=True, timeout=30) as con:
            assert store.schema_version(con) == store.SCHEMA_VERSION
    finally:
        holder.wait(timeout=30)


def test_failed_input_is_recorded_void(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("not json at all\n", encoding="utf-8")
    history = tmp_path / "h.duckdb"
    code, _, _ = run_check(empty, tmp_path / "out", "--history", str(history))
    assert code == 2
    assert _rows(history, "SELECT status, accepted FROM runs") == [("failed_input", "void")]
    with (
        store.opened(history, write=True) as con,
        pytest.raises(ConfigError, match="never be a reference"),
    ):
        run_id = con.execute("SELECT run_id FROM runs").fetchone()
        assert run_id is not None
        store.mark(con, history, str(run_id[0]), "accepted", None)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[anomaly]\nrobust = 3\n", 'anomaly.robust: unknown key; did you mean "robust_z"?'),
        ("[anomaly]\nwindow = 0\n", "anomaly.window: expected a whole number >= 1"),
        ('[anomaly]\nseason = "monthly"\n', "anomaly.season: expected one of none, weekday"),
        ('[anomaly.metrics."fill.bylines"]\nrobust_z = 3\n', 'did you mean "fill.byline"?'),
        (
            '[checks."byline.missing".anomaly]\nabs_change = "big"\n',
            "abs_change: expected a number",
        ),
        ('[checks."byline.missing".anomaly.outlets."X"]\noutlets = {}\n', "outlets: unknown key"),
    ],
)
def test_bad_anomaly_policy_exits_2(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("?", r"\?")):
        load_policy(_policy(tmp_path, table))


def test_anomaly_rules_resolve_most_specific_first(tmp_path: Path) -> None:
    policy = load_policy(
        _policy(
            tmp_path,
            """
[anomaly]
robust_z = 5
[anomaly.metrics."fill.date"]
severity = "error"
direction = "both"
[checks."byline.missing".anomaly]
abs_change = 0.3
[checks."byline.missing".anomaly.outlets."Le Monde"]
enabled = false
""",
        )
    ).anomaly
    assert policy.for_check("byline.missing", "Die Zeit") == AnomalyRule(
        robust_z=5.0, abs_change=0.3
    )
    assert not policy.for_check("byline.missing", "Le Monde").enabled
    assert policy.for_check("title.missing", "Le Monde").abs_change is None
    date = policy.for_metric("fill.date", "El País")
    assert (date.severity, date.direction, date.robust_z) == ("error", "both", 5.0)


@settings(max_examples=examples(200))
@given(
    refs=st.lists(st.integers(0, 30), min_size=4, max_size=28),
    articles=st.integers(10, 400),
)
def test_a_value_at_the_reference_median_never_alarms(refs: list[int], articles: int) -> None:
    rates = [r / 100 for r in refs]
    median = sorted(rates)[len(rates) // 2]
    rule = AnomalyRule(abs_change=0.2, rel_change=2.0)
    for name in ("byline.missing", "fill.byline"):
        kind = "check" if "." in name and not name.startswith("fill") else "metric"
        assert judge_series(rule, kind, name, median, articles, [median, *rates]) is None


def test_report_json_names_the_history(dumps: tuple[Path, Path], tmp_path: Path) -> None:
    history = tmp_path / "h.duckdb"
    _, report, _ = run_check(dumps[0], tmp_path / "out", "--history", str(history))
    data = json.loads((tmp_path / "out" / "report.json").read_text())
    assert data["history"]["path"] == str(history)
    assert _rows(history, "SELECT run_id FROM runs") == [(report["history"]["run_id"],)]


@pytest.mark.slow
def test_five_weeks_of_daily_runs_catch_a_break_on_its_day(tmp_path: Path) -> None:
    planted = Break("abrupt", "Le Monde", 33, 2, "byline", 0.6)
    days = simulate(tmp_path / "h.duckdb", 35, seed=3, breaks=[planted])
    scored = score(days, [planted])
    assert scored["delays"] == {"abrupt": 0}
    reason = scored["reasons"]["abrupt"]  # type: ignore[index]
    assert reason.startswith("anomaly: Le Monde byline.missing ")
    assert "(same weekday)" in reason
    assert scored["false_alarms"] == []
    assert not days[33].passed  # byline.missing is an error: the anomaly fails the gate


@pytest.mark.slow
def test_a_synthetic_year_catches_every_planted_break_with_few_false_alarms(
    tmp_path: Path,
) -> None:
    scored = score(simulate(tmp_path / "year.duckdb"))
    delays = scored["delays"]
    assert isinstance(delays, dict)
    assert delays["abrupt"] == 0 and delays["fill drop"] == 0
    # 40% of one 22-article outlet: caught within its four days.
    assert delays["partial"] is not None and delays["partial"] <= 3
    # Caught while still creeping up (it takes 7 days to reach its level).
    assert delays["creeping"] is not None and delays["creeping"] <= 6
    assert len(scored["false_alarms"]) <= 1  # type: ignore[arg-type]


def test_an_interrupted_run_is_recorded_void_with_what_it_counted(
    dumps: tuple[Path, Path], tmp_path: Path
) -> None:
    from corpus_qa.history.record import void_run
    from corpus_qa.run.runner import Run, RunOptions

    run = Run(RunOptions(dump=str(dumps[0]), out_dir=tmp_path / "out", jobs=1))
    run.plan()
    run.chunks()
    run.writer.abort()
    result = run.interrupted("SIGTERM")  # what the CLI gets with RunInterrupted
    history = tmp_path / "h.duckdb"
    void_run(history, str(dumps[0]), None, result, "incomplete")
    assert _rows(history, "SELECT status, verdict, accepted, articles FROM runs") == [
        ("incomplete", "fail", "void", 500)
    ]
    assert _rows(history, "SELECT count(*) > 0 FROM check_metrics") == [(True,)]
