"""The metrics history: one embedded DuckDB file, appended to by every run.

DuckDB lets one process write a file at a time: opening retries for a bounded time,
then fails with a clear error. A file that is not DuckDB, or DuckDB without our
``meta`` table, or from a newer schema, is refused (exit 2 naming it). Tables and
their columns are documented in docs/history.md; the schema version lives in
``meta`` and older files are migrated forward on the first write.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from corpus_qa.errors import ConfigError
from corpus_qa.history.metrics import RunMetrics

SCHEMA_VERSION = 2
#: Seconds a run waits for another run's write to end before giving up.
LOCK_TIMEOUT = 10.0
#: ``accepted``: a reference for later runs; ``pending``: not (yet) one (a failed run or
#: one with anomalies); ``rejected``: never; ``void``: interrupted or unread, never.
ACCEPTANCE = ("accepted", "pending", "rejected", "void")

_MIGRATIONS: dict[int, Sequence[str]] = {
    1: (
        "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
        """CREATE TABLE runs (
            run_id VARCHAR PRIMARY KEY, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ,
            dump_path VARCHAR, dump_fingerprint VARCHAR, policy_sha256 VARCHAR,
            tool_version VARCHAR, status VARCHAR, verdict VARCHAR, accepted VARCHAR,
            records_read BIGINT, records_checked BIGINT, records_quarantined BIGINT,
            articles BIGINT, anomalies INTEGER)""",
        """CREATE TABLE check_metrics (
            run_id VARCHAR, check_id VARCHAR, outlet VARCHAR, articles BIGINT,
            findings BIGINT, records BIGINT, rate DOUBLE, status VARCHAR)""",
        """CREATE TABLE outlet_metrics (
            run_id VARCHAR, outlet VARCHAR, metric VARCHAR, value DOUBLE)""",
        """CREATE TABLE anomalies (
            run_id VARCHAR, kind VARCHAR, name VARCHAR, outlet VARCHAR, value DOUBLE,
            reference DOUBLE, z DOUBLE, runs INTEGER, status VARCHAR, reason VARCHAR)""",
    ),
    # Why a run was marked accepted or rejected (`corpus-qa history mark --note`).
    2: ("ALTER TABLE runs ADD COLUMN note VARCHAR",),
}
TABLES = ("runs", "check_metrics", "outlet_metrics", "anomalies")


class HistoryError(ConfigError):
    """The history file cannot be used (damaged, foreign, newer, locked)."""


def _is_lock(error: Exception) -> bool:
    return "lock" in str(error).lower()


def connect(path: Path, *, write: bool, timeout: float = LOCK_TIMEOUT) -> duckdb.DuckDBPyConnection:
    """An open, checked history (created when writing to a new path).

    Retries while another process holds the file's lock, for up to ``timeout`` seconds.
    """
    if not write and not path.exists():
        raise HistoryError(f"{path}: no such history file")
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(path), read_only=not write)
            break
        except duckdb.Error as error:
            if _is_lock(error) and time.monotonic() < deadline:
                time.sleep(min(delay, max(0.0, deadline - time.monotonic())))
                delay = min(delay * 2, 1.0)
                continue
            if _is_lock(error):
                raise HistoryError(
                    f"{path}: history is locked by another run (waited {timeout:g} s); "
                    "retry when it ends"
                ) from error
            raise HistoryError(f"{path}: not a corpus-qa history: {_first_line(error)}") from error
    try:
        _check_schema(con, path, write=write)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def opened(
    path: Path, *, write: bool, timeout: float = LOCK_TIMEOUT
) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(path, write=write, timeout=timeout)
    try:
        yield con
    finally:
        con.close()


def _first_line(error: BaseException) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0]


def _check_schema(con: duckdb.DuckDBPyConnection, path: Path, *, write: bool) -> None:
    try:
        names = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if not names and write:
            _migrate(con, 0)
            return
        if "meta" not in names:
            raise HistoryError(f"{path}: not a corpus-qa history (no meta table)")
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row is not None else 0
    except duckdb.Error as error:
        raise HistoryError(f"{path}: damaged history: {_first_line(error)}") from error
    except ValueError as error:
        raise HistoryError(f"{path}: damaged history: bad schema_version") from error
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"{path}: history schema {version} is from a newer corpus-qa "
            f"(this one reads up to {SCHEMA_VERSION}); upgrade corpus-qa"
        )
    if version < 1:
        raise HistoryError(f"{path}: damaged history: no schema_version in meta")
    if version < SCHEMA_VERSION and write:
        _migrate(con, version)


def _migrate(con: duckdb.DuckDBPyConnection, version: int) -> None:
    """Apply every migration after ``version``, in one transaction."""
    con.execute("BEGIN TRANSACTION")
    try:
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for statement in _MIGRATIONS[step]:
                con.execute(statement)
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def append(
    con: duckdb.DuckDBPyConnection,
    metrics: RunMetrics,
    *,
    accepted: str,
    anomalies: Sequence[dict[str, Any]] = (),
) -> None:
    """Add one run (its rows in every table) in one transaction."""
    run = (
        metrics.run_id,
        metrics.started_at,
        metrics.finished_at,
        metrics.dump_path,
        metrics.dump_fingerprint,
        metrics.policy_sha256,
        metrics.tool_version,
        metrics.status,
        metrics.verdict,
        accepted,
        metrics.records_read,
        metrics.records_checked,
        metrics.records_quarantined,
        metrics.articles,
        len(anomalies),
        None,
    )
    checks = pd.DataFrame(
        [
            (
                metrics.run_id,
                r.check_id,
                r.outlet,
                r.articles,
                r.findings,
                r.records,
                r.rate,
                r.status,
            )
            for r in metrics.checks
        ],
        columns=[
            "run_id",
            "check_id",
            "outlet",
            "articles",
            "findings",
            "records",
            "rate",
            "status",
        ],
    )
    outlets = pd.DataFrame(
        [(metrics.run_id, o, m, float(v)) for (o, m), v in metrics.outlets.items()],
        columns=["run_id", "outlet", "metric", "value"],
    )
    found = pd.DataFrame(
        [
            (
                metrics.run_id,
                a["kind"],
                a["name"],
                a["outlet"],
                a["value"],
                a["reference"],
                a["z"],
                a["runs"],
                a["status"],
                a["reason"],
            )
            for a in anomalies
        ],
        columns=[
            "run_id",
            "kind",
            "name",
            "outlet",
            "value",
            "reference",
            "z",
            "runs",
            "status",
            "reason",
        ],
    )
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"INSERT INTO runs VALUES ({', '.join('?' * len(run))})", list(run))
        for table, frame in (
            ("check_metrics", checks),
            ("outlet_metrics", outlets),
            ("anomalies", found),
        ):
            if len(frame):
                con.register("_rows", frame)
                con.execute(f"INSERT INTO {table} SELECT * FROM _rows")
                con.unregister("_rows")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def reference_values(
    con: duckdb.DuckDBPyConnection, limit: int
) -> tuple[list[tuple[str, str, str, str, Any, float]], int]:
    """The last ``limit`` accepted runs' values, newest run first, and how many runs:
    rows of (kind, name, outlet, run_id, started_at, value); kind ``check`` (a check's
    rate) or ``metric`` (a history metric)."""
    rows = con.execute(
        """WITH refs AS (
               SELECT run_id, started_at FROM runs WHERE accepted = 'accepted'
               ORDER BY started_at DESC LIMIT ?)
           SELECT 'check' AS kind, check_id, outlet, run_id, started_at, rate
           FROM check_metrics JOIN refs USING (run_id)
           UNION ALL
           SELECT 'metric', metric, outlet, run_id, started_at, value
           FROM outlet_metrics JOIN refs USING (run_id)
           ORDER BY started_at DESC, run_id""",
        [limit],
    ).fetchall()
    count = len({row[3] for row in rows})
    return rows, count


def runs(con: duckdb.DuckDBPyConnection, limit: int | None = None) -> pd.DataFrame:
    sql = (
        "SELECT run_id, started_at, status, verdict, accepted, articles, anomalies, "
        "dump_fingerprint, note FROM runs ORDER BY started_at DESC"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return con.execute(sql).df()


def series(con: duckdb.DuckDBPyConnection, name: str, outlet: str | None) -> pd.DataFrame:
    """One metric (a check id: its rate; or a history metric) per run and outlet."""
    where = "" if outlet is None else "AND outlet = ?"
    params: list[Any] = [name, *([outlet] if outlet is not None else [])]
    sql = f"""
        SELECT r.started_at, r.run_id, r.accepted, m.outlet, m.value FROM (
            SELECT run_id, outlet, rate AS value FROM check_metrics WHERE check_id = ? {where}
        ) m JOIN runs r USING (run_id) ORDER BY m.outlet, r.started_at"""
    frame = con.execute(sql, params).df()
    if len(frame):
        return frame
    sql = f"""
        SELECT r.started_at, r.run_id, r.accepted, m.outlet, m.value FROM (
            SELECT run_id, outlet, value FROM outlet_metrics WHERE metric = ? {where}
        ) m JOIN runs r USING (run_id) ORDER BY m.outlet, r.started_at"""
    return con.execute(sql, params).df()


def mark(
    con: duckdb.DuckDBPyConnection, path: Path, run_id: str, accepted: str, note: str | None
) -> None:
    row = con.execute("SELECT status FROM runs WHERE run_id = ?", [run_id]).fetchone()
    if row is None:
        raise HistoryError(f"{path}: no run {run_id!r} (see `corpus-qa history list`)")
    if row[0] != "complete" and accepted == "accepted":
        raise HistoryError(f"{path}: run {run_id} is {row[0]}: it can never be a reference")
    con.execute("UPDATE runs SET accepted = ?, note = ? WHERE run_id = ?", [accepted, note, run_id])


def prune(con: duckdb.DuckDBPyConnection, keep: int) -> int:
    """Delete all but the newest ``keep`` runs (and their rows); the number deleted."""
    old = con.execute("SELECT run_id FROM runs ORDER BY started_at DESC OFFSET ?", [keep]).df()
    if not len(old):
        return 0
    con.register("_old", old)
    con.execute("BEGIN TRANSACTION")
    try:
        for table in TABLES:
            con.execute(f"DELETE FROM {table} WHERE run_id IN (SELECT run_id FROM _old)")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("_old")
    con.execute("CHECKPOINT")
    return len(old)


def export(con: duckdb.DuckDBPyConnection, folder: Path, fmt: str) -> list[Path]:
    """Every table to ``folder/<table>.<fmt>`` (csv or parquet)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        target = folder / f"{table}.{fmt}"
        option = "(FORMAT PARQUET)" if fmt == "parquet" else "(HEADER, DELIMITER ',')"
        escaped = str(target).replace("'", "''")
        con.execute(f"COPY {table} TO '{escaped}' {option}")
        written.append(target)
    return written
