"""The line model shared by the layouts: classified lines, segments, line ownership.

A layout parser only decides *segments* (one per article: its line range, title
line, metadata lines) and marks the other lines as chrome or unplaced;
:class:`Page` turns that into drafts and spans and keeps the accounting invariant:
every non-blank line belongs to exactly one article range or one span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus_qa.model import (
    ArticleDraft,
    BylineEvidenceSource,
    ChromeSpan,
    ImageDraft,
    PublishedSource,
    Role,
)
from corpus_qa.parse.budget import tick
from corpus_qa.parse.chrome import is_section_break, is_ui_line
from corpus_qa.parse.image_tags import ImageTag, image_tags, strip_images
from corpus_qa.parse.navbar import is_nav_bar

_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?$")
_SENTENCE_END = (".", "!", "?", '"', "”", "'", "’", ")", ":", ";", "…")


@dataclass
class Line:
    """One physical line: 1-based number, text without trailing whitespace."""

    no: int
    text: str
    tags: list[ImageTag]
    #: The text with image tags removed, trimmed.
    words: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def image_only(self) -> bool:
        return bool(self.tags) and not self.words

    @property
    def ui(self) -> bool:
        tick()
        return not self.image_only and is_ui_line(self.words)

    @property
    def section_break(self) -> bool:
        tick()
        return not self.image_only and is_section_break(self.words)

    @property
    def nav_bar(self) -> bool:
        """Links and separators only: a navigation bar, whatever its length."""
        return is_nav_bar(self.words)

    @property
    def paragraph_like(self) -> bool:
        """Text that reads like article prose rather than a UI label or a nav bar."""
        tick()
        if self.blank or self.image_only or self.ui or self.nav_bar:
            return False
        words = self.words
        return len(words) > 80 or (len(words) > 40 and words.endswith(_SENTENCE_END))

    @property
    def heading_level(self) -> int:
        match = _HEADING_RE.match(self.words)
        return len(match.group(1)) if match else 0


def split_lines(text: str) -> list[Line]:
    """Split a page into :class:`Line` objects ("\\r\\n" and lone "\\r" are line breaks)."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = []
    for no, line in enumerate(raw, start=1):
        tick()
        stripped = line.rstrip()
        tags = image_tags(stripped) if "![" in stripped else []
        words = strip_images(stripped) if tags else stripped.strip()
        lines.append(Line(no, stripped, tags, words))
    return lines


def title_text(line: Line) -> str:
    """A title as written, without Markdown heading marks."""
    match = _HEADING_RE.match(line.words)
    return match.group(2).strip() if match else line.words


@dataclass
class Segment:
    """One article's lines, as 0-based inclusive indexes into the page's lines."""

    role: Role
    start: int
    end: int
    title: int | None = None
    meta: set[int] = field(default_factory=set)
    outlet: str | None = None
    published_raw: str | None = None
    #: ``page_date`` or ``page_text`` when the date is the page's last resort (see
    #: ``parse/dateline.py``).
    published_source: PublishedSource = "dateline"
    #: A byline found on the page itself (full-page layout), as ``by_line``.
    byline: str | None = None
    #: The kind of text evidence that found it (``marker``, ``link``, ``meta``, ...).
    byline_kind: str | None = None
    #: Byline evidence the page shows that names no accepted byline: (text, line
    #: index, source), see :func:`corpus_qa.parse.bylines.unconfirmed.unconfirmed_byline`.
    byline_evidence: tuple[str, int, BylineEvidenceSource] | None = None


