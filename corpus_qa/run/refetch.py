"""Re-reading the bodies of a few articles after the run, by file and line.

Global checks keep keys, not text; ``record.near_duplicate`` confirms its candidate
pairs on the bodies themselves, so the runner fetches just those again.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import pandas as pd

from corpus_qa.findings.tally import ChunkStats
from corpus_qa.ingest import Discovery, FieldMap, IngestLimits, LineRange, iter_plan
from corpus_qa.ingest.ranges import bodies_of_lines
from corpus_qa.run.chunk import drafts_of


def fetch_texts(
    discovery: Discovery,
    fields: FieldMap,
    chunk_size: int,
    wanted: set[tuple[str, int]],
    limits: IngestLimits | None = None,
    *,
    ranges: Sequence[LineRange] = (),
) -> dict[tuple[str, int], str]:
    """Bodies of the ``(source_path, line_start)`` articles, re-reading only their files.

    Of a plain JSONL file only the wanted lines are parsed (the line ranges holding
    them, as the run planned them in ``ranges``, else as the planner finds them again,
    then just those lines are cut from the range's bytes); other files (pages,
    compressed, JSON arrays) are read again whole.
    """
    if not wanted:
        return {}
    lines_of: dict[str, set[int]] = {}
    for path, line in wanted:
        lines_of.setdefault(path, set()).add(line)
    planned = [part for part in ranges if part.file.display in lines_of]
    known = {part.file.display for part in planned}
    files = [file for file in discovery.files if file.display in lines_of.keys() - known]
    texts: dict[tuple[str, int], str] = {}
    limits = limits or IngestLimits()
    units = iter_plan(files, chunk_size=chunk_size, fields=fields, limits=limits)
    buffer = bytearray()  # each range's bytes in turn
    for unit in chain(planned, units):
        if isinstance(unit, LineRange):
            inside = lines_of[unit.file.display]
            last = unit.first_line + unit.lines
            lines = sorted(n for n in inside if unit.first_line <= n < last)
            if lines:
                texts.update(bodies_of_lines(unit, lines, buffer))
            continue
        drafts, _ = drafts_of([unit], ChunkStats())
        if not len(drafts):
            continue
        for path, line, body in zip(
            drafts["source_path"], drafts["line_start"], drafts["body"], strict=True
        ):
            key = (str(path), int(line))
            if key in wanted:
                texts[key] = "" if pd.isna(body) else str(body)
    return texts
