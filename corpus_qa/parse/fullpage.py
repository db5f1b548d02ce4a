"""The full-page layout: one article amid a whole site page's chrome.

html2text-style dumps of whole pages put navigation lists, share bars, cookie
boxes, related-links blocks, comments and the footer around the article. The body
is found by density, not by site rules: each line scores by how much prose it
holds (plus) or how much chrome it shows (minus: link lists, section headers such
as "Related articles" or "Kommentare", consent text, copyright lines), and the
article is the highest-scoring run of lines (maximum subarray); a run below the
first comment marker gives way to the densest run above it. The title is the
heading just above that run (or, when none is near, a heading further up whose
lede a paywall or ad block split from the run); chrome lines inside the article
range are metadata (kept out of the body, still owned by the article, so the
accounting invariant holds), among them the widgets of
:mod:`corpus_qa.parse.widgets`; every line outside it becomes a
:class:`~corpus_qa.model.ChromeSpan`.
"""

from __future__ import annotations

import re

from corpus_qa.parse.blocks import (
    Features,
    features,
    is_action_label,
    is_caption,
    is_comment_marker,
    is_consent,
    is_footer,
    is_link_chrome,
    is_post_meta,
    is_prose,
    is_section_header,
    text_weight,
)
from corpus_qa.parse.bylines.page import find_byline, refused_candidates
from corpus_qa.parse.bylines.unconfirmed import unconfirmed_byline
from corpus_qa.parse.cards import card_runs, multiline_links
from corpus_qa.parse.dateline import absolute_over, find_dateline, find_page_date
from corpus_qa.parse.datelines import is_date_line
from corpus_qa.parse.headed import headed_run
from corpus_qa.parse.lines import Line, Page, Segment
from corpus_qa.parse.stories import (
    bio_paragraphs,
    comment_thread,
    is_comment_count_meta,
    is_date_stamp,
    marked_boxes,
    next_story,
    teaser_blocks,
)
from corpus_qa.parse.tail import closing_sentences, is_middle_header, terminal_cut, trim_tail
from corpus_qa.parse.widgets import (
    LABEL_CHARS,
    bio_lines,
    chrome_headings,
    embed_lines,
    header_labels,
    is_alt_caption,
    is_caption_under,
    promo_lines,
    toc_entries,
)

#: A page with at least this many link-list lines is a full page, not a bare article.
MIN_CHROME_LINES = 6
#: A page of at least this many non-blank lines, less than this share of them prose,
#: with any link-list line, is a full page too.
LONG_PAGE_LINES = 25
PROSE_SHARE = 0.4
#: Score of a line that opens a related/comments/footer section: the article never
#: runs across one unless the prose on both sides outweighs it many times.
_BARRIER = -400.0
#: Score of a linked heading (a teaser for another article).
_TEASER = -150.0
#: A link to a comment on a page ("/post/#comment-123"): a recent-comments widget.
_COMMENT_LINK_RE = re.compile(r"\]\([^)\s]*#comment-?\d")
#: The least score of a run above the comments that is taken for the article.
MIN_ARTICLE_SCORE = 100.0
#: How far above the densest run a title and lede split from it are looked for.
_BRIDGE_REACH = 80
#: How far above the densest run a title heading is looked for (non-blank lines).
_TITLE_REACH = 25


def is_full_page(lines: list[Line]) -> bool:
    """Whether the page carries site chrome (navigation, link lists) around its text.

    Either several link-list lines, or a navigation bar (links and separators on one
    line) above the first paragraph, or (an old table layout, a web archive's capture
    with its toolbar) one link list on a long page whose lines are mostly not prose: a
    bare article is mostly paragraphs, and read whole it would keep all the rest.
    """
    chrome = text = prose = 0
    for line in lines:
        if line.blank:
            continue
        if not prose and line.nav_bar:
            return True
        feat = features(line)
        text += 1
        prose += is_prose(feat)
        if feat.links and is_link_chrome(feat):
            chrome += 1
            if chrome >= MIN_CHROME_LINES:
                return True
    return chrome >= 1 and text >= LONG_PAGE_LINES and prose < PROSE_SHARE * text


