"""Markdown image tags as scrapers write them, and image-proxy URLs.

Scraped alt texts often contain brackets (``![[Robert J. Fouser] Japan lurches
right](...)``), which the usual ``!\\[([^\\]]*)\\]`` regex cuts at the first ``]``;
tags are therefore found with a small bracket-balancing scanner instead.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from corpus_qa.parse.budget import tick

#: Next.js image optimizer: ``[https://host]/_next/image?url=<pct-encoded>&w=..``.
NEXT_IMAGE_PATTERN = (
    r"^(?:[A-Za-z][A-Za-z0-9+.-]*:)?(?://[^/?#]*)?/_next/image\?(?:[^#]*&)?url=(?P<url>[^&#]*)"
)
#: Cloudflare image resizing: ``[https://host]/cdn-cgi/image/<options>/<url>``.
CDN_CGI_PATTERN = (
    r"^(?P<host>(?:[A-Za-z][A-Za-z0-9+.-]*:)?//[^/?#]*)?"
    r"/cdn-cgi/image/(?P<opts>[^/]*)/(?P<inner>.+)"
)
#: An absolute URL (scheme and ``//``).
ABSOLUTE_URL_PATTERN = r"^[A-Za-z][A-Za-z0-9+.-]*://"
#: ``width=NN`` / ``w=NN`` among cdn-cgi options (comma separated).
CDN_WIDTH_PATTERN = r"(?:^|,)(?:width|w)=(?P<width>[0-9]{1,9})(?:,|$)"
#: ``w=NN`` / ``width=NN`` in a URL's query string (the proxy's own, not the
#: percent-encoded inner URL's: ``&`` and ``=`` are encoded there).
QUERY_WIDTH_PATTERN = r"[?&](?:w|width)=(?P<width>[0-9]{1,9})(?:[&#]|$)"

_NEXT_RE = re.compile(NEXT_IMAGE_PATTERN)
_CDN_RE = re.compile(CDN_CGI_PATTERN)
_CDN_WIDTH_RE = re.compile(CDN_WIDTH_PATTERN)
_QUERY_WIDTH_RE = re.compile(QUERY_WIDTH_PATTERN)


@dataclass(frozen=True)
class ImageTag:
    """One image tag on a line: ``start:end`` is the tag, ``outer_*`` includes a link
    wrapper ``[![alt](img)](link)`` when there is one."""

    alt: str
    src: str
    start: int
    end: int
    outer_start: int
    outer_end: int


class _Line:
    """One line's bracket and parenthesis structure, found in one pass.

    Scanning forward from every ``![`` for its ``]`` and ``)`` is quadratic on a
    line of many unclosed tags; matching them once with a stack, and memoizing
    where each destination scan ends, keeps a line's cost linear in its length.
    A backslash escapes the next character, as in the scanner it replaces.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.brackets: dict[int, int] = {}
        self.parens: dict[int, int] = {}
        self.events: list[int] = []  # unescaped ``(``, ``)``, space and tab
        self.blanks: list[int] = []
        self._src_ends: dict[int, int] = {}
        self._skips: dict[int, int] = {}
        self._chars: dict[str, list[int]] = {}
        open_brackets: list[int] = []
        open_parens: list[int] = []
        for match in _TOKEN_RE.finditer(text):
            token, pos = match.group(), match.start()
            if token == "[":
                open_brackets.append(pos)
            elif token == "]":
                if open_brackets:
                    self.brackets[open_brackets.pop()] = pos
            elif token == "(":
                open_parens.append(pos)
                self.events.append(pos)
            elif token == ")":
                if open_parens:
                    self.parens[open_parens.pop()] = pos
                self.events.append(pos)
            elif token in " \t":
                open_parens.clear()  # a destination ends at a blank
                self.events.append(pos)
                self.blanks.append(pos)

    def close_bracket(self, open_at: int) -> int:
        """Index of the ``]`` matching the ``[`` at ``open_at``, or -1."""
        return self.brackets.get(open_at, -1)

    def skip_blanks(self, i: int) -> int:
        found = self._skips.get(i)
        if found is None:
            found = self._skips[i] = _BLANKS_RE.match(self.text, i).end()  # type: ignore[union-attr]
        return found

    def find(self, char: str, i: int) -> int:
        """Like ``text.find(char, i)``, by bisection over the positions of ``char``."""
        positions = self._chars.get(char)
        if positions is None:
            positions = self._chars[char] = [
                m.start() for m in re.finditer(re.escape(char), self.text)
            ]
        at = bisect_left(positions, i)
        return positions[at] if at < len(positions) else -1

    def src_end(self, i: int) -> int:
        """End of a bare destination starting at ``i``: the first blank, or ``)`` at
        depth 0, or the line's end."""
        path: list[int] = []
        k = i
        while True:
            known = self._src_ends.get(k)
            if known is not None:
                end = known
                break
            path.append(k)
            at = bisect_left(self.events, k)
            if at == len(self.events):
                end = self.n
                break
            event = self.events[at]
            if self.text[event] != "(":
                end = event
                break
            close = self.parens.get(event)
            if close is None:  # unclosed: the destination runs to the next blank
                blank = bisect_left(self.blanks, event)
                end = self.blanks[blank] if blank < len(self.blanks) else self.n
                break
            k = close + 1
        for visited in path:
            self._src_ends[visited] = end
        return end


