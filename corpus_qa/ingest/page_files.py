"""Reading one scraped page file into clean text: decoding, NUL bytes, line endings."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from corpus_qa.ingest.compression import open_binary, stop_kind_of, truncation_of
from corpus_qa.model import Evidence, InputFile, Quarantined

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass
class PageUnit:
    """One page file, decoded; ``issues`` lists what had to be repaired on the way."""

    file: InputFile
    text: str
    issues: list[Quarantined] = field(default_factory=list)
    #: What the page states about itself outside its text (HTML head, JSON-LD, a
    #: scraper's metadata object): evidence for the byline and date, not truth.
    evidence: list[Evidence] = field(default_factory=list)
    #: When ``text`` is a rendering of another source (HTML -> Markdown): the source
    #: line of each line of ``text`` (index 0 is line 1), so findings point there.
    source_lines: list[int] | None = None
    #: Names the page's articles (``record_id``) when one file holds many pages (a
    #: WARC record ``file@offset``, a scraper record ``file:line``).
    record_key: str | None = None
    #: The page's own URL where the container states it (a WARC target URI).
    url: str | None = None


def _issue(
    file: InputFile,
    kind: str,
    reason: str,
    line: int | None,
    offset: int | None,
    *,
    unknown_loss: bool = False,
) -> Quarantined:
    return Quarantined(file.display, line, reason, offset, kind=kind, unknown_loss=unknown_loss)


_ASCII_PROBE = '\n{}[]":,abcXYZ019'


def _ascii_compatible(encoding: str) -> bool:
    """Whether ASCII bytes mean ASCII in ``encoding``.

    Only those are candidates: an EBCDIC guess (cp037 reads 0x25 as a line feed and
    0xC0 as "{") would move line breaks, so a record would no longer be the line a
    reader numbered. Wide encodings come with a byte-order mark, handled before this.
    """
    try:
        return _ASCII_PROBE.encode(encoding) == _ASCII_PROBE.encode("ascii")
    except (LookupError, UnicodeError):
        return False


def _detect(data: bytes) -> tuple[str, str] | None:
    """``(encoding, text)`` by charset-normalizer, or ``None`` if nothing fits."""
    # Loaded here, for the rare page that is not UTF-8 (not by every run).
    import charset_normalizer

    matches = [m for m in charset_normalizer.from_bytes(data) if _ascii_compatible(m.encoding)]
    if not matches:
        return None
    best = min(matches, key=lambda m: m.chaos)
    # Short Western text fits several code pages equally well; Windows-1252 is by far
    # the most common legacy encoding of Western news pages, so it wins a tie.
    for match in matches:
        if "cp1252" in match.could_be_from_charset and match.chaos <= best.chaos:
            return "cp1252", data.decode("cp1252", errors="replace")
    if best.encoding in ("utf_8", "ascii"):
        return None
    return best.encoding, str(best)


def detect_legacy(data: bytes, *, min_bad: int = 1) -> str | None:
    """The legacy encoding of bytes that are not valid UTF-8, or ``None`` if unclear.

    Mostly valid multi-byte UTF-8 means UTF-8 with a few damaged bytes; guessing a
    legacy code page would garble all the good text. A legacy page (EUC-KR, cp1252)
    yields a few accidental UTF-8 pairs but mostly bad bytes. ``min_bad``: fewer
    undecodable characters than this is damage, not an encoding.
    """
    lenient = data.decode("utf-8", errors="replace")
    bad_chars = lenient.count("\ufffd")
    good_chars = sum(1 for c in lenient if ord(c) > 127) - bad_chars
    if good_chars >= bad_chars or bad_chars < min_bad:
        return None
    detected = _detect(data)
    return None if detected is None else detected[0]


def decode_text(data: bytes, file: InputFile) -> tuple[str, list[Quarantined]]:
    """Decode page bytes: UTF-8 first, then a detected legacy encoding, else with U+FFFD."""
    issues: list[Quarantined] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                break
            if encoding != "utf-8-sig":
                issues.append(
                    _issue(
                        file, "encoding.detected", f"not UTF-8: decoded as {encoding} (BOM)", 1, 0
                    )
                )
            return text, issues
    try:
        return data.decode("utf-8"), issues
    except UnicodeDecodeError as error:
        bad = error.start
    line = data.count(b"\n", 0, bad) + 1
    where = f"line {line}, byte {bad}"
    lenient = data.decode("utf-8", errors="replace")
    # Mostly valid multi-byte UTF-8 means a UTF-8 page with a few damaged bytes;
    # guessing a legacy code page would garble all the good text. A legacy page
    # (EUC-KR, cp1252) yields a few accidental UTF-8 pairs but mostly bad bytes.
    bad_chars = lenient.count("\ufffd")
    good_chars = sum(1 for c in lenient if ord(c) > 127) - bad_chars
    mostly_utf8 = good_chars >= bad_chars
    detected = None if mostly_utf8 else _detect(data)
    if detected is not None:
        encoding, text = detected
        issues.append(
            _issue(
                file,
                "encoding.detected",
                f"not valid UTF-8 (first bad byte at {where}); decoded as {encoding}",
                line,
                bad,
            )
        )
        return text, issues
    issues.append(
        _issue(
            file,
            "encoding.invalid_utf8",
            f"invalid UTF-8 at {where} (0x{data[bad]:02x}); bad bytes replaced with U+FFFD",
            line,
            bad,
        )
    )
    return lenient, issues


def clean_text(text: str, file: InputFile) -> tuple[str, list[Quarantined]]:
    """Remove NUL bytes (with an issue) and normalize CRLF and CR line endings to LF."""
    issues: list[Quarantined] = []
    if "\x00" in text:
        first = text.index("\x00")
        line = text.count("\n", 0, first) + 1
        count = text.count("\x00")
        text = text.replace("\x00", "")
        issues.append(
            _issue(file, "encoding.nul_bytes", f"{count} NUL characters removed", line, None)
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, issues


def read_page(file: InputFile) -> PageUnit:
    """Read and decode one page file (pages are small: read whole)."""
    with open_binary(file) as stream:
        data = stream.read()
        truncated = truncation_of(stream)
        kind = stop_kind_of(stream)
    text, issues = decode_text(data, file)
    text, more = clean_text(text, file)
    issues.extend(more)
    if truncated is not None:
        line = text.count("\n") + 1
        issues.append(_issue(file, kind, truncated, line, len(data), unknown_loss=True))
    return PageUnit(file, text, issues)
