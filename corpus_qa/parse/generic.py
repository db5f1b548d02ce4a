"""The generic layout: a plain Markdown article (``# Title``, ``By ...``, paragraphs).

Also places the main article of an aggregator page, which has the same shape.
"""

from __future__ import annotations

from corpus_qa.model import Role
from corpus_qa.parse.blocks import features
from corpus_qa.parse.dateline import find_dateline, find_page_date
from corpus_qa.parse.datelines import is_date_line
from corpus_qa.parse.lines import Line, Page, Segment, last_content, lead_images, trailing_chrome

#: Lines after the title searched for a date line (a byline may come first).
_META_WINDOW = 3


def pick_title(page: Page, start: int, end: int) -> int | None:
    """The title line: the first H1 unless prose comes before it, else the first text line;
    never a navigation bar (a menu of links on one line is no headline)."""
    lines = page.lines
    first_text: int | None = None
    for i in range(start, end + 1):
        line = lines[i]
        if line.heading_level == 1:
            return i
        if line.paragraph_like:
            break
        if first_text is None and _text(line):
            first_text = i
    if first_text is None:
        for i in range(start, end + 1):
            if _text(lines[i]):
                return i
    return first_text


def _text(line: Line) -> bool:
    return not line.blank and not line.image_only and not line.ui and not line.nav_bar


def mark_before(page: Page, start: int, stop: int) -> None:
    """Mark lines above an article: UI is chrome, anything else unplaced."""
    for i in range(start, stop):
        line = page.lines[i]
        if line.ui:
            page.mark(i, "chrome", "site UI phrase")
        elif line.nav_bar:
            page.mark(i, "chrome", "navigation bar")
        else:
            page.mark(i, "unplaced", "text before the article title")


def place_article(
    page: Page, start: int, end: int, role: Role, *, block: str = "site-UI block"
) -> Segment | None:
    """Place one article in ``start..end``; other lines become chrome or unplaced."""
    title = pick_title(page, start, end)
    if title is None:
        mark_before(page, start, end + 1)
        return None
    lines = page.lines
    cut = trailing_chrome(lines, title + 1, end)
    stop = end if cut is None else cut - 1
    content_end = last_content(lines, title, stop)
    assert content_end is not None  # the title itself is content
    if cut is not None:
        page.mark_rest(cut, end, block)
    seg_start = lead_images(lines, title, start)
    mark_before(page, start, seg_start)
    seg = Segment(role, seg_start, content_end, title)
    _date_meta(page, seg)
    page.segments.append(seg)
    return seg


def _date_meta(page: Page, seg: Segment) -> None:
    """A date line among the first lines after the title is metadata, not body."""
    assert seg.title is not None
    seen = 0
    for i in range(seg.title + 1, seg.end + 1):
        line = page.lines[i]
        if line.blank or line.image_only:
            continue
        if is_date_line(line.words):
            seg.meta.add(i)
            seg.published_raw = line.words
            return
        seen += 1
        if seen >= _META_WINDOW - 1:
            return


def parse_generic(page: Page) -> None:
    """One article for the whole page. With no date line under the title, its date is
    looked for as on a full page: a dateline near the title, else the page's own last
    resort (``page_date``, ``page_text``), so a page that shows a date is not undated."""
    if not page.lines:
        return
    seg = place_article(page, 0, len(page.lines) - 1, "main")
    if seg is None or seg.published_raw is not None or seg.title is None:
        return
    feats = [features(line) for line in page.lines]
    seg.published_raw = find_dateline(page.lines, feats, seg.title, seg.end, None, seg.start)
    page_date = None if seg.published_raw is not None else find_page_date(page.lines, feats)
    if page_date is not None:
        seg.published_raw, seg.published_source = page_date
