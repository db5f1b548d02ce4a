"""Streaming the elements of a JSON array (or of concatenated JSON values) from a file.

The standard library has no incremental JSON parser, so we decode text in blocks
and call ``JSONDecoder.raw_decode`` element by element; only the current element
and one block of look-ahead are held in memory.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from corpus_qa.ingest.fields import Failed, JsonNumber

_BLOCK = 1 << 20
_SPACE = re.compile(r"[ \t\r\n]*")
# Undecodable bytes survive as lone surrogates (errors="surrogateescape").
_BAD_BYTE = re.compile("[\udc80-\udcff]")


@dataclass
class Element:
    """One top-level value: its 0-based index, 1-based start line and start byte."""

    index: int
    line: int
    offset: int
    value: object
    raw: str


class _Text:
    """A sliding text window over a binary stream, tracking lines and bytes consumed."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="surrogateescape")
        self.buf = ""
        self.pos = 0
        self.line = 1
        self.offset = 0
        self.eof = False

    def more(self) -> bool:
        if self.eof:
            return False
        data = self.stream.read(_BLOCK)
        self.eof = not data
        if self.pos > _BLOCK:
            self._drop()
        self.buf += self.decoder.decode(data, final=self.eof)
        return True

    def _drop(self) -> None:
        # Byte offsets are counted on what leaves the window, once.
        self.offset += len(self.buf[: self.pos].encode("utf-8", errors="surrogateescape"))
        self.buf = self.buf[self.pos :]
        self.pos = 0

    def advance(self, end: int) -> None:
        self.line += self.buf.count("\n", self.pos, end)
        self.pos = end

    def skip_space(self) -> str:
        """The next non-space character ('' at end of input), without consuming it."""
        while True:
            match = _SPACE.match(self.buf, self.pos)
            end = match.end() if match else self.pos
            self.advance(end)
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def byte_offset(self) -> int:
        return self.offset + len(self.buf[: self.pos].encode("utf-8", errors="surrogateescape"))


def iter_values(stream: BinaryIO) -> Iterator[Element]:
    """Yield the elements of a top-level array, or each of a run of concatenated values.

    A value that cannot be read is an :class:`Element` whose value is :class:`Failed`.
    A syntax error ends the file (what follows a broken element cannot be told apart
    reliably): it is yielded as a last :class:`Element` holding the rest as ``raw``.
    """
    text = _Text(stream)
    decoder = json.JSONDecoder(parse_int=JsonNumber, parse_float=JsonNumber)
    first = text.skip_space()
    if not first:
        return
    in_array = first == "["
    if in_array:
        text.advance(text.pos + 1)
    index = 0
    while True:
        char = text.skip_space()
        if not char:
            if in_array:
                yield _broken(text, index, "the array is not closed (missing ']')")
            return
        if in_array and char == "]":
            return
        while True:
            try:
                value, end = decoder.raw_decode(text.buf, text.pos)
                break
            except json.JSONDecodeError as error:
                # Incomplete in the window, or truly broken: only more input can tell,
                # unless the error sits well before the end of what we already hold.
                settled = error.pos < len(text.buf) - _BLOCK and "Unterminated" not in error.msg
                if not settled and text.more():
                    continue
                yield _broken(
                    text, index, f"invalid JSON: {error.msg} at {_where(text, error.pos)}"
                )
                return
        raw = text.buf[text.pos : end]
        element = Element(index, text.line, text.byte_offset(), value, raw)
        text.advance(end)
        bad = _BAD_BYTE.search(raw)
        if bad is not None:
            start = element.offset + len(raw[: bad.start()].encode("utf-8", "surrogateescape"))
            element.value = Failed(f"invalid UTF-8 at byte {start}", "encoding.invalid_utf8", start)
        yield element
        index += 1
        if in_array:
            after = text.skip_space()
            if after == ",":
                text.advance(text.pos + 1)
            elif after != "]":
                found = repr(after) if after else "end of file"
                yield _broken(text, index, f"invalid JSON: expected ',' or ']' but found {found}")
                return


def _where(text: _Text, pos: int) -> str:
    line = text.line + text.buf.count("\n", text.pos, pos)
    column = pos - (text.buf.rfind("\n", 0, pos) + 1) + 1
    return f"line {line} column {column}"


def _broken(text: _Text, index: int, reason: str) -> Element:
    rest = text.buf[text.pos : text.pos + 10_000]
    return Element(index, text.line, text.byte_offset(), Failed(reason), rest)