_TOKEN_RE = re.compile(r"\\.|[\[\]() \t]", re.DOTALL)
_BLANKS_RE = re.compile(r"[ \t]*")


def _destination(line: _Line, open_at: int) -> tuple[str, int] | None:
    """Parse ``(src "title")`` starting at the ``(``; return (src, index after ``)``)."""
    text, n = line.text, line.n
    i = line.skip_blanks(open_at + 1)
    if i < n and text[i] == "<":
        close = line.find(">", i + 1)
        if close < 0:
            return None
        src, i = text[i + 1 : close], close + 1
    else:
        start = i
        i = line.src_end(i)
        src = text[start:i]
    i = line.skip_blanks(i)
    if i < n and text[i] in "\"'(":
        closer = ")" if text[i] == "(" else text[i]
        close = line.find(closer, i + 1)
        if close < 0:
            return None
        i = line.skip_blanks(close + 1)
    if i < n and text[i] == ")":
        return src, i + 1
    return None


def image_tags(line: str) -> list[ImageTag]:
    """All image tags of ``line``, left to right, with link wrappers located."""
    tags: list[ImageTag] = []
    start = line.find("![")
    if start < 0:
        return tags
    scan = _Line(line)
    while start >= 0:
        tick()
        close = scan.close_bracket(start + 1)
        if close < 0 or close + 1 >= len(line) or line[close + 1] != "(":
            start = line.find("![", start + 2)
            continue
        dest = _destination(scan, close + 1)
        if dest is None:
            start = line.find("![", start + 2)
            continue
        src, end = dest
        outer_start, outer_end = start, end
        # A linked image ``[![alt](img)](link)``: the wrapper is part of the tag.
        if start > 0 and line[start - 1] == "[" and line.startswith("](", end):
            wrapped = _destination(scan, end + 1)
            if wrapped is not None:
                outer_start, outer_end = start - 1, wrapped[1]
        tags.append(ImageTag(line[start + 2 : close], src, start, end, outer_start, outer_end))
        start = line.find("![", outer_end)
    return tags


def iter_images(line: str) -> Iterator[tuple[str, str, int, int]]:
    """Yield ``(alt, src, start, end)`` for each image tag in ``line``."""
    for tag in image_tags(line):
        yield tag.alt, tag.src, tag.start, tag.end


def strip_images(line: str) -> str:
    """``line`` without its image tags (and their link wrappers), whitespace-trimmed."""
    tags = image_tags(line)
    if not tags:
        return line.strip()
    parts: list[str] = []
    pos = 0
    for tag in tags:
        parts.append(line[pos : tag.outer_start])
        pos = tag.outer_end
    parts.append(line[pos:])
    return " ".join(part.strip() for part in parts if part.strip())


def resolve_src(src: str) -> tuple[str, int | None]:
    """The real image behind a proxy URL, and the width it states (scalar reference
    of the vectorized form in :mod:`corpus_qa.tables.build`)."""
    width: int | None = None
    next_match = _NEXT_RE.match(src)
    cdn_match = None if next_match else _CDN_RE.match(src)
    if cdn_match:
        found = _CDN_WIDTH_RE.search(cdn_match["opts"])
        width = int(found["width"]) if found else None
    else:
        found = _QUERY_WIDTH_RE.search(src)
        width = int(found["width"]) if found else None
    if width == 0:
        width = None
    if next_match:
        return unquote(next_match["url"]), width
    if cdn_match:
        return cdn_target(cdn_match["host"], cdn_match["inner"]), width
    return src, width


def cdn_target(host: str | None, inner: str) -> str:
    """Target of a cdn-cgi URL: the inner URL if absolute, else a path on the same host."""
    if re.match(ABSOLUTE_URL_PATTERN, inner):
        return inner
    return f"{host or ''}/{inner}"
