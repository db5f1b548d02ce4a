"""Article text cut off before its end."""

from __future__ import annotations

import functools
import re
from typing import ClassVar

import numpy as np
import pandas as pd

from corpus_qa.checks.api import Check, hits
from corpus_qa.lexicons import alternation, phrases
from corpus_qa.model import Severity
from corpus_qa.text.re2 import contains, tail

# Only the end of a body is read: a marker or a last word fits in the first many
# characters, a long last sentence in the second.
_SCREEN_CHARS = 40
_TAIL_CHARS = 400
# A sentence this long that ends on an ellipsis straight after a word was cut, not
# trailed off ("Und der Friede Gottes…" is a short one).
_SENTENCE_WORDS = 12
_CLOSE = r"[ \t\n.:!»›>)\]]*$"


def _unspaced(word: str) -> bool:
    """Whether ``word`` is written in a script without spaces (no boundary before it)."""
    return any("\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" for c in word)


@functools.cache
def _patterns() -> dict[str, str]:
    words = phrases("truncation.function_words")
    spaced = [w for w in words if not _unspaced(w)]
    unspaced = [w for w in words if _unspaced(w)]
    ends = [f"(?:^|[ \t\n])(?P<w>{_alt(spaced)})"]
    if unspaced:
        ends.append(f"(?P<c>{_alt(unspaced)})")
    ellipsis = _alt(phrases("truncation.ellipses"))
    found = {
        "marker": f"(?i)(?P<m>{alternation('truncation.markers')}){_CLOSE}",
        # A word no sentence ends on, as the body's last word (an ellipsis may follow).
        "function": "(?i)(?:" + "|".join(ends) + f")[ \t]*(?:{ellipsis})?[ \t\n]*$",
        "ellipsis": f"(?P<e>{ellipsis})[ \t\n]*$",
        "prose": (
            f"(?:^|[.!?][ \t]|\n)(?:[^ \t\n.!?]+[ \t]+){{{_SENTENCE_WORDS - 1},}}"
            f"[^ \t\n.!?]*\\p{{Ll}}(?:{ellipsis})[ \t]*$"
        ),
    }
    # The three as one pattern: without their group names, case folded where they are.
    found["screen"] = "|".join(
        "(?i:" + re.sub(r"\?P<\w+>", "?:", found[k].removeprefix("(?i)")) + ")"
        for k in ("marker", "function", "ellipsis")
    )
    return found


def _python(pattern: str) -> str:
    """The RE2 pattern for Python's ``re``, which has no ``\\p{..}`` classes."""
    return pattern.replace("(?i)", "").replace(r"\p{L}\p{N}", r"\w")


def _alt(values: tuple[str, ...] | list[str]) -> str:
    unique = sorted(set(values), key=lambda v: (-len(v), v))
    return "(?:" + "|".join(r"[ \t]+".join(map(re.escape, v.split())) for v in unique) + ")"


class TextTruncated(Check):
    """The body stops before the article does.

    What it catches
    ---------------
    Bodies that end on a continue-reading marker ("Read more", "Weiterlesen", "Lire
    la suite", "Leer más", "続きを読む"), on a word no sentence ends with (an article,
    a preposition or a conjunction: "... according to the", "... sagte der", "...
    selon le"), or on an ellipsis straight after a word that ends a sentence of at
    least 12 words ("... the plan would be presented before the summ..."). Words per language in the lexicon table ``truncation``. The
    evidence is the marker or the last word. Bodies that merely end without a full
    stop (captions, credits, lists) are not flagged.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    A teaser or a cut body looks like a whole article to every count and model:
    summaries miss the conclusion, quotes are cut mid-sentence and the corpus fills
    with the same ledes. A marker at the end shows the scraper stored a listing's
    teaser or the free part of a metered article.

    Example
    -------
    ``"text": "The council approved the budget on Friday. The mayor said the new
    library would open in … Read more"``

    How to fix the scraper
    ----------------------
    Follow the teaser's link to the article page; wait for lazily loaded article
    parts or request the print or AMP version; do not store bodies that end on a
    continue-reading link.
    """

    id: ClassVar[str] = "text.truncated"
    name: ClassVar[str] = "Truncated text"
    severity: ClassVar[Severity] = "warning"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        body = articles["body"].astype("str").fillna("").reset_index(drop=True)
        patterns = _patterns()
        # A marker, a last word or an ellipsis fits in the last few characters: one
        # pass over those leaves the few bodies that are read further back.
        short = tail(body, _SCREEN_CHARS)
        candidates = np.flatnonzero(contains(short, patterns["screen"]))
        ends = tail(body.iloc[candidates], _TAIL_CHARS).reset_index(drop=True)
        marker = contains(ends, patterns["marker"])
        function = contains(ends, patterns["function"]) & ~marker
        ellipsis = np.flatnonzero(contains(ends, patterns["ellipsis"]) & ~marker & ~function)
        prose = np.zeros(len(ends), dtype=bool)
        prose[ellipsis] = contains(ends.iloc[ellipsis], patterns["prose"])
        rows: list[int] = []
        starts: list[int] = []
        stops: list[int] = []
        messages: list[str] = []
        # Python only on the few flagged bodies, for the evidence's span.
        for found, key, group, what in (
            (marker, "marker", "m", "ends on a continue-reading marker"),
            (function, "function", None, "ends mid-sentence, on"),
            (prose, "ellipsis", "e", "ends on an ellipsis after a long sentence"),
        ):
            compiled = re.compile(_python(patterns[key]), re.IGNORECASE)
            for row in np.flatnonzero(found).tolist():
                text = str(ends.iloc[row])
                match = compiled.search(text)
                if match is None:
                    continue
                name = group or ("w" if match.group("w") else "c")
                offset = len(str(body.iloc[candidates[row]])) - len(text)
                rows.append(int(candidates[row]))
                starts.append(offset + match.start(name))
                stops.append(offset + match.end(name))
                messages.append(
                    f"body {what} '{match.group(name)}'"
                    if key == "function"
                    else f"body {what}: '{match.group(name)}'"
                )
        return hits(rows, "body", pd.Series(messages, dtype="str"), start=starts, end=stops)
