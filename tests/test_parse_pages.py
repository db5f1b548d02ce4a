"""Layout detection, the generic path, chrome, and the accounting invariant."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_qa.model import ParsedPage
from corpus_qa.parse import UI_LINE_PATTERN, UI_PHRASES, is_ui_line, parse_page
from corpus_qa.parse.layouts import _parse
from corpus_qa.tables.build import build_tables, drafts_frame
from tests.conftest import examples

# A masthead line above the title: a nav bar there would make it a site page.
GENERIC = """\
The Harbor Ledger

# Harbor expansion approved after two-year review
By Jane Doe
Published: Aug 8, 2024

The port authority approved a 1.2 billion dollar expansion of the northern harbor on Thursday.

![Cranes at the northern harbor](https://cdn.example.com/img/cranes.jpg?w=1200 "Cranes")

Construction is expected to begin next spring and to last four years, officials said.
Dock workers' unions welcomed the decision but asked for guarantees on local hiring.

Share
Comments
Be the first to comment
"""


def lines_of(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def assert_accounting(text: str, page: ParsedPage) -> None:
    """Every non-blank line in exactly one article range or span; no overlaps."""
    lines = lines_of(text)
    owner: dict[int, str] = {}
    ranges = [(a.line_start, a.line_end, a.record_id) for a in page.articles]
    ranges += [(c.line_start, c.line_end, f"span{i}") for i, c in enumerate(page.chrome)]
    for start, end, name in ranges:
        assert 1 <= start <= end <= len(lines)
        for n in range(start, end + 1):
            assert n not in owner, f"line {n} in {owner.get(n)} and {name}"
            owner[n] = name
    for n, line in enumerate(lines, start=1):
        if line.strip():
            assert n in owner, f"line {n} unaccounted: {line!r}"
    for span in page.chrome:
        assert span.kind in ("chrome", "unplaced")
    for i, article in enumerate(page.articles):
        assert article.record_id == f"{article.source_path}#{i}"
        paragraphs = article.body.split("\n\n") if article.body else []
        assert len(paragraphs) == len(article.body_lines)
        for paragraph, n in zip(paragraphs, article.body_lines, strict=True):
            assert article.line_start <= n <= article.line_end
            assert paragraph and paragraph == paragraph.strip()
            assert "\n" not in paragraph
            assert paragraph in lines[n - 1]
        for image in article.images:
            assert article.line_start <= image.line <= article.line_end
        if article.title_line is not None:
            assert article.line_start <= article.title_line <= article.line_end
            assert article.title_line not in article.body_lines
    starts = [a.line_start for a in page.articles]
    assert starts == sorted(starts)


def test_generic_page() -> None:
    page = parse_page(GENERIC, "site/harbor.md")
    assert page.layout == "generic"
    assert_accounting(GENERIC, page)
    [article] = page.articles
    assert article.title == "Harbor expansion approved after two-year review"
    assert (article.line_start, article.line_end, article.title_line) == (3, 12, 3)
    assert article.published_raw == "Published: Aug 8, 2024"
    assert article.body_lines == [4, 7, 11, 12]
    assert article.body.split("\n\n")[0] == "By Jane Doe"
    assert [(i.alt, i.line) for i in article.images] == [("Cranes at the northern harbor", 9)]
    kinds = {(c.line_start, c.line_end, c.kind) for c in page.chrome}
    assert kinds == {(1, 1, "unplaced"), (14, 16, "chrome")}
    articles, images = build_tables(drafts_frame(page.articles))
    row = articles.iloc[0]
    assert (row["byline"], row["byline_source"]) == ("Jane Doe", "by_line")
    assert str(row["published"]) == "2024-08-08 00:00:00+00:00"
    assert images["width"].tolist() == [1200]


def test_generic_without_heading_uses_first_line() -> None:
    text = "City sets record heat\n\nTemperatures reached 41 degrees in the city on Monday.\n"
    [article] = parse_page(text, "p.txt").articles
    assert (article.title, article.title_line, article.body_lines) == (
        "City sets record heat",
        1,
        [3],
    )


def test_mid_body_ui_line_stays_in_body_for_the_leak_check() -> None:
    prose = "The council met for nine hours before the final vote was taken late on Tuesday."
    text = f"# Budget passes\n{prose}\nAdvertisement\n{prose}\n"
    page = parse_page(text, "p.txt")
    assert page.articles[0].body_lines == [2, 3, 4]
    assert page.chrome == []


def test_text_between_ui_and_teasers_is_unplaced_not_dropped() -> None:
    prose = "An unrelated reader comment that is long enough to be prose and not a label at all."
    text = "\n".join(
        [
            "Main title",
            "Main body sentence that is long enough to look like a real paragraph of news.",
            "Comments",
            prose,
            "Related Articles",
            "Daily Ledger",
            "2 hours ago",
            "- Daily Ledger",
            "Teaser title",
            "Teaser body.",
        ]
    )
    page = parse_page(text, "agg.txt")
    assert page.layout == "aggregator"
    assert_accounting(text, page)
    assert [(a.line_start, a.line_end) for a in page.articles] == [(1, 2), (6, 10)]
    assert [(c.line_start, c.line_end, c.kind) for c in page.chrome] == [
        (3, 3, "chrome"),
        (4, 4, "unplaced"),
        (5, 5, "chrome"),
    ]


def test_page_opening_on_a_header_is_the_main_article() -> None:
    text = "Harbor Times\nAug 8, 2024\n- Harbor Times\nTitle here\nBody here.\n"
    [article] = parse_page(text, "p.txt").articles
    assert (article.role, article.outlet, article.published_raw) == (
        "main",
        "Harbor Times",
        "Aug 8, 2024",
    )


def test_ui_phrases() -> None:
    for line in (
        "Try Our AI Features",
        "Explore what Foo AI can do for you:",
        "No comments yet...",
        "Related Articles",
        "Read more",
        "Share",
        "Advertisement",
        "Comments",
    ):
        assert is_ui_line(line), line
    for line in ("Comments from the minister drew criticism.", "Korea Herald", "Share prices fell"):
        assert not is_ui_line(line), line
    assert all(isinstance(p, str) for p in UI_PHRASES)
    assert re.match(UI_LINE_PATTERN, "related articles")
    assert not any("Daily8" in p for p in UI_PHRASES)


def test_empty_and_blank_pages() -> None:
    for text in ("", "\n\n", " \r\n\t\r"):
        page = parse_page(text, "e.txt")
        assert page.articles == [] and page.chrome == []


# -- properties ---------------------------------------------------------------

_prose = (
    st.text(alphabet=st.characters(categories=("L", "N", "P", "Zs")), min_size=1, max_size=160)
    .map(str.strip)
    .filter(bool)
)
_image = st.builds(
    lambda alt, n: f"![{alt}](/_next/image?url=https%3A%2F%2Fa.com%2F{n}.jpg&w=48&q=75)",
    st.sampled_from(["", "[Kim Min-ji] Title", "Photo [1]", "Logo"]),
    st.integers(0, 99),
)


@st.composite
def aggregator_pages(draw: st.DrawFn) -> str:
    """Main article, a UI block, teasers with images, plus noise lines anywhere."""
    out = [draw(_prose), *draw(st.lists(_prose, max_size=4))]
    out += draw(st.lists(st.sampled_from(list(UI_PHRASES_SAMPLES)), max_size=5))
    for _ in range(draw(st.integers(0, 4))):
        out += [""] * draw(st.integers(0, 2))
        out += draw(st.lists(_image, max_size=2))
        outlet = draw(st.sampled_from(OUTLETS))
        out += [outlet, draw(st.sampled_from(["4 hours ago", "Aug 08, 2024", "yesterday"]))]
        if draw(st.booleans()):
            out.append(f"- {outlet}")
        out += draw(st.lists(_prose, max_size=3))
        if draw(st.booleans()):
            out.append(draw(st.sampled_from(list(UI_PHRASES_SAMPLES))))
    if draw(st.booleans()):
        out.insert(draw(st.integers(0, len(out))), draw(_prose))
    return draw(st.sampled_from(["\n", "\r\n", "\r"])).join(out)


OUTLETS = ("Korea Herald", "Daily Ledger", "Nord Kurier")
UI_PHRASES_SAMPLES = (
    "Try Our AI Features",
    "Comments",
    "No comments yet...",
    "Related Articles",
    "Read more",
    "Share",
    "Advertisement",
)


@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=400))
def test_never_raises_and_accounts_on_any_text(text: str) -> None:
    page = _parse(text, "any.txt")  # the internal parser: a bug must fail here, not be caught
    assert_accounting(text, page)
    assert page.layout in ("aggregator", "generic")


@settings(max_examples=examples(100), deadline=None)
@given(aggregator_pages())
def test_structured_aggregator_pages(text: str) -> None:
    page = _parse(text, "agg.txt")
    assert_accounting(text, page)
    lines = lines_of(text)
    if any(
        line in OUTLETS and lines[i + 2 : i + 3] == [f"- {line}"] for i, line in enumerate(lines)
    ):
        assert page.layout == "aggregator"
        assert any(a.outlet in OUTLETS for a in page.articles)
    articles, images = build_tables(drafts_frame(page.articles))
    assert len(articles) == len(page.articles)
    assert int(articles["n_images"].sum()) == len(images)
