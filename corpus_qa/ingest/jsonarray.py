"""Streaming the records of a JSON file: an array, concatenated values, or a wrapper.

The standard library has no incremental JSON parser, so we decode text in blocks
and call ``JSONDecoder.raw_decode`` element by element; only the current element
and one block of look-ahead are held in memory.

A top-level object is read key by key: the first value that is a list of objects
under a key that is no record field (``{"articles": [...]}``, ``{"data": [...]}``)
is streamed as the records (``json_path`` names the keys instead: ``("data",
"items")``); an object with no such list is one record. An element longer than
``max_line_bytes`` is skipped unread (``input.too_large``), one nested deeper than
``max_depth`` is quarantined (``input.too_complex``), and a syntax error ends the
file as ``input.truncated``: what follows it cannot be counted.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from corpus_qa.ingest.depth import json_depth
from corpus_qa.ingest.fields import Failed, JsonNumber
from corpus_qa.limits import DEFAULT_LIMITS, IngestLimits

_BLOCK = 1 << 20
_SPACE = re.compile(r"[ \t\r\n]*")
# Undecodable bytes survive as lone surrogates (errors="surrogateescape").
_BAD_BYTE = re.compile("[\udc80-\udcff]")
#: What matters to skipping a value: brackets and quotes, and in strings, escapes.
_STRUCTURE = re.compile(r'["\[\]{}]')
_IN_STRING = re.compile(r'["\\]')


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


class _Stop(Exception):
    """The file cannot be read past this point; ``element`` says why."""

    def __init__(self, element: Element) -> None:
        super().__init__(element.value)
        self.element = element


class _Reader:
    """Reads values from a :class:`_Text`, bounded by :class:`IngestLimits`."""

    def __init__(self, stream: BinaryIO, limits: IngestLimits, record_keys: frozenset[str]) -> None:
        self.text = _Text(stream)
        self.limits = limits
        self.record_keys = record_keys
        self.decoder = json.JSONDecoder(parse_int=JsonNumber, parse_float=JsonNumber)
        self.index = 0

    def stop(self, reason: str) -> _Stop:
        text = self.text
        rest = text.buf[text.pos : text.pos + 10_000]
        # Undecodable bytes (a file cut inside a character) are shown as U+FFFD.
        rest = rest.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        return _Stop(Element(self.index, text.line, text.byte_offset(), _cut(reason), rest))

    def expect(self, char: str, what: str) -> None:
        found = self.text.skip_space()
        if found != char:
            shown = repr(found) if found else "end of file"
            raise self.stop(f"invalid JSON: expected {what} but found {shown}")
        self.text.advance(self.text.pos + 1)

    def decode(self) -> tuple[object, str]:
        """The next value and its text; raises :class:`_Stop` where the file breaks."""
        text = self.text
        text.skip_space()
        while True:
            try:
                value, end = self.decoder.raw_decode(text.buf, text.pos)
                break
            except json.JSONDecodeError as error:
                # Incomplete in the window, or truly broken: only more input can tell,
                # unless the error sits well before the end of what we already hold.
                settled = error.pos < len(text.buf) - _BLOCK and "Unterminated" not in error.msg
                if len(text.buf) - text.pos > self.limits.max_line_bytes:
                    return self.skip(), ""
                if not settled and self._grow():
                    continue
                raise self.stop(f"invalid JSON: {error.msg} at {_where(text, error.pos)}") from None
            except RecursionError:
                start = text.pos
                self.skip()
                return Failed("JSON nested too deeply: not parsed", "input.too_complex"), (
                    text.buf[start : text.pos] if text.pos >= start else ""
                )
        raw = text.buf[text.pos : end]
        text.advance(end)
        return value, raw

    def _grow(self) -> bool:
        """Read on until the current element's window doubles, up to just past the
        line cap (or the input ends): decoding restarts at the element's start, so a
        block at a time would cost quadratic time in a long element."""
        text = self.text
        target = min(2 * (len(text.buf) - text.pos), self.limits.max_line_bytes + 1)
        grew = False
        while len(text.buf) - text.pos < target and text.more():
            grew = True
        return grew

    def skip(self) -> Failed:
        """Pass over one value without holding it (it is too large to hold)."""
        text = self.text
        start = text.byte_offset()
        depth, in_string = 0, False
        while True:
            pattern = _IN_STRING if in_string else _STRUCTURE
            match = pattern.search(text.buf, text.pos)
            if match is None:
                text.advance(len(text.buf))
                if not text.more():
                    raise self.stop("the file ends inside a value")
                continue
            char = match.group()
            text.advance(match.end())
            if in_string:
                if char == "\\":
                    if text.pos >= len(text.buf) and not text.more():
                        raise self.stop("the file ends inside a string")
                    text.advance(text.pos + 1)
                else:
                    in_string = False
            elif char == '"':
                in_string = True
            elif char in "[{":
                depth += 1
            else:
                depth -= 1
            if depth <= 0 and not in_string and (char in "]}" or (char == '"' and not depth)):
                break
        size = text.byte_offset() - start
        cap = self.limits.max_line_bytes
        return Failed(
            f"record of {size:,} bytes is longer than --max-line-bytes ({cap:,}): not read",
            "input.too_large",
        )

    def element(self) -> Element:
        text = self.text
        line, offset = text.line, text.byte_offset()
        value, raw = self.decode()
        element = Element(self.index, line, offset, value, raw)
        self.index += 1
        if not isinstance(value, Failed):
            bad = _BAD_BYTE.search(raw)
            if bad is not None:
                start = offset + len(raw[: bad.start()].encode("utf-8", "surrogateescape"))
                element.value = Failed(
                    f"invalid UTF-8 at byte {start}", "encoding.invalid_utf8", start
                )
            elif len(raw) > self.limits.max_line_bytes:
                cap = self.limits.max_line_bytes
                element.value = Failed(
                    f"record of {len(raw):,} characters is longer than --max-line-bytes "
                    f"({cap:,}): not read",
                    "input.too_large",
                )
            elif raw.count("{") + raw.count("[") > self.limits.max_depth:
                depth = json_depth(raw.encode("utf-8", "surrogateescape"))
                if depth > self.limits.max_depth:
                    element.value = Failed(
                        f"JSON nested {depth:,} levels deep (more than {self.limits.max_depth:,})",
                        "input.too_complex",
                    )
        return element

    def array(self) -> Iterator[Element]:
        """The elements of the array that starts at the cursor."""
        self.expect("[", "'['")
        if self.text.skip_space() == "]":
            self.text.advance(self.text.pos + 1)
            return
        while True:
            if not self.text.skip_space():
                raise self.stop("the array is not closed (missing ']')")
            yield self.element()
            after = self.text.skip_space()
            if after == "]":
                self.text.advance(self.text.pos + 1)
                return
            if after != ",":
                found = repr(after) if after else "end of file"
                raise self.stop(f"invalid JSON: expected ',' or ']' but found {found}")
            self.text.advance(self.text.pos + 1)

    def _lists_objects(self) -> bool:
        """Whether the value at the cursor is a list whose first element is an object
        (the cursor stays put)."""
        text = self.text
        if text.skip_space() != "[":
            return False
        while True:
            match = _SPACE.match(text.buf, text.pos + 1)
            after = match.end() if match else text.pos + 1
            if after < len(text.buf):
                return text.buf[after] == "{"
            if not text.more():
                return False

    def obj(self, path: tuple[str, ...] | None) -> Iterator[Element]:
        """A top-level (or ``path``-named) object: the records of its list, or itself."""
        text = self.text
        line, offset, raw = text.line, text.byte_offset(), ["{"]
        self.expect("{", "'{'")
        record: dict[str, object] = {}
        streamed: str | None = None
        while True:
            char = text.skip_space()
            if char == "}":
                text.advance(text.pos + 1)
                break
            if record or streamed is not None:
                self.expect(",", "',' or '}'")
                raw.append(",")
                text.skip_space()
            key, key_raw = self.decode()
            if not isinstance(key, str):
                raise self.stop("invalid JSON: an object key must be a string")
            self.expect(":", "':'")
            named = path is not None and key == path[0]
            if named and path is not None and len(path) > 1:
                streamed = key
                yield from self.obj(path[1:])
            elif (named and path is not None) or (
                path is None
                and key not in self.record_keys
                and not record.keys() & self.record_keys
                and self._lists_objects()
            ):
                if streamed is not None and path is None:
                    raise self.stop(
                        f"a second list of records (under {key!r}, the first under "
                        f"{streamed!r}): pick one with --json-path"
                    )
                streamed = key
                yield from self.array()
            else:
                value, value_raw = self.decode()
                record[key] = value
                raw += [key_raw, ":", value_raw]
        if path is not None and streamed is None:
            raise self.stop(f"no key {path[0]!r} here (--json-path)")
        if streamed is None:
            element = Element(self.index, line, offset, record, "".join(raw) + "}")
            self.index += 1
            yield element


def iter_values(
    stream: BinaryIO,
    limits: IngestLimits = DEFAULT_LIMITS,
    record_keys: frozenset[str] = frozenset(),
) -> Iterator[Element]:
    """Yield the records of a JSON file: the elements of a top-level array, each of a
    run of concatenated values, or the list a wrapping object holds (see the module).

    A value that cannot be read is an :class:`Element` whose value is :class:`Failed`.
    A syntax error ends the file (what follows a broken element cannot be told apart
    reliably): it is yielded as a last :class:`Element` (``input.truncated``) holding
    the rest as ``raw``. ``record_keys`` are the field names of a record: a list of
    objects under one of those is part of a record, never the record list.
    """
    reader = _Reader(stream, limits, record_keys)
    path = limits.json_path
    try:
        first = reader.text.skip_space()
        if path is not None:
            if first != "{":
                raise reader.stop(f"--json-path {'.'.join(path)}: the file is not an object")
            yield from reader.obj(path)
        elif first == "[":
            yield from reader.array()
        while char := reader.text.skip_space():
            if char == "{":
                yield from reader.obj(None)
            else:
                yield reader.element()
    except _Stop as stop:
        yield stop.element


def _cut(reason: str) -> Failed:
    return Failed(f"{reason}; the rest of the file is not read", "input.truncated")


def _where(text: _Text, pos: int) -> str:
    line = text.line + text.buf.count("\n", text.pos, pos)
    column = pos - (text.buf.rfind("\n", 0, pos) + 1) + 1
    return f"line {line} column {column}"