@dataclass
class Page:
    """Line ownership for one page: segments, plus (kind, reason) for other lines."""

    source_path: str
    lines: list[Line]
    segments: list[Segment] = field(default_factory=list)
    marks: dict[int, tuple[str, str]] = field(default_factory=dict)

    def mark(self, index: int, kind: str, reason: str) -> None:
        if not self.lines[index].blank:
            self.marks[index] = (kind, reason)

    def mark_rest(self, start: int, end: int, reason: str) -> None:
        """Mark a trailing block: UI lines and short labels are chrome, prose unplaced."""
        for i in range(start, end + 1):
            line = self.lines[i]
            if line.ui:
                self.mark(i, "chrome", "site UI phrase")
            elif line.paragraph_like:
                self.mark(i, "unplaced", f"text in {reason}")
            elif line.image_only:
                self.mark(i, "chrome", f"image in {reason}")
            else:
                self.mark(i, "chrome", f"short line in {reason}")

    def drafts(self) -> list[ArticleDraft]:
        out = []
        for i, seg in enumerate(sorted(self.segments, key=lambda s: s.start)):
            out.append(self._draft(f"{self.source_path}#{i}", seg))
        return out

    def _draft(self, record_id: str, seg: Segment) -> ArticleDraft:
        paragraphs: list[str] = []
        body_lines: list[int] = []
        images: list[ImageDraft] = []
        for i in range(seg.start, seg.end + 1):
            line = self.lines[i]
            images.extend(ImageDraft(tag.alt, tag.src, line.no) for tag in line.tags)
            if i == seg.title or i in seg.meta or not line.words:
                continue
            paragraphs.append(line.words)
            body_lines.append(line.no)
        title_line = None if seg.title is None else self.lines[seg.title]
        evidence = seg.byline_evidence
        return ArticleDraft(
            record_id=record_id,
            source_path=self.source_path,
            line_start=self.lines[seg.start].no,
            line_end=self.lines[seg.end].no,
            role=seg.role,
            title=None if title_line is None else title_text(title_line),
            title_line=None if title_line is None else title_line.no,
            body="\n\n".join(paragraphs),
            body_lines=body_lines,
            outlet=seg.outlet,
            published_raw=seg.published_raw,
            published_source=None if seg.published_raw is None else seg.published_source,
            byline=seg.byline,
            byline_source=None
            if seg.byline is None
            else "credit"
            if seg.byline_kind == "outlet"
            else "by_line",
            byline_kind=seg.byline_kind,
            images=images,
            byline_evidence=None if evidence is None else evidence[0],
            byline_evidence_source=None if evidence is None else evidence[2],
            byline_evidence_line=None if evidence is None else self.lines[evidence[1]].no,
        )

    def spans(self) -> list[ChromeSpan]:
        """Group marked lines into spans: consecutive (blanks bridged) and same kind."""
        owned: set[int] = set()
        for seg in self.segments:
            owned.update(range(seg.start, seg.end + 1))
        spans: list[ChromeSpan] = []
        run: list[int] = []
        kind = ""

        def flush() -> None:
            if not run:
                return
            reasons = dict.fromkeys(self.marks[i][1] for i in run)
            text = "\n".join(line.text for line in self.lines[run[0] : run[-1] + 1])
            spans.append(
                ChromeSpan(
                    self.source_path,
                    self.lines[run[0]].no,
                    self.lines[run[-1]].no,
                    kind,
                    text,
                    "; ".join(reasons),
                )
            )
            run.clear()

        for i, line in enumerate(self.lines):
            if i in owned:
                flush()
                continue
            if line.blank:
                continue
            line_kind, _ = self.marks.get(i, ("unplaced", "not attributed to an article"))
            self.marks.setdefault(i, (line_kind, "not attributed to an article"))
            if run and line_kind != kind:
                flush()
            kind = line_kind
            run.append(i)
        flush()
        return spans


def trailing_chrome(lines: list[Line], start: int, end: int) -> int | None:
    """Index where a trailing site-UI block of ``lines[start:end+1]`` begins, if any.

    The block starts at the first UI line after which no prose follows, or at the
    UI run that holds a section break ("Comments", "Related Articles"): what
    follows one is never the same article. Isolated UI lines inside prose are left in the text,
    where the boilerplate check reports them.
    """
    cut: int | None = None
    prose_after = False
    for i in range(end, start - 1, -1):
        line = lines[i]
        if line.paragraph_like:
            prose_after = True
        elif line.ui and not prose_after:
            cut = i
    for i in range(start, end + 1):
        if lines[i].section_break:
            first = i
            j = i - 1
            while j >= start and (lines[j].blank or lines[j].ui):
                if lines[j].ui:
                    first = j
                j -= 1
            cut = first if cut is None else min(cut, first)
            break
    return cut


def last_content(lines: list[Line], start: int, end: int) -> int | None:
    """The last non-blank index in ``start..end``."""
    for i in range(end, start - 1, -1):
        if not lines[i].blank:
            return i
    return None


def lead_images(lines: list[Line], title: int, floor: int) -> int:
    """First index of the image-only lines (blanks bridged) right above ``title``."""
    first = title
    i = title - 1
    while i >= floor and (lines[i].blank or lines[i].image_only):
        if lines[i].image_only:
            first = i
        i -= 1
    return first
