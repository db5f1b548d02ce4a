"""The example user check of docs/writing-checks.md (titles in capitals): the
catalog tests load it from a ``--checks-dir``, the plugin tests from an installed
package, so the example the docs show is the one known to load, explain and run."""

from __future__ import annotations

from tests.conftest import REPO

DOC = REPO / "docs" / "writing-checks.md"
DEFAULT_ID = "team.shouting_title"


def example_check(check_id: str = DEFAULT_ID, severity: str = "warning") -> str:
    """The source of the docs' example module, with ``check_id`` and ``severity``."""
    blocks = DOC.read_text(encoding="utf-8").split("```python\n")[1:]
    [source] = [block.split("```")[0] for block in blocks if "class ShoutingTitle(" in block]
    for old, new in (
        (f'id: ClassVar[str] = "{DEFAULT_ID}"', f'id: ClassVar[str] = "{check_id}"'),
        ('severity: ClassVar[str] = "warning"', f'severity: ClassVar[str] = "{severity}"'),
    ):
        assert source.count(old) == 1, f"{DOC.name}: the example no longer has {old}"
        source = source.replace(old, new)
    return source
