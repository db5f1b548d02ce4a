"""Types of the C extension built from _textkeys.c (see corpus_qa.text.keys)."""

from numpy import ndarray as Buffer

def joined_keys(
    first_offsets: Buffer,
    first_data: Buffer,
    second_offsets: Buffer,
    second_data: Buffer,
    keys: Buffer,
    nonempty: Buffer,
) -> None: ...
def count_paragraphs(offsets: Buffer, data: Buffer, lines: bool = ..., /) -> int: ...
def paragraph_split(
    offsets: Buffer,
    data: Buffer,
    table: Buffer,
    min_chars: int,
    evidence_chars: int,
    row: Buffer,
    position: Buffer,
    start: Buffer,
    state: Buffer,
    keys: Buffer,
    evidence_offsets: Buffer,
    evidence_data: Buffer,
    lines: bool = ...,
    chars: Buffer = ...,
    ends: Buffer = ...,
    /,
) -> tuple[int, int]: ...
def count_words(offsets: Buffer, data: Buffer, counts: Buffer) -> int: ...
def minhash(
    offsets: Buffer,
    data: Buffer,
    shingle: int,
    num_perm: int,
    counts: Buffer,
    signatures: Buffer,
    /,
) -> None: ...
def common_counts(values: Buffer, bounds: Buffer, pairs: Buffer, common: Buffer, /) -> None: ...
def word_hashes(offsets: Buffer, data: Buffer, hashes: Buffer) -> None: ...
def string_hashes(offsets: Buffer, data: Buffer, hashes: Buffer) -> None: ...
def long_word_hits(
    offsets: Buffer, data: Buffer, bitmap: Buffer, min_bytes: int, /
) -> tuple[bytes, bytes]: ...
def line_edge_hits(
    offsets: Buffer, data: Buffer, heads: Buffer, tails: Buffer, /
) -> tuple[bytes, bytes]: ...
def closing_starts(
    offsets: Buffer, data: Buffer, rows: Buffer, count: int, starts: Buffer, /
) -> None: ...
def rows_with_any_byte(offsets: Buffer, data: Buffer, wanted: Buffer, /) -> bytes: ...
def rows_closing_a_line(offsets: Buffer, data: Buffer, byte: int, /) -> bytes: ...
def card_starts(offsets: Buffer, data: Buffer, held: Buffer, /) -> None: ...
def prefixes(
    offsets: Buffer,
    data: Buffer,
    rows: Buffer,
    chars: int,
    out_offsets: Buffer,
    out_data: Buffer,
    /,
) -> int: ...
def tails_holding(
    offsets: Buffer,
    data: Buffer,
    rows: Buffer,
    starts: Buffer,
    codes: Buffer,
    needle_starts: Buffer,
    needle_offsets: Buffer,
    needle_data: Buffer,
    held: Buffer,
    /,
) -> None: ...
def line_keys(
    offsets: Buffer,
    data: Buffer,
    table: Buffer,
    min_chars: int,
    state: Buffer,
    keys: Buffer,
    /,
) -> None: ...
def line_openings(data: bytes, /) -> tuple[bytes, bytes]: ...
