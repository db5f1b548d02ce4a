"""The exit codes of ``corpus-qa`` (the package's docstring says what each means)."""

from __future__ import annotations

EXIT_PASS, EXIT_FAIL, EXIT_UNUSABLE, EXIT_INTERNAL = 0, 1, 2, 3
