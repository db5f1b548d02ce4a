"""Screenshot a report.html for the README: ``python -m bench.screenshot_report HTML PNG``.

Opens the page from file:// in headless Chromium, optionally at a deep link
(``--fragment '#check=byline.missing'``), and saves the top of the page.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.chromium import launch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("html", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--fragment", default="")
    parser.add_argument("--height", type=int, default=1500)
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": args.height})
        page.goto(args.html.resolve().as_uri() + args.fragment)
        page.wait_for_selector("body[data-rendered]", state="attached")
        args.png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.png))
        browser.close()
    print(f"wrote {args.png}")


if __name__ == "__main__":
    main()
