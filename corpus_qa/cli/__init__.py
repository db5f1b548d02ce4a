"""``corpus-qa``: wires the stages together; decides nothing itself.

Exit codes: 0 the gate passed, 1 the gate failed, 2 the input or the arguments could
not be used (one line on stderr naming the file and line, never a traceback), 3 a bug
in corpus-qa or in a check (one line; ``CORPUS_QA_DEBUG=1`` shows the traceback).
Heavy imports (pandas, pandera) happen inside the commands that need them, so
``--help``, ``checks`` and ``explain`` start instantly.

- :mod:`.main`: :func:`main`, the program: parse, configure, dispatch, exit code.
- :mod:`.parser`, :mod:`.check_options`: the argument tree; ``check``'s options.
- :mod:`.configured`: the configuration file as defaults, and ``config``.
- :mod:`.check`, :mod:`.output`, :mod:`.gx`: ``check``, what it prints and writes
  besides report.json, and its GX cross-check.
- :mod:`.describe`: ``checks`` and ``explain``; :mod:`.commands`: ``policy show``,
  ``schema``, ``export``, ``history``; :mod:`.hook`: ``hook`` (pre-commit).
"""

from corpus_qa.cli.exits import EXIT_FAIL, EXIT_INTERNAL, EXIT_PASS, EXIT_UNUSABLE
from corpus_qa.cli.main import main
from corpus_qa.cli.parser import build_parser, check_parser

__all__ = [
    "EXIT_FAIL",
    "EXIT_INTERNAL",
    "EXIT_PASS",
    "EXIT_UNUSABLE",
    "build_parser",
    "check_parser",
    "main",
]