def _score(line: Line, feat: Features, card: bool = False) -> float:
    if line.blank:
        return 0.0
    if card or (feat.list_item and _COMMENT_LINK_RE.search(line.words)):
        # A teaser among teaser cards counts against the article as much as it holds;
        # so does a list item quoting a comment on another post ("Recent comments").
        return -float(max(30, len(feat.plain)))
    if is_section_header(feat) or is_comment_marker(feat) or is_footer(feat):
        return _BARRIER
    if is_consent(feat):
        return -float(max(60, len(feat.plain)))
    if is_prose(feat):
        return float(text_weight(feat.plain) - feat.link_chars)
    if line.image_only:
        return -2.0
    if feat.heading and feat.links and is_link_chrome(feat):
        # A linked heading is a teaser's title: other articles start here.
        return _TEASER
    if is_link_chrome(feat):
        return -30.0 - feat.link_chars / 4
    # Subheadings, captions, short paragraphs: mildly negative so that runs of them
    # (menus without links, widget labels) stay out, single ones inside prose stay in.
    return -8.0 if feat.heading else -12.0


def _before_comments(
    lines: list[Line], feats: list[Features], scores: list[float], run: tuple[int, int] | None
) -> tuple[int, int] | None:
    """The densest run above the comments when ``run`` lies below them.

    Comment forms and threads come after the article; when the densest run starts
    below the first comment marker (a reply form, "X says:"), it is a comment or a
    sidebar, and the article is the densest prose above the marker, if there is any.
    """
    if run is None:
        return None
    marker = next(
        (i for i in range(run[0]) if not lines[i].blank and is_comment_marker(feats[i])), None
    )
    if marker is None:
        return run
    above = densest_run(scores[:marker])
    if above is None or sum(scores[above[0] : above[1] + 1]) < MIN_ARTICLE_SCORE:
        return run
    # Only an article with its title heading: a header's blurb is none.
    return above if _title(lines, feats, above[0]) is not None else run


def densest_run(scores: list[float]) -> tuple[int, int] | None:
    """(start, end) of the maximum-sum run of ``scores`` (Kadane), or None if all <= 0."""
    best, best_range = 0.0, None
    total, start = 0.0, 0
    for i, value in enumerate(scores):
        if total <= 0:
            total, start = 0.0, i
        total += value
        if total > best:
            best, best_range = total, (start, i)
    return best_range


def _last_section(
    lines: list[Line], feats: list[Features], cards: set[int], start: int, end: int
) -> int:
    """``end`` moved up to the last heading after the article's last paragraph: a
    heading with no prose under it opens a widget ("Explore topics", "Book a tour")."""
    last = None
    for i in range(end, start - 1, -1):
        if i not in cards and is_prose(feats[i]):
            last = i
            break
    if last is None:
        return end
    heading = next((i for i in range(last + 1, end + 1) if feats[i].heading), None)
    if heading is None or not all(
        _label_or_link(lines[i], feats[i]) for i in range(heading + 1, end + 1)
    ):
        return end
    end = heading - 1
    while end > last and lines[end].blank:
        end -= 1
    return end


def _label_or_link(line: Line, feat: Features) -> bool:
    """Widget content: links, pictures, headings and labels, but no list of items or
    table rows (an article may end on a list under a subheading)."""
    if line.blank or line.image_only or feat.heading or is_link_chrome(feat):
        return True
    return not feat.list_item and "|" not in line.words and len(feat.plain) <= LABEL_CHARS


