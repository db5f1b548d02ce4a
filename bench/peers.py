"""DuckDB and Polars peers of ``make bench``: the six shared checks, each its own process.

``python bench/peers.py TOOL DUMP PATTERNS`` with TOOL one of ``duckdb_plain``,
``duckdb_tuned``, ``polars_plain``, ``polars_tuned``. Each prints, as one JSON line, the
number of failing records per check of :data:`SIX`, which bench/run.py compares with
corpus-qa's. PATTERNS is the JSON file of the suite's regexes bench/run.py writes (the
same file plain Pandera reads), so no peer imports corpus-qa or pandas.

- *plain*: what one writes first: load the whole dump (DuckDB ``read_json_auto`` into a
  table, Polars ``read_ndjson``), then one query or filter per check.
- *tuned*: one pass: DuckDB one query over ``read_json`` with the five columns it needs
  declared, Polars one ``select`` over a lazy ``scan_ndjson`` with the same schema; the
  rare-character regexes are screened by a literal first (``@``, ``email``), as an expert
  writes them.

The checks, on the dump's raw fields: ``byline.missing`` no author or a blank one;
``email.truncated``, ``email.obfuscated`` and ``boilerplate.leak`` a match in the
title or the text (``boilerplate.leak`` also a UI label standing as a whole line);
``date.relative`` a relative raw date; ``date.missing`` no raw date or a blank one (a
blank raw date never parses, so "no parsed date and no raw date" is the same rule).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

#: The checks every tool of the bench expresses; their failing counts must agree.
SIX = (
    "byline.missing",
    "email.truncated",
    "email.obfuscated",
    "boilerplate.leak",
    "date.relative",
    "date.missing",
)
#: The raw fields the six checks read, all strings.
FIELDS = ("id", "title", "text", "author", "date")


def _sql(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _duckdb_conditions(p: dict[str, str], *, screened: bool) -> dict[str, str]:
    """One SQL condition per check, the patterns inlined as constants.

    As prepared-statement parameters the patterns would not be constant-folded, and
    DuckDB would compile each regex once per row.
    """

    def screen(column: str, literal: str) -> str:
        return f"contains({column}, '{literal}') AND " if screened else ""

    def either(pattern: str, literal: str = "", pad: bool = False) -> str:
        def one(column: str) -> str:
            value = f"({column} || ' ')" if pad else column
            regex = f"regexp_matches({value}, {_sql(p[pattern])})"
            return f"({screen(column, literal) if literal else ''}{regex})"

        return f"{one('title')} OR {one('text')}"

    return {
        "byline.missing": f"author IS NULL OR regexp_matches(author, {_sql(p['blank'])})",
        "email.truncated": either("email_truncated", "@", pad=True),
        "email.obfuscated": either("email_obfuscated", "email"),
        "boilerplate.leak": either("boilerplate_anywhere")
        + f" OR regexp_matches(chr(10) || text || chr(10), {_sql(p['boilerplate_line'])})",
        "date.relative": f"regexp_matches(date, {_sql(p['relative'])})",
        "date.missing": f"date IS NULL OR regexp_matches(date, {_sql(p['blank'])})",
    }


def run_duckdb(dump: str, patterns: dict[str, str], *, tuned: bool) -> dict[str, int]:
    import duckdb

    con = duckdb.connect()
    conditions = _duckdb_conditions(patterns, screened=tuned)
    path = dump.replace("'", "''")
    if tuned:
        columns = ", ".join(f"{name}: 'VARCHAR'" for name in FIELDS)
        source = f"read_json('{path}', format = 'newline_delimited', columns = {{{columns}}})"
        select = ", ".join(f"count_if(coalesce({c}, false))" for c in conditions.values())
        row = con.execute(f"SELECT {select} FROM {source}").fetchone()
        assert row is not None
        return dict(zip(conditions, (int(v) for v in row), strict=True))
    con.execute(f"CREATE TABLE articles AS SELECT * FROM read_json_auto('{path}')")
    counts = {}
    for check, condition in conditions.items():
        row = con.execute(f"SELECT count(*) FROM articles WHERE {condition}").fetchone()
        assert row is not None
        counts[check] = int(row[0])
    return counts


def _polars_exprs(p: dict[str, str], *, screened: bool) -> dict[str, Any]:
    import polars as pl

    def matches(column: str, pattern: str, literal: str = "", pad: bool = False) -> Any:
        value = pl.col(column) + " " if pad else pl.col(column)
        hit = value.str.contains(pattern)
        if screened and literal:
            hit = pl.col(column).str.contains(literal, literal=True) & hit
        return hit.fill_null(False)

    def either(pattern: str, literal: str = "", pad: bool = False) -> Any:
        return matches("title", pattern, literal, pad) | matches("text", pattern, literal, pad)

    lines = ("\n" + pl.col("text") + "\n").str.contains(p["boilerplate_line"]).fill_null(False)
    blank_author = pl.col("author").str.contains(p["blank"]).fill_null(False)
    blank_date = pl.col("date").str.contains(p["blank"]).fill_null(False)
    return {
        "byline.missing": pl.col("author").is_null() | blank_author,
        "email.truncated": either(p["email_truncated"], "@", pad=True),
        "email.obfuscated": either(p["email_obfuscated"], "email"),
        "boilerplate.leak": either(p["boilerplate_anywhere"]) | lines,
        "date.relative": matches("date", p["relative"]),
        "date.missing": pl.col("date").is_null() | blank_date,
    }


def run_polars(dump: str, patterns: dict[str, str], *, tuned: bool) -> dict[str, int]:
    import polars as pl

    exprs = _polars_exprs(patterns, screened=tuned)
    if tuned:
        schema = dict.fromkeys(FIELDS, pl.String)
        frame = pl.scan_ndjson(dump, schema=schema)
        sums = frame.select(expr.sum().alias(check) for check, expr in exprs.items()).collect()
        return {check: int(sums[check][0]) for check in exprs}
    articles = pl.read_ndjson(dump)
    return {check: articles.filter(expr).height for check, expr in exprs.items()}


def main(argv: list[str]) -> None:
    tool, dump, pattern_file = argv
    patterns = json.loads(Path(pattern_file).read_text(encoding="utf-8"))
    started = time.perf_counter()
    engine, _, variant = tool.partition("_")
    if engine == "duckdb" and variant in ("plain", "tuned"):
        counts = run_duckdb(dump, patterns, tuned=variant == "tuned")
    elif engine == "polars" and variant in ("plain", "tuned"):
        counts = run_polars(dump, patterns, tuned=variant == "tuned")
    else:
        raise SystemExit(f"unknown tool {tool!r}")
    elapsed = round(time.perf_counter() - started, 2)
    print(json.dumps({"records": counts, "in_process_seconds": elapsed}))


if __name__ == "__main__":
    main(sys.argv[1:])
