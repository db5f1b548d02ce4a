"""Bounds on what one input may cost to read, and which JSON list holds the records.

Every reader takes an :class:`IngestLimits`: a hostile or broken file (a decompression
bomb, a gigabyte line, JSON nested thousands deep) is quarantined, never allowed to
exhaust memory or crash a C parser. Kept free of heavy imports: the CLI builds its
options from this module before pandas and pyarrow load.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

#: Decompressed bytes allowed per compressed byte (text rarely passes 20).
DEFAULT_INFLATE_RATIO = 200
#: Decompressed bytes always allowed, whatever the ratio (small archives of big files).
INFLATE_FLOOR = 64 << 20
#: Longest record line.
DEFAULT_MAX_LINE_BYTES = 64 << 20
#: Deepest JSON nesting of a record (pyarrow's JSON reader segfaults in the thousands).
DEFAULT_MAX_DEPTH = 100


@dataclass(frozen=True)
class IngestLimits:
    """``max_line_bytes``: longest line or JSON element; ``max_inflate_ratio``: cap on a
    decompressor's output as a multiple of the compressed file's size; ``max_depth``:
    deepest JSON nesting; ``json_path``: keys to the record list in a wrapped JSON file."""

    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    max_inflate_ratio: int = DEFAULT_INFLATE_RATIO
    max_depth: int = DEFAULT_MAX_DEPTH
    json_path: tuple[str, ...] | None = None
    #: CPU seconds any one page may take to parse, below its size-proportional budget
    #: (``corpus_qa.parse.budget``); ``None``: that budget alone.
    max_page_seconds: float | None = None

    def inflate_limit(self, compressed_size: int) -> int:
        """Decompressed bytes allowed for a file of ``compressed_size`` bytes."""
        return max(INFLATE_FLOOR, self.max_inflate_ratio * compressed_size)


DEFAULT_LIMITS = IngestLimits()


_UNITS = {"": 1, "k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20, "g": 1 << 30}
_UNITS["gib"] = 1 << 30


def byte_size(value: str) -> int:
    """``65536``, ``64MiB``, ``512k``: a positive number of bytes (for argparse)."""
    text = value.strip().lower().replace(" ", "")
    digits = text.rstrip("kmgib")
    unit = text[len(digits) :]
    if not digits.isdigit() or unit not in _UNITS or int(digits) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a size such as 65536 or 64MiB")
    return int(digits) * _UNITS[unit]


def json_path(value: str) -> tuple[str, ...]:
    """``data.items`` -> ``("data", "items")`` (for argparse)."""
    keys = tuple(value.split("."))
    if not all(keys):
        raise argparse.ArgumentTypeError(f"{value!r} is not a path of keys such as data.items")
    return keys


def add_limit_options(parser: argparse.ArgumentParser) -> None:
    """The ``check`` options that set an :class:`IngestLimits`."""
    parser.add_argument(
        "--json-path",
        type=json_path,
        metavar="KEY.KEY",
        help="in .json files, read the record list under these keys, e.g. data.items "
        "(default: a top-level array, or the one list of objects a top-level object holds)",
    )
    parser.add_argument(
        "--max-line-bytes",
        type=byte_size,
        default=DEFAULT_MAX_LINE_BYTES,
        metavar="SIZE",
        help="longest record; longer ones are quarantined (input.too_large) (default 64MiB)",
    )
    parser.add_argument(
        "--max-inflate-ratio",
        type=_ratio,
        default=DEFAULT_INFLATE_RATIO,
        metavar="N",
        help="stop decompressing a file past N times its size, or 64 MiB "
        f"(input.too_large; fails the gate) (default {DEFAULT_INFLATE_RATIO})",
    )
    parser.add_argument(
        "--max-json-depth",
        type=_ratio,
        default=DEFAULT_MAX_DEPTH,
        metavar="N",
        help=f"deepest JSON nesting of a record (input.too_complex) (default {DEFAULT_MAX_DEPTH})",
    )
    parser.add_argument(
        "--max-page-seconds",
        type=_seconds,
        metavar="S",
        help="CPU seconds one page may take to parse, at most (input.too_complex) (default: "
        "2 plus 100 per million characters)",
    )


def limits_from_args(args: argparse.Namespace) -> IngestLimits:
    return IngestLimits(
        max_line_bytes=args.max_line_bytes,
        max_inflate_ratio=args.max_inflate_ratio,
        max_depth=args.max_json_depth,
        json_path=args.json_path,
        max_page_seconds=args.max_page_seconds,
    )


def _ratio(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number >= 1")
    return number


def _seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 < number < float("inf"):
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds above 0")
    return number