def _lede_above(
    lines: list[Line], feats: list[Features], cards: set[int], start: int
) -> tuple[int | None, set[int]]:
    """The title and lede above a paywall or ad block that split them from the rest.

    When no title heading stands near the densest run, one further up may still
    open the article: a heading (level 1 or 2) followed at once by one or two
    paragraphs, then only boxes (a subscription offer, an ad, a contact form) down
    to the run, with no section header, comment marker, footer or teaser card in
    between. Returns the heading and the lines of the block (metadata), or
    ``(None, set())``.
    """
    seen = 0
    for h in range(start - 1, -1, -1):
        line, feat = lines[h], feats[h]
        if line.blank:
            continue
        seen += 1
        if seen > _BRIDGE_REACH or h in cards or _stops(feat) or is_comment_marker(feat):
            return None, set()
        if is_consent(feat):
            return None, set()
        if not (1 <= feat.heading <= 2) or len(feat.plain) < 10 or is_link_chrome(feat):
            continue
        between = [i for i in range(h + 1, start) if not lines[i].blank]
        prose = [i for i in between if is_prose(feats[i])]
        if not 1 <= len(prose) <= 2 or prose != between[: len(prose)]:
            return None, set()
        return h, set(between) - set(prose)
    return None, set()


def _title(lines: list[Line], feats: list[Features], start: int) -> int | None:
    """The heading above ``start`` (H1 first, else the nearest H2/H3), within reach."""
    seen = 0
    nearest: int | None = None
    for i in range(start, -1, -1):
        line = lines[i]
        if line.blank:
            continue
        seen += 1
        if seen > _TITLE_REACH or (i < start and feats[i].heading == 0 and _stops_title(feats[i])):
            break
        if is_section_header(feats[i]) or is_comment_marker(feats[i]):
            continue  # "Comments", "Related stories": no article's title
        if feats[i].heading == 1 and feats[i].plain:
            return i
        if nearest is None and 2 <= feats[i].heading <= 3 and feats[i].plain:
            nearest = i
    return nearest


def _stops_title(feat: Features) -> bool:
    # A share bar's links ("[teilen](...)", "[Share](...)") read as section headers,
    # but a share bar sits between a title and its lede or body, as do "Share" or
    # "Anzeige" labels: only other headers stop.
    return _stops(feat) and not (feat.links and is_link_chrome(feat)) and not is_middle_header(feat)


def _stops(feat: Features) -> bool:
    # Section headers and footers above the article belong to other page parts.
    return is_section_header(feat) or is_footer(feat)


def _excluded(line: Line, feat: Features) -> bool:
    """Chrome inside the article range: kept out of the body."""
    if line.blank or line.image_only:
        return False
    return (
        line.ui
        or is_link_chrome(feat)
        or is_section_header(feat)
        or is_comment_marker(feat)
        or is_consent(feat)
        or is_footer(feat)
        or is_caption(feat)
        or is_post_meta(feat)
        or is_action_label(feat)
        or is_comment_count_meta(feat)
        or is_date_stamp(feat)
    )


def _chrome_reason(line: Line, feat: Features, card: bool = False) -> str:
    if card:
        return "teaser cards or a block link (other articles)"
    if line.image_only:
        return "image outside the article"
    if is_section_header(feat) or is_comment_marker(feat):
        return "section header (related, comments, share, tags)"
    if is_footer(feat):
        return "footer"
    if is_consent(feat):
        return "cookie or consent notice"
    if is_link_chrome(feat):
        return "navigation or link list"
    return "short line outside the article"


