"""``corpus-qa history``: list runs, show a series, mark runs, export, prune."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_parser(commands: Any) -> None:
    """The ``history`` command and its subcommands (DuckDB is imported when one runs)."""
    history = commands.add_parser(
        "history",
        help="inspect and curate the metrics history (--history FILE of check)",
        description="The metrics history written by `corpus-qa check --history FILE`.",
    )
    sub = history.add_subparsers(dest="history_command", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help="the runs, newest first")
    listing.add_argument("file", type=Path, metavar="FILE")
    listing.add_argument("--limit", type=int, default=30, help="at most this many runs")
    show = sub.add_parser("show", help="one metric's series per outlet")
    show.add_argument("file", type=Path, metavar="FILE")
    show.add_argument("metric", help="a check id (its rate) or a metric such as fill.byline")
    show.add_argument("--outlet", help="one outlet ('*': a check's dump-wide rate)")
    mark = sub.add_parser("mark", help="accept a run as a reference, or reject it")
    mark.add_argument("file", type=Path, metavar="FILE")
    mark.add_argument("run_id", metavar="RUN_ID")
    mark.add_argument("state", choices=("accepted", "rejected", "pending"))
    mark.add_argument("--note", help="why (kept with the run)")
    export = sub.add_parser("export", help="every table to CSV or Parquet files")
    export.add_argument("file", type=Path, metavar="FILE")
    export.add_argument("--out", type=Path, required=True, help="folder for <table>.<format>")
    export.add_argument("--format", choices=("csv", "parquet"), default="csv")
    prune = sub.add_parser("prune", help="delete all but the newest runs")
    prune.add_argument("file", type=Path, metavar="FILE")
    prune.add_argument("--keep", type=int, required=True, help="runs to keep")


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )


def run_command(args: argparse.Namespace) -> int:
    from corpus_qa.errors import ConfigError
    from corpus_qa.history import store

    action = args.history_command
    write = action in ("mark", "prune")
    with store.opened(args.file, write=write) as con:
        if action == "list":
            runs = store.runs(con, args.limit)
            rows = [["run", "started", "status", "verdict", "accepted", "articles", "anomalies"]]
            for r in runs.itertuples():
                rows.append(
                    [
                        str(r.run_id),
                        str(r.started_at)[:19],
                        str(r.status),
                        str(r.verdict),
                        str(r.accepted),
                        str(r.articles),
                        str(r.anomalies),
                    ]
                )
            print(_table(rows))
        elif action == "show":
            frame = store.series(con, args.metric, args.outlet)
            if not len(frame):
                raise ConfigError(f"{args.file}: no series {args.metric!r} (outlet {args.outlet})")
            rows = [["outlet", "started", "run", "accepted", "value"]]
            for r in frame.itertuples():
                rows.append(
                    [
                        str(r.outlet),
                        str(r.started_at)[:19],
                        str(r.run_id),
                        str(r.accepted),
                        f"{r.value:.4g}",
                    ]
                )
            print(_table(rows))
        elif action == "mark":
            store.mark(con, args.file, args.run_id, args.state, args.note)
            print(f"{args.run_id}: {args.state}")
        elif action == "export":
            for path in store.export(con, args.out, args.format):
                print(f"wrote {path}")
        elif action == "prune":
            if args.keep < 0:
                raise ConfigError("--keep: must be 0 or more")
            print(f"deleted {store.prune(con, args.keep)} runs")
    return 0
