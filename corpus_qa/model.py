"""The records that flow between stages: ingest -> parse -> tables -> checks.

These are plain data; no stage reaches back into an earlier one. The column lists
below are the contract between ingest (which produces *draft* article frames),
``corpus_qa.tables.build`` (which turns drafts into the validated articles and images
tables described in ``schemas/``) and the stages that read those tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Role = Literal["main", "related", "record"]
Severity = Literal["error", "warning", "info"]
BylineSource = Literal[
    "field",
    "by_line",
    "title_bracket",
    "bio",
    "jsonld",
    "meta",
    "rel_author",
    "microdata",
    "byline_element",
    "header",
    "post_author",
    "metadata",
]
#: A draft's byline source: a table's, or ``credit`` when the draft's ``byline`` holds
#: an organisation's credit (the outlet's own name after a by-word, a JSON-LD
#: ``Organization`` author), which the articles table moves to ``credit``.
DraftBylineSource = Literal[BylineSource, "credit"]
#: Where a full page shows byline evidence the parser would not accept as a person's
#: byline (``byline_evidence_source``): an author link's one-word or handle label, a
#: by-word whose name was rejected, a name linked to its profile page beside the title, or
#: an author the page's metadata states that is no full name.
BylineEvidenceSource = Literal[
    "author_link",
    "by_word",
    "profile_link",
    "jsonld",
    "meta",
    "rel_author",
    "microdata",
    "byline_element",
    "post_author",
    "metadata",
]
#: Where a publication date came from: a record field, a dateline on the page, or the
#: page's own metadata (JSON-LD, meta tags, ``<time datetime>``, a scraper's metadata).
PublishedSource = Literal[
    "field",
    "dateline",
    "page_date",
    "page_text",
    "jsonld",
    "meta",
    "time_element",
    "metadata",
    "htmldate",
]

#: Columns of a draft articles frame, as ingest and the page parser produce them.
#: ``images`` holds, per row, a list of ``{"alt", "src", "line"}`` dicts;
#: ``body_lines`` holds, per row, the 1-based source line of each body paragraph
#: (paragraphs are separated by one blank line, ``"\n\n"``) or null when the whole
#: record sits on one line (JSONL), in which case ``line_start`` is used.
DRAFT_COLUMNS: tuple[str, ...] = (
    "record_id",
    "source_path",
    "line_start",
    "line_end",
    "role",
    "outlet",
    "url",
    "title",
    "title_line",
    "body",
    "body_lines",
    "byline",
    "byline_source",
    "published_raw",
    "published_source",
    "images",
)
#: The draft columns that hold text; the others hold line numbers or lists.
DRAFT_TEXT_COLUMNS: tuple[str, ...] = tuple(
    col
    for col in DRAFT_COLUMNS
    if col not in ("line_start", "line_end", "title_line", "body_lines", "images")
)
#: Byline evidence a full page shows that the parser did not accept (see
#: :class:`ArticleDraft`): set only on pages' articles, never on a record's.
BYLINE_EVIDENCE_COLUMNS: tuple[str, ...] = (
    "byline_evidence",
    "byline_evidence_source",
    "byline_evidence_line",
)
#: Columns of the articles table, in the order ``schemas/articles.py`` validates: the
#: draft's up to its byline, then what ``corpus_qa.tables.build`` derives (credit,
#: genre, the parsed date beside the raw one) and the image count.
ARTICLE_COLUMNS: tuple[str, ...] = (
    *DRAFT_COLUMNS[: DRAFT_COLUMNS.index("byline_source") + 1],
    "credit",
    "genre",
    "published_raw",
    "published",
    "published_source",
    "n_images",
    *BYLINE_EVIDENCE_COLUMNS,
)
#: Columns of the images table, in the order ``schemas/images.py`` validates.
IMAGE_COLUMNS: tuple[str, ...] = (
    "record_id",
    "position",
    "alt",
    "src",
    "resolved_src",
    "width",
    "line",
)


@dataclass(frozen=True)
class InputFile:
    """One file of a dump, with how to read it."""

    path: Path
    #: The name shown in findings and reports: relative to the dump root, POSIX style.
    display: str
    #: ``pages`` | ``jsonl`` | ``json`` | ``parquet`` | ``csv``
    format: str
    #: ``None`` | ``gzip`` | ``zstd``
    compression: str | None = None
    #: The object's URL (``s3://...``) for a file in object storage, else ``None``.
    url: str | None = None

    @property
    def key(self) -> str:
        """What identifies the file for this run: its URL, or its local path."""
        return self.url if self.url is not None else str(self.path)


@dataclass(frozen=True)
class Quarantined:
    """A record that could not be checked, and why."""

    source_path: str
    line: int | None
    reason: str
    byte_offset: int | None = None
    #: The original line or page where it could be recovered (may be truncated).
    raw: str | None = None
    #: A stable machine-readable kind, e.g. ``input.malformed``.
    kind: str = "input.malformed"
    #: Reading the file stopped here: the records after it are lost in unknown amount
    #: (the file's ``records_lost`` is "unknown" and the gate fails, whatever the kind).
    unknown_loss: bool = False


@dataclass(frozen=True)
class ChromeSpan:
    """Lines of a page that are not article text: site UI, navigation, or unplaced."""

    source_path: str
    line_start: int
    line_end: int
    #: ``chrome`` (recognized page UI, cut from bodies) or ``unplaced``
    #: (text the parser could not attribute to an article; kept and reported).
    kind: str
    text: str
    #: Why it was classed so, e.g. ``site UI phrase`` or ``related-articles header``.
    reason: str = ""


@dataclass
class ImageDraft:
    alt: str
    src: str
    line: int


@dataclass
class ArticleDraft:
    """One article as found by the page parser, before tables are built."""

    record_id: str
    source_path: str
    line_start: int
    line_end: int
    role: Role
    title: str | None
    title_line: int | None
    body: str
    body_lines: list[int]
    outlet: str | None = None
    url: str | None = None
    byline: str | None = None
    byline_source: DraftBylineSource | None = None
    #: Which text evidence found a ``by_line`` byline (a by-word ``marker``, an author
    #: ``link``, a bare name beside the date ...): weighed against the page's metadata.
    byline_kind: str | None = None
    published_raw: str | None = None
    published_source: PublishedSource | None = None
    images: list[ImageDraft] = field(default_factory=list)
    #: Byline evidence the page shows but the parser did not accept as a person's
    #: byline (a one-word author link, a by-word before a rejected name, a metadata
    #: handle): the text, where it came from and its line (see ``byline.unconfirmed``).
    byline_evidence: str | None = None
    byline_evidence_source: BylineEvidenceSource | None = None
    byline_evidence_line: int | None = None


@dataclass(frozen=True)
class Evidence:
    """One value a page states about itself outside its visible text.

    ``kind``: ``author``, ``published``, ``modified``, ``title``, ``site_name``,
    ``publisher``, ``url`` or ``language``; ``source``: ``jsonld``, ``meta``,
    ``rel_author``, ``microdata``, ``byline_element`` (an element whose class names a
    byline), ``header`` (a name the article header prints beside the headline),
    ``time_element``, ``htmldate`` or ``metadata`` (a scraper's metadata object);
    ``line``: the 1-based line of the HTML source that states it, where known.
    ``organization`` marks an author that JSON-LD types as an organization, ``person``
    one it types as a person.
    """

    kind: str
    value: str
    source: str
    line: int | None = None
    organization: bool = False
    person: bool = False


@dataclass
class ParsedPage:
    """What the page parser found in one page file."""

    source_path: str
    articles: list[ArticleDraft]
    chrome: list[ChromeSpan]
    #: The page's layout as detected: ``aggregator``, ``page`` (a full site page) or ``generic``.
    layout: str