def parse_fullpage(page: Page) -> None:
    """One main article: the densest prose run, its title heading and metadata lines."""
    lines = page.lines
    feats = [features(line) for line in lines]
    cards: set[int] = set()
    for first, last in card_runs(lines, feats):
        cards.update(range(first, last + 1))
    cards.update(multiline_links(lines))
    scores = [_score(line, feats[i], i in cards) for i, line in enumerate(lines)]
    run = _before_comments(lines, feats, scores, densest_run(scores))
    if run is None:  # no prose at all: an article still stands under a dated title
        run = headed_run(lines, feats, cards)
    if run is None:
        for i, line in enumerate(lines):
            page.mark(
                i,
                "chrome" if i in cards or not is_prose(feats[i]) else "unplaced",
                _chrome_reason(line, feats[i], i in cards),
            )
        return
    start, end = run
    cut = trim_tail(lines, feats, cards, start, terminal_cut(lines, feats, cards, start, end))
    cut = _last_section(lines, feats, cards, start, cut)
    islands = set(range(cut + 1, end + 1))
    end = cut
    story = next_story(lines, feats, start, end)
    thread = comment_thread(lines, feats, start, end)
    if thread is not None and (story is None or thread < story):
        story = thread
    if story is not None:  # another post's title or a comment thread: the article ends
        islands.update(range(story, end + 1))
        end = story - 1
        while end > start and lines[end].blank:
            end -= 1
    end = closing_sentences(lines, feats, end, _excluded)
    title = _title(lines, feats, start)
    bridged: set[int] = set()
    if title is None:
        title, bridged = _lede_above(lines, feats, cards, start)
    seg_start = start if title is None else min(title, start)
    seg = Segment("main", seg_start, end, title)
    seg.meta.update(bridged)
    for i in range(seg_start, end + 1):
        if i != title and (
            i in cards
            or _excluded(lines[i], feats[i])
            or is_alt_caption(lines, feats, i)
            or is_caption_under(lines, feats, i)
        ):
            seg.meta.add(i)
        widget = promo_lines(lines, feats, i) + bio_lines(lines, feats, i)
        seg.meta.update(j for j in widget if j != title and seg_start <= j <= end)
    first = seg_start if title is None else title
    seg.meta.update(header_labels(lines, feats, first, end, seg.meta))
    seg.meta.update(toc_entries(lines, feats, seg_start, end))
    seg.meta.update(embed_lines(lines, seg_start, end))
    seg.meta.update(
        h for h in chrome_headings(lines, feats, seg_start, end, seg.meta) if h != title
    )
    framed = seg.meta if title is None else seg.meta | {title}
    seg.meta.update(teaser_blocks(lines, feats, seg_start, end, framed))
    seg.meta.update(bio_paragraphs(lines, feats, seg_start, end, framed))
    seg.meta.update(i for i in marked_boxes(lines, feats, seg_start, end) if i != title)
    _dates_and_byline(page, seg, feats)
    page.segments.append(seg)
    for i in (*range(0, seg_start), *range(end + 1, len(lines))):
        prose = is_prose(feats[i]) and not is_consent(feats[i]) and i not in cards
        kind = "unplaced" if prose else "chrome"
        reason = ""
        if prose:
            reason = (
                "text after the article's closing chrome (bio, promo, another story)"
                if i in islands
                else "prose outside the article"
            )
        page.mark(i, kind, reason or _chrome_reason(lines[i], feats[i], i in cards))


def _dates_and_byline(page: Page, seg: Segment, feats: list[Features]) -> None:
    """Date and byline lines between the title and the first prose are metadata."""
    lines = page.lines
    first = seg.title if seg.title is not None else seg.start
    found = find_byline(lines, feats, first, seg.end)
    byline_at = None if found is None else found[1]
    if found is not None:
        seg.byline, line_index, seg.byline_kind = found
        # The byline line leaves the body unless it is prose ("By X on May 2 ... long").
        if (
            line_index is not None
            and seg.start <= line_index <= seg.end
            and line_index != seg.title
            and not is_prose(feats[line_index])
        ):
            seg.meta.add(line_index)
    else:
        # No byline: what byline evidence the page shows is kept, and the article is
        # unconfirmed rather than missing (``byline.unconfirmed``).
        refused = refused_candidates(lines, feats, first, seg.end)
        seg.byline_evidence = unconfirmed_byline(lines, feats, first, refused)
    for i in range(first + 1, seg.end + 1):
        if is_prose(feats[i]):
            break
        if not lines[i].blank and is_date_line(feats[i].plain):
            seg.meta.add(i)
            if seg.published_raw is None or absolute_over(feats[i].plain, seg.published_raw):
                seg.published_raw = feats[i].plain
    if seg.published_raw is None:
        seg.published_raw = find_dateline(lines, feats, first, seg.end, byline_at, seg.start)
    if seg.published_raw is None and seg.role == "main":
        page_date = find_page_date(lines, feats)
        if page_date is not None:
            seg.published_raw, seg.published_source = page_date
