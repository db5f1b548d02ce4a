"""Bounds on what one input may cost to read, and which JSON list holds the records.

Every reader takes an :class:`IngestLimits`: a hostile or broken file (a decompression
bomb, a gigabyte line, JSON nested thousands deep) is quarantined, never allowed to
exhaust memory or crash a C parser.
"""

from __future__ import annotations

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

    def inflate_limit(self, compressed_size: int) -> int:
        """Decompressed bytes allowed for a file of ``compressed_size`` bytes."""
        return max(INFLATE_FLOOR, self.max_inflate_ratio * compressed_size)


DEFAULT_LIMITS = IngestLimits()
