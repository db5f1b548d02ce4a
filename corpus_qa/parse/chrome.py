"""Site UI ("chrome") lines: promos, comment widgets, share bars, section headers."""

from __future__ import annotations

import re

#: Regex patterns (RE2-friendly, case-insensitive) for aggregator and site UI text.
#: Each matches a whole stripped line: the parser anchors them with ``^(?:..)$``.
#: A check that searches for them inside text should take care of anchoring itself.
UI_PHRASES: tuple[str, ...] = (
    r"Try [Oo]ur AI [Ff]eatures",
    r"Explore what .{1,40} can do for you:?",
    r"Comments?(?: \([0-9]+\))?",
    r"[0-9]+ [Cc]omments?",
    r"No comments yet\.*",
    r"Be the first to comment\.*",
    r"(?:Log|Sign) in to (?:comment|reply)\.*",
    r"Related (?:Articles|Stories|News|Posts|Content)",
    r"More (?:from|on) .{1,40}",
    r"You (?:may|might) also like",
    r"Recommended(?: for you)?",
    r"Most (?:Read|Popular|Viewed)",
    r"Trending(?: now)?",
    r"Read (?:more|full (?:article|story))\.*",
    r"Continue reading\.*",
    r"Share(?: this(?: article| story)?| on .{1,20})?",
    r"Advertisement",
    r"Sponsored(?: content)?",
    r"Skip (?:to (?:main )?content|advertisement)",
    r"Loading\.*",
    r"Subscribe(?: to .{1,40})?",
    r"Sign up for .{1,40}",
    r"Follow us(?: on .{1,40})?",
    r"Top Stories",
    r"Latest (?:News|Stories)",
    r"Back to top",
    r"(?:Listen|Print|Copy link|Email)(?: this article)?",
    r"Summarize(?: this article)?",
    r"Translate(?: this article)?",
)

#: All of :data:`UI_PHRASES` as one anchored, case-insensitive whole-line pattern.
UI_LINE_PATTERN = "(?i)^(?:" + "|".join(UI_PHRASES) + r")[ \t]*$"
_UI_LINE_RE = re.compile(UI_LINE_PATTERN)

#: UI that opens a page section (comments, related articles, promos): nothing after
#: it in the same block is still the article. Other UI ("Advertisement", "Share")
#: also turns up between paragraphs and does not end an article by itself.
_SECTION_BREAK_RE = re.compile(
    r"(?i)^(?:comments?(?: \([0-9]+\))?|[0-9]+ comments?|no comments yet\.*"
    r"|be the first to comment\.*|(?:log|sign) in to (?:comment|reply)\.*"
    r"|related (?:articles|stories|news|posts|content)|more (?:from|on) .{1,40}"
    r"|you (?:may|might) also like|recommended(?: for you)?|most (?:read|popular|viewed)"
    r"|top stories|latest (?:news|stories)|trending(?: now)?|try our ai features"
    r"|explore what .{1,40} can do for you:?)[ \t]*$"
)


def is_ui_line(line: str) -> bool:
    """Whether a whole stripped line is a known site-UI phrase."""
    return len(line) <= 80 and _UI_LINE_RE.match(line.strip()) is not None


def is_section_break(line: str) -> bool:
    """Whether a line opens a non-article page section (comments, related articles)."""
    return len(line) <= 80 and _SECTION_BREAK_RE.match(line.strip()) is not None
