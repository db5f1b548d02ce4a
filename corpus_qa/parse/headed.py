"""An article with no prose: a results table, a schedule, a gallery under its title.

The full-page layout finds the article by its prose (:mod:`.fullpage`); an article
that holds none (tables, lists, a ``<pre>`` block of results, pictures with short
captions) leaves no run of positive score, and the page would yield no article at
all, although it shows one the way every article does: a title heading with its
byline or date right under it. That header opens the article, which runs to the
first section header, comment marker, footer or teaser card below it.
"""

from __future__ import annotations

from corpus_qa.parse.blocks import (
    Features,
    is_comment_marker,
    is_footer,
    is_link_chrome,
    is_section_header,
)
from corpus_qa.parse.bylines.page import find_byline
from corpus_qa.parse.datelines import is_date_line
from corpus_qa.parse.lines import Line

#: How many non-blank lines under the title its byline or date may stand.
HEADER_REACH = 3


def headed_run(lines: list[Line], feats: list[Features], cards: set[int]) -> tuple[int, int] | None:
    """``(start, end)`` of the article under the first title heading (level 1) that has
    a byline or a date line among the next :data:`HEADER_REACH` non-blank lines, or
    ``None``. ``start`` is the line after the heading, as for a prose run."""
    for h, feat in enumerate(feats):
        if feat.heading != 1 or not feat.plain or h in cards or _closes(feat):
            continue
        if feat.links and is_link_chrome(feat):
            continue  # a linked heading is a teaser's title
        end = _end(lines, feats, cards, h)
        below = [i for i in range(h + 1, end + 1) if not lines[i].blank][:HEADER_REACH]
        if not below:
            continue
        if any(is_date_line(feats[i].plain) for i in below):
            return h + 1, end
        found = find_byline(lines, feats, h, below[-1])
        if found is not None and found[1] in below:
            return h + 1, end
    return None


def _closes(feat: Features) -> bool:
    return is_section_header(feat) or is_comment_marker(feat) or is_footer(feat)


def _end(lines: list[Line], feats: list[Features], cards: set[int], h: int) -> int:
    """The last non-blank line before the first section header, comment marker,
    footer or teaser card under heading ``h`` (``h`` itself when none comes first)."""
    end = h
    for i in range(h + 1, len(lines)):
        if lines[i].blank:
            continue
        if i in cards or _closes(feats[i]):
            break
        end = i
    return end
