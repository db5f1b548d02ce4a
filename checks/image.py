"""Image tags: duplicates and publisher logos standing in for article images."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from corpus_qa.checks.api import Check, Table, hits
from corpus_qa.checks.options import CheckOptions
from corpus_qa.findings.rows import image_owners
from corpus_qa.model import Severity
from corpus_qa.text.keys import arrow_strings

# Path words that mark a site asset rather than an editorial image. RE2-friendly.
_LOGO_PATH = r"(?i)(?:logo|favicon|sprite|/icons?/|apple-touch-icon|placeholder)"


class ImageDuplicateTag(Check):
    """The same image tag twice in one article.

    What it catches
    ---------------
    Two image tags in one article with the same non-empty alt text, or resolving to the
    same image. The finding is on the repeat; the message names the first.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    A template that renders the article image and the publisher's logo (or a
    thumbnail and its full-size version) with the same alt text makes the scraper
    emit both. Captions are then wrong, image counts double, and the second tag is
    often a logo (see ``image.logo_as_content``).

    Example
    -------
    ``![[Robert J. Fouser] Japan lurches right](/_next/image?url=...T1.jpg&w=3840)``
    followed by
    ``![[Robert J. Fouser] Japan lurches right](/_next/image?url=...outlet-logo.png&w=48)``.

    How to fix the scraper
    ----------------------
    Scope the image selector to the article's figure (``article figure img``) and
    skip images inside the header, the outlet badge and the teaser card chrome;
    deduplicate by resolved URL.
    """

    id: ClassVar[str] = "image.duplicate_tag"
    name: ClassVar[str] = "Duplicate image tag"
    severity: ClassVar[Severity] = "warning"
    table: ClassVar[Table] = "images"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        if images.empty:
            return hits([], "", "")
        frame = images.reset_index(drop=True)
        # By owning article, not by id: two records sharing an id are two articles.
        owner = image_owners(frame, articles)
        if frame["alt"].hasnans or frame["resolved_src"].hasnans:
            # The table never holds a missing alt or source; a frame built otherwise
            # keeps pandas' handling of them (missing values grouped, not dropped).
            return _duplicate_tags_with_missing(frame, owner)
        position = frame["position"].to_numpy(dtype="int64")
        alt = frame["alt"]
        has_alt = (alt.str.strip() != "").to_numpy(dtype=bool)
        alt_repeat, first_by_alt = _repeats_in_article(owner, alt, position)
        alt_repeat &= has_alt
        src_repeat, first_by_src = _repeats_in_article(owner, frame["resolved_src"], position)
        src_repeat &= ~alt_repeat
        alt_rows = np.flatnonzero(alt_repeat)
        src_rows = np.flatnonzero(src_repeat)
        return pd.concat(
            [
                _tag_hits(alt_rows, "alt", "same alt text as image ", first_by_alt, alt),
                _tag_hits(
                    src_rows,
                    "resolved_src",
                    "same image as image ",
                    first_by_src,
                    frame["resolved_src"],
                ),
            ],
            ignore_index=True,
        )


def _repeats_in_article(
    owner: np.ndarray, values: pd.Series, position: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(whether an earlier image of the same article has the row's value, the lowest
    position of an image of the article with that value), from integer codes: one
    sort instead of pandas' duplicated and grouped minimum over strings."""
    codes = np.asarray(pc.dictionary_encode(arrow_strings(values)).indices, dtype=np.int64)
    # Owners run from -1 (no article of the chunk), codes from 0: one int64 per pair.
    key = (owner.astype(np.int64) + 1) * (int(codes.max(initial=0)) + 1) + codes
    _, first, group = np.unique(key, return_index=True, return_inverse=True)
    repeat = first[group] != np.arange(len(key))
    lowest = np.full(len(first), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(lowest, group, position)
    return repeat, lowest[group]


def _tag_hits(
    rows: np.ndarray, field: str, opening: str, first: np.ndarray, values: pd.Series
) -> pd.DataFrame:
    return hits(
        rows,
        field,
        pd.Series([f"{opening}{p} of this article" for p in first[rows].tolist()], dtype="str"),
        start=[0] * len(rows),
        end=values.iloc[rows].str.len().tolist(),
    )


def _duplicate_tags_with_missing(frame: pd.DataFrame, owner: np.ndarray) -> pd.DataFrame:
    """:meth:`ImageDuplicateTag.run` by pandas' grouping, for frames with a missing
    alt or source."""
    frame["owner"] = owner
    has_alt = frame["alt"].fillna("").str.strip() != ""
    alt_repeat = frame.duplicated(["owner", "alt"], keep="first") & has_alt
    src_repeat = frame.duplicated(["owner", "resolved_src"], keep="first") & ~alt_repeat
    first_by_alt = frame.groupby(["owner", "alt"], sort=False)["position"].transform("min")
    first_by_src = frame.groupby(["owner", "resolved_src"], sort=False)["position"].transform("min")
    alt_rows = np.flatnonzero(alt_repeat.to_numpy())
    src_rows = np.flatnonzero(src_repeat.to_numpy())
    alt_hits = hits(
        alt_rows,
        "alt",
        "same alt text as image " + first_by_alt.iloc[alt_rows].astype("str") + " of this article",
        start=[0] * len(alt_rows),
        end=frame["alt"].iloc[alt_rows].str.len().tolist(),
    )
    src_hits = hits(
        src_rows,
        "resolved_src",
        "same image as image " + first_by_src.iloc[src_rows].astype("str") + " of this article",
        start=[0] * len(src_rows),
        end=frame["resolved_src"].iloc[src_rows].str.len().tolist(),
    )
    return pd.concat([alt_hits, src_hits], ignore_index=True)


@dataclass(frozen=True)
class LogoOptions(CheckOptions):
    #: Images at most this wide (pixels) count as icons.
    max_icon_width: int = 64


class ImageLogoAsContent(Check):
    """A publisher logo or a tiny icon standing as the article's image.

    What it catches
    ---------------
    Image tags whose resolved target looks like a site asset (``logo``, ``favicon``,
    ``sprite`` or ``/icons/`` in the path) or whose stated width is at most
    ``max_icon_width`` pixels (option, default 64), such as ``w=48`` on an image proxy.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    Thumbnails, search cards and training sets take the first image of an article as
    its picture. A logo there is wrong for every article of the outlet, and it usually
    means the real image was lazy-loaded and missed.

    Example
    -------
    ``![[Editorial] A fair deal](/_next/image?url=https%3A%2F%2Flogos.example%2Fa.png&w=48)``

    How to fix the scraper
    ----------------------
    Read the real image from ``data-src``/``srcset`` or the page's ``og:image``;
    exclude images inside the outlet badge; drop images narrower than an icon.
    """

    id: ClassVar[str] = "image.logo_as_content"
    name: ClassVar[str] = "Logo as article image"
    severity: ClassVar[Severity] = "warning"
    table: ClassVar[Table] = "images"
    Options = LogoOptions
    options: LogoOptions

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        if images.empty:
            return hits([], "", "")
        frame = images.reset_index(drop=True)
        max_width = self.options.max_icon_width
        src = frame["resolved_src"].astype("str")
        logo_path = src.str.contains(_LOGO_PATH, regex=True, na=False)
        tiny = (frame["width"].astype("Int64") <= max_width).fillna(False).astype(bool)
        flagged = (logo_path | tiny).to_numpy()
        rows = np.flatnonzero(flagged)
        reason = pd.Series(
            np.where(
                logo_path.to_numpy()[rows] & tiny.to_numpy()[rows],
                "site logo as the article image (logo path, icon width)",
                np.where(
                    logo_path.to_numpy()[rows],
                    "site logo as the article image (logo in the path)",
                    "icon-sized image as the article image (width at most "
                    + str(max_width)
                    + " px)",
                ),
            )
        )
        return hits(
            rows,
            "resolved_src",
            reason,
            start=[0] * len(rows),
            end=src.iloc[rows].str.len().tolist(),
        )
