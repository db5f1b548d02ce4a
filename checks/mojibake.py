"""Text decoded with the wrong codec: UTF-8 read as cp1252 or Latin-1."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd

from corpus_qa.checks.api import Check, find_spans, hits
from corpus_qa.model import Severity

TEXT_FIELDS = ("title", "body", "byline")

# A UTF-8 continuation byte (0x80-0xBF) as Latin-1 or cp1252 shows it; lead bytes
# of two-byte (0xC2-0xDF: "Ã", "Â", "Ð") and three-byte sequences (0xE0-0xEF: "â")
# as Latin-1 letters. Literal characters, not escapes, so that the pattern reads the
# same in RE2 and in Python's ``re``.
_CP1252_HIGH = "".join(bytes([b]).decode("cp1252", errors="ignore") for b in range(0x80, 0xA0))
_CONTINUATION = f"[{chr(0x80)}-{chr(0xBF)}{_CP1252_HIGH}]"
#: UTF-8 read one byte a character: "Ã¼" for "ü", "â€™" for "’".
SEQUENCE = f"[{chr(0xC2)}-{chr(0xDF)}]{_CONTINUATION}|[{chr(0xE0)}-{chr(0xEF)}]{_CONTINUATION}{{2}}"
# Text of the scripts mojibake mostly hits holds one of these: Latin-1 letters
# ("Ã¼", and "Ã³" in any Polish or Czech text), symbols and spaces ("Â°", "Â\xa0"),
# punctuation ("â€™"), Cyrillic ("Ð¿Ñ€"). Literal passes run at memchr speed; the
# sequence pattern, led by a class of non-ASCII characters, costs twenty times as much
# a byte, so it only reads the bodies a lead was found in.
LEADS = ("Ã", "Â", "â€", "Ð")
# Characters either side of a sequence given to ftfy's judgement: more would let a
# neighbouring pair such as "»Ä" decide for it.
_CONTEXT = 2


class EncodingMojibake(Check):
    """UTF-8 text that was decoded as cp1252 or Latin-1 ("MÃ¼nchen", "Itâ€™s").

    What it catches
    ---------------
    Titles, bodies and bylines holding the byte sequences of UTF-8 shown one byte a
    character: ``Ã¼`` for ``ü``, ``Ã©`` for ``é``, ``â€™`` for ``’``, ``Ð¿Ñ€`` for
    Cyrillic, ``Å‚`` for ``ł``. Literal screens for the lead characters of Latin and
    Cyrillic mojibake (``Ã``, ``Â``, ``â€``, ``Ð``), then the byte signature, find the
    candidate sequences (Greek, Arabic or CJK text read as Latin-1 is not screened
    for); ftfy's badness heuristic
    (``ftfy.badness.is_bad``) confirms each, so real text with such letters side by
    side is not flagged. The evidence is the first bad sequence.

    Scope: per record; each article (and its images) is judged on its own, chunk by
    chunk.

    Why it matters
    --------------
    Every non-ASCII character of the article is garbled: names, quotes and whole
    languages become unsearchable, deduplication misses copies, and a model trained
    on the text learns the garbage. It usually affects a whole outlet at once.

    Example
    -------
    ``"title": "MÃ¼nchner Stadtrat beschlieÃŸt Haushalt"``

    How to fix the scraper
    ----------------------
    Decode the response with the charset of the HTTP header or the page's ``<meta
    charset>`` (UTF-8 when in doubt) instead of the client's Latin-1 default; repair
    stored text with ``ftfy.fix_text`` only as a stopgap.
    """

    id: ClassVar[str] = "encoding.mojibake"
    name: ClassVar[str] = "Mojibake"
    severity: ClassVar[Severity] = "warning"

    def run(self, articles: pd.DataFrame, images: pd.DataFrame) -> pd.DataFrame:
        frames = []
        for field in TEXT_FIELDS:
            if field not in articles:
                continue
            values = articles[field].astype("str").reset_index(drop=True)
            spans = find_spans(values, SEQUENCE, prefilter=LEADS)
            if spans.empty:
                continue
            # Imported here: ftfy takes a tenth of a second to import, and clean
            # dumps never get this far.
            from ftfy.badness import is_bad

            texts = values.iloc[spans["row"].to_numpy()].tolist()
            starts = spans["start"].to_numpy()
            ends = spans["end"].to_numpy()
            bad = np.array(
                [
                    is_bad(text[max(0, s - _CONTEXT) : e + _CONTEXT])
                    for text, s, e in zip(texts, starts.tolist(), ends.tolist(), strict=True)
                ],
                dtype=bool,
            )
            spans = spans[bad].drop_duplicates("row")
            if spans.empty:
                continue
            frames.append(
                hits(
                    spans["row"].to_numpy(),
                    field,
                    "UTF-8 decoded as cp1252 or Latin-1: '"
                    + spans["match"].reset_index(drop=True)
                    + "'",
                    start=spans["start"].tolist(),
                    end=spans["end"].tolist(),
                )
            )
        return pd.concat(frames, ignore_index=True) if frames else hits([], "", "")
