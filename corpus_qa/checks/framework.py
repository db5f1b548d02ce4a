"""Documentation of the findings the framework raises itself (not Check classes)."""

from __future__ import annotations

import re
from functools import cache

#: Findings of the framework's own, by id: a policy may name these (``schema.*`` ids
#: are named after the contract's columns, so any ``schema.<table>.<column>`` is one).
#: A new kind of finding goes here (and in its family's documentation below).
FRAMEWORK_IDS = (
    "encoding.detected",
    "encoding.invalid_utf8",
    "encoding.nul_bytes",
    "input.changed",
    "input.malformed",
    "input.skipped",
    "input.too_complex",
    "input.too_large",
    "input.truncated",
    "input.unreadable",
    "interop.disagreement",
)

FRAMEWORK_DOCS: dict[str, str] = {
    # Before "schema.*": the first pattern that matches an id gives its doc.
    "schema.field_unmapped": """\
schema.field_unmapped: A column the checks need has no source field

What it catches
---------------
Extractor records whose fields fill no body (or no byline, date or title, when
checks of theirs are on): no field of the first records is one of the names read
for that column, or the field is empty on most of them. The message names the names
looked for and the fields the records do have.

Why it matters
--------------
A dump whose schema drifted (``article_body`` where ``text`` was) reads as records
with nothing in them. Every content check would then pass on empty values and the
gate would pass a dump that lost its articles: a silent pass is the worst outcome.

Example
-------
``no field for body: looked for text, maintext, plaintext, content, body, markdown,
article, article_text; map one with --field body=FIELD (fields seen: id, url,
article_body, headline)``

How to fix the scraper
----------------------
If the scraper renamed a field, map it: ``corpus-qa check DUMP --field
body=article_body`` (``report.json`` ``fields`` shows which field fed each column).
If the field is there but empty, the extractor lost the text: fix the extraction
(wrong selector, a page that needs JavaScript, a consent wall).""",
    "schema.*": """\
schema.<table>.<column>: Contract violation

What it catches
---------------
A value of the articles or images table that breaks the Pandera contract in
``schemas/``: a wrong type, a null where none is allowed, a duplicate record id in
one chunk, a role outside main/related/record, lines out of order, an image whose
record_id names no article. ``<column>`` is ``frame`` for rules over whole rows.

Why it matters
--------------
Every check and every consumer downstream relies on the contract; a violation
means the reader or the scraper produced a shape nobody planned for.

Example
-------
``schema.articles.line_end``: line_end 3 is before line_start 9.

How to fix the scraper
----------------------
Read the message: it names the column, the rule and the failing value. Fix the
scraper's output (or the field mapping, ``--field``) so the value fits the contract.""",
    "input.*": """\
input.<kind>: Record or file that could not be read

What it catches
---------------
Records quarantined by the readers, with file, line, byte offset and reason:
``input.malformed`` (invalid JSON, a non-object record, a field of the wrong type),
``input.too_large`` (a record longer than
``--max-line-bytes``: skipped unread, the rest of the file is read; or a compressed
file that inflates past ``--max-inflate-ratio``, a decompression bomb: reading stops
there, so it loses input in unknown amount and fails the gate like the three below,
whatever the policy),
``input.too_complex`` (JSON nested deeper than ``--max-json-depth``: never handed to
a parser; a page whose parse overdraws its CPU budget, ``--max-page-seconds``: not
parsed, the rest is read), ``input.skipped`` (a file with an unknown extension: not dump data).

Input lost in unknown amount: ``input.truncated`` (a file whose end was not reached
cleanly: a compressed stream that ends early or is corrupt, a JSONL file whose last
line is cut mid-record, a JSON file with a syntax error or an unclosed array, a
Parquet file that fails mid-read),
``input.unreadable`` (a file that cannot be opened or parsed at all: permissions, a
FIFO, a corrupt Parquet footer, a second record list in a wrapped JSON file), and
``input.changed`` (a file whose size or mtime changed while the run read it).
These three fail the gate whatever the policy's thresholds, severity or ``enabled``
say; only the policy's ``accept_incomplete_input = ["input.truncated", ...]`` lets
the gate pass on them, and every report then prints that override. report.json
shows ``records_lost: "unknown"`` for such a file.

Why it matters
--------------
Nothing is dropped silently: a record either gets checked or is accounted for
here, and ``records_read = records_checked + records_quarantined`` in report.json.
A gate that passes on the part of a dump it could read says nothing of the rest.

Example
-------
``feed.jsonl:1042: invalid JSON: Expecting ',' delimiter at column 17``;
``feed.jsonl:5001: the file ends inside this record (no final newline, not a whole
JSON value): cut short mid-write``

How to fix the scraper
----------------------
Write records with a JSON library, one object per line, flush and close
compressed files before the dump is collected, and do not collect a dump while it
is still being written.""",
    "encoding.*": """\
encoding.<kind>: Text that is not clean UTF-8

What it catches
---------------
``encoding.invalid_utf8`` (bytes that are not UTF-8; decoded with replacement),
``encoding.detected`` (a legacy encoding such as cp1252 or EUC-KR, detected and
decoded), ``encoding.nul_bytes`` (NUL bytes removed).

Why it matters
--------------
Mojibake and replacement characters corrupt names, quotes and search; a page
saved in a legacy encoding is a scraper that ignored the page's charset.

Example
-------
``page.txt:12: invalid UTF-8 at byte 4711``

How to fix the scraper
----------------------
Decode with the charset the HTTP header or ``<meta charset>`` declares and
write UTF-8.""",
    "interop.disagreement": """\
interop.disagreement: Great Expectations and corpus-qa disagree

What it catches
---------------
Only with ``check --gx``. Each expectation of the exported suite (``corpus-qa export
gx``) names the corpus-qa check it mirrors; GX validates the articles table and the
record ids it rejects for one check must equal the record ids of that check's
findings. Each record on only one side is a finding naming the check and the side.

Why it matters
--------------
It is a finding of the tool itself, not of the dump: a check's code and the rule it
documents have drifted apart (a regex changed on one side), or GX reads the data
differently. Teams that gate with GX and with corpus-qa would get two answers.

Example
-------
``email.truncated: corpus-qa has a finding, GX's mirrored expectations accept this
record`` for ``a00000042``.

How to fix the scraper
----------------------
Nothing to fix in the scraper. Compare the check with its expectations in
report.json (``interop.gx.checks.<id>``), fix whichever is wrong, and re-export the
suite; until then the gate fails (``max_count = 0`` in the policy).""",
}


def framework_doc(check_id: str) -> str | None:
    """The documentation for a framework finding id such as ``schema.articles.title``."""
    for pattern, doc in FRAMEWORK_DOCS.items():
        if check_id == pattern or check_id.startswith(pattern[:-1]):
            return doc
    return None


@cache
def framework_ids() -> frozenset[str]:
    """Every framework finding id: :data:`FRAMEWORK_IDS` and those documented below."""
    named = re.findall(
        r"``((?:input|encoding|interop)\.[a-z0-9_]+)``", "".join(FRAMEWORK_DOCS.values())
    )
    return frozenset([*FRAMEWORK_IDS, *named])


def framework_patterns() -> tuple[str, ...]:
    """The families of framework findings as policy patterns (``input.*``)."""
    return tuple(key for key in FRAMEWORK_DOCS if key.endswith("*"))
