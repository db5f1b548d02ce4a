"""A navigation bar written on one line: links and separators, nothing else.

``[Home](/) | [Politik](/politik) | [Sport](/sport)`` is site chrome in any language:
no word outside a link, only ``|``, ``·``, ``/``, ``•`` or spaces between them. A
line with any word of its own ("By [A](/a) | [B](/b)", a sentence with a link) is not.
"""

from __future__ import annotations

import re

#: One Markdown link with non-empty text: ``[text](target "tooltip")``.
_LINK = r"\[[ \t]*[^\[\]\s][^\[\]\n]*\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"\n]*\")?\s*\)"
_SEP = r"(?:[ \t]*[|·/•][ \t]*|[ \t]+)"
#: Bounds the work per line; a one-line menu is far shorter.
_MAX_CHARS = 2000
_NAV_BAR_RE = re.compile(rf"^(?:[|·/•][ \t]*)?{_LINK}(?:{_SEP}{_LINK})+(?:[ \t]*[|·/•])?[ \t]*$")


def is_nav_bar(words: str) -> bool:
    """Whether a stripped line is two or more links with only separators between them."""
    return (
        len(words) <= _MAX_CHARS
        and words.startswith(("[", "|", "·", "/", "•"))
        and _NAV_BAR_RE.match(words) is not None
    )
