"""The GX and Pandera workloads of ``make bench``, each run as its own process by bench/run.py.

``python bench/tools.py gx DUMP``: Great Expectations 1.x (ephemeral context, progress
bars off) validating the suite corpus_qa.interop.gx_suite builds from the default
policy; ``gx_six DUMP POLICY``: the same with only the expectations that mirror the six
shared checks (bench/peers.py ``SIX``), from the bench's six-check policy; ``pandera
DUMP PATTERNS``: plain Pandera with an equivalent schema; ``pandera_six DUMP
PATTERNS``: the same without the id uniqueness, so the six checks alone. All load the JSONL with pandas' pyarrow engine inside the measured process, map the
raw fields to the articles table's column names and print, as one JSON line, the
number of distinct failing records per corpus-qa check. PATTERNS is a JSON file of the
suite's regexes written by bench/run.py, so plain Pandera does not import corpus-qa.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
from peers import SIX  # type: ignore[import-not-found]

#: Checks the full GX suite, plain Pandera and corpus-qa express; counts must agree.
SHARED = (*SIX, "record.duplicate_id")


def load(dump: str) -> pd.DataFrame:
    """The dump as the articles table's columns GX and Pandera need (no corpus-qa parsing)."""
    raw = pd.read_json(dump, lines=True, engine="pyarrow")
    published_raw = raw["date"].astype("str")
    return pd.DataFrame(
        {
            "record_id": raw["id"].astype("str"),
            "url": raw["url"].astype("str"),
            "outlet": raw["outlet"].astype("str"),
            "title": raw["title"].astype("str"),
            "body": raw["text"].astype("str"),
            "byline": raw["author"].astype("str"),
            "published_raw": published_raw,
            # A plain ISO-8601 parse: relative dates ("3 hours ago") stay unresolved.
            "published": pd.to_datetime(published_raw, errors="coerce", utc=True, format="ISO8601"),
            # Every JSONL record is a "record"; synth dumps carry no genre.
            "role": "record",
            "genre": pd.Series(None, index=raw.index, dtype="str"),
        }
    )


def run_gx(dump: str, policy: str | None = None) -> dict[str, Any]:
    from corpus_qa.gate.policy import load_policy
    from corpus_qa.interop.gx_run import GxValidator
    from corpus_qa.interop.gx_suite import expectations

    suite = expectations(load_policy(Path(policy) if policy else None))
    if policy:  # the six checks' expectations, none of the schema's or informational
        suite = [e for e in suite if e.check in SIX]
    validator = GxValidator(suite, None)  # ephemeral context, progress bars off
    frame = load(dump)
    results = validator.validate(frame, "bench")
    ids: dict[str, set[str]] = {}
    for result in results:
        if result.check is not None:
            ids.setdefault(result.check, set()).update(result.ids)
    return {
        "records": {check: len(ids.get(check, set())) for check in (SIX if policy else SHARED)},
        "expectations": len(suite),
    }


def run_pandera(dump: str, patterns: dict[str, str], *, six: bool = False) -> dict[str, Any]:
    import pandera.pandas as pa

    frame = load(dump)
    blank = patterns["blank"]

    def no_match(pattern: str, name: str) -> Any:
        return pa.Check(lambda s: ~s.str.contains(pattern, regex=True), name=name)

    def padded(pattern: str, name: str) -> Any:
        return pa.Check(lambda s: ~(s + " ").str.contains(pattern, regex=True), name=name)

    def whole_line(pattern: str, name: str) -> Any:
        # The RE2-friendly form an expert writes: pad, then match between newlines.
        return pa.Check(lambda s: ~("\n" + s + "\n").str.contains(pattern, regex=True), name=name)

    text_checks = [
        padded(patterns["email_truncated"], "email.truncated"),
        no_match(patterns["email_obfuscated"], "email.obfuscated"),
        no_match(patterns["boilerplate_anywhere"], "boilerplate.leak"),
    ]
    schema = pa.DataFrameSchema(
        {
            "record_id": pa.Column(unique=not six),
            "title": pa.Column(nullable=True, checks=text_checks),
            "body": pa.Column(
                nullable=True,
                checks=[*text_checks, whole_line(patterns["boilerplate_line"], "boilerplate.leak")],
            ),
            "byline": pa.Column(
                nullable=True,
                checks=pa.Check(
                    lambda s: s.notna() & ~s.str.contains(blank, regex=True).fillna(False),
                    ignore_na=False,
                    name="byline.missing",
                ),
            ),
            "published_raw": pa.Column(
                nullable=True, checks=no_match(patterns["relative"], "date.relative")
            ),
        },
        checks=pa.Check(
            lambda df: (
                df["published"].notna()
                | (
                    df["published_raw"].notna()
                    & ~df["published_raw"].str.contains(blank, regex=True).fillna(False)
                )
            ),
            name="date.missing",
        ),
    )
    failing: dict[str, set[Any]] = {}
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as error:
        cases = error.failure_cases
        for check, index in zip(cases["check"].astype(str), cases["index"], strict=True):
            name = "record.duplicate_id" if check == "field_uniqueness" else check
            failing.setdefault(name, set()).add(index)
    checks = SIX if six else SHARED
    return {"records": {check: len(failing.get(check, set())) for check in checks}}


def main(argv: list[str]) -> None:
    tool, dump = argv[0], argv[1]
    started = time.perf_counter()
    if tool in ("gx", "gx_six"):
        out = run_gx(dump, argv[2] if tool == "gx_six" else None)
    elif tool in ("pandera", "pandera_six"):
        patterns = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        out = run_pandera(dump, patterns, six=tool == "pandera_six")
    else:
        raise SystemExit(f"unknown tool {tool!r}")
    out["in_process_seconds"] = round(time.perf_counter() - started, 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
