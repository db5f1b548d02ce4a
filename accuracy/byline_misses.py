"""Where the byline misses are: aggregate counts of what surrounds the gold author.

``python -m accuracy.byline_misses --split dev`` parses every page of the split whose
gold author appears in its text and whose detected byline does not match it, finds
the lines that name the gold author, and counts (never prints page text):

- whether any finder proposed a candidate naming the author (a finder miss or a
  ranking/guard miss), and whether the page got another byline or none;
- where the author's first line sits: above the detected title, in the header zone
  (within 8 lines after it), inside the detected body, after it, or nowhere (the name
  is present only across lines or markup);
- that line's markup (link, author-like link target, bold, heading, list item,
  table cell, image) and length, and the word before the name (a known by-word, a
  label ending in a colon, another word, none).

It is how the issue-7 note states what fails where the holdout may only be seen in
aggregate.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from accuracy.byline_cv import candidates_seen
from accuracy.run import PRESENT, load_gold, split_of
from accuracy.score import _fold, names_match, names_of

_BY_WORDS = frozenset(
    [
        "by",
        "von",
        "par",
        "por",
        "di",
        "door",
        "av",
        "af",
        "przez",
        "de",
        "da",
        "do",
        "van",
        "mit",
        "text",
        "texte",
        "tekst",
        "autor",
        "autorin",
        "author",
        "redakteur",
        "written",
        "posted",
        "reporter",
    ]
)
_WORD = re.compile(r"[\w'’.-]+")
_AUTHORISH = re.compile(
    r"/(?:author|autor|autoren|auteur|journalist|people|profile|staff|writer)s?/"
)


def _tokens(text: str) -> list[str]:
    return [t.strip(".") for t in _WORD.findall(_fold(text)) if t.strip(".-")]


def _name_at(tokens: list[str], name: frozenset[str]) -> int | None:
    """Index of the first token of ``name`` in ``tokens`` where all its tokens follow."""
    for i, token in enumerate(tokens):
        if token in name and name <= set(tokens[i : i + len(name) + 2]):
            return i
    return None


def _markup(line: str) -> list[str]:
    kinds = []
    stripped = line.lstrip()
    if stripped.startswith("#"):
        kinds.append("heading")
    if re.match(r"[*+-]\s", stripped):
        kinds.append("list item")
    if "|" in line:
        kinds.append("table cell")
    if "![" in line:
        kinds.append("image")
    if re.search(r"\[[^\]]+\]\([^)]*\)", line):
        kinds.append("link")
        if _AUTHORISH.search(line.lower()):
            kinds.append("author-like link target")
    if "**" in line or "__" in line:
        kinds.append("bold")
    return kinds or ["plain"]


def _before(tokens: list[str], at: int) -> str:
    if at == 0:
        return "none (line starts with the name)"
    word = tokens[at - 1]
    if word in _BY_WORDS:
        return "a by-word or author label"
    return "another word"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpora/trafilatura-eval"))
    parser.add_argument("--split", choices=("dev", "holdout"), default="dev")
    args = parser.parse_args(argv)
    from corpus_qa.parse import parse_page

    counts: dict[str, Counter[str]] = {}

    def count(what: str, value: str) -> None:
        counts.setdefault(what, Counter())[value] += 1

    eligible = misses = 0
    for page in load_gold(args.corpus):
        if split_of(page["id"]) != args.split or page["author_status"] != "gold":
            continue
        if page["derived"]["author_in_md"] not in PRESENT:
            continue
        eligible += 1
        text = (args.corpus / "pages" / page["file"]).read_text(encoding="utf-8")
        with candidates_seen() as calls:
            parsed = parse_page(text, page["file"])
        article = parsed.articles[0] if parsed.articles else None
        byline = article.byline if article else None
        if names_match(byline, page["author"], page["domain"]):
            continue
        misses += 1
        count("detected", "no byline" if byline is None else "another name")
        proposed = any(
            names_match(names, page["author"], page["domain"])
            for call in calls
            for *_, names, _ in call
        )
        count("a finder proposed the author", "yes" if proposed else "no")
        people = names_of(page["author"])
        if not people:
            count("author line", "gold has no person name")
            continue
        lines = text.splitlines()
        hit = next(
            (
                (n, at)
                for n, line in enumerate(lines)
                if (at := _name_at(_tokens(line), people[0])) is not None
            ),
            None,
        )
        if hit is None:
            count("author line", "not on one line")
            continue
        n, at = hit
        title = article.title_line if article and article.title_line is not None else None
        body = article.body_lines if article else []
        if body and body[0] <= n <= body[-1]:
            where = "inside the body's line range"
        elif body and n > body[-1]:
            where = "after the body"
        elif title is None:
            where = "before the body, no title found"
        elif n < title:
            where = "above the title"
        elif n <= title + 8:
            where = "header zone (title + 8 lines)"
        else:
            where = "between header zone and body"
        count("author line", where)
        for kind in _markup(lines[n]):
            count("markup of that line", kind)
        size = len(lines[n].strip())
        count("line length", "<= 60" if size <= 60 else "61-200" if size <= 200 else "> 200")
        count("word before the name", _before(_tokens(lines[n]), at))
        count("authors in gold", str(min(len(people), 3)) + ("+" if len(people) >= 3 else ""))
    print(f"{args.split}: {eligible} pages with the gold author in the text, {misses} misses")
    for what, counter in counts.items():
        print(f"  {what}:")
        for value, k in counter.most_common():
            print(f"    {k:4d}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
