"""Launching Debian's headless Chromium for the report benchmark and screenshot.

Never ``playwright install``: the system Chromium is used, with the flags that keep
it from calling home (no background networking, component updates or sync).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch(playwright: Any) -> Any:
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} not found: run `make browser` (Debian's chromium)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
