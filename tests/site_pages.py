"""Small but real-looking article pages of a few outlets, for byline.site_constant:
HTML pages with a site-wide ``meta author`` and the same pages as Markdown-scraper
JSON records (Firecrawl style: ``markdown`` plus ``metadata``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

#: A few paragraphs of German and English news prose, so pages read as articles.
PROSE_DE = (
    "Der Stadtrat hat am Dienstagabend nach langer Debatte über die Zukunft des alten "
    "Hafenspeichers entschieden. Die Mehrheit stimmte für eine Sanierung, die Kosten "
    "sollen sich Stadt und Land teilen.",
    "Anwohner hatten zuvor monatelang Unterschriften gesammelt; die Initiative spricht "
    "von einem Erfolg, warnt aber vor weiteren Verzögerungen bei der Ausschreibung.",
    "Die Arbeiten sollen im Herbst beginnen und rund zwei Jahre dauern, teilte die "
    "Verwaltung mit. Bis dahin bleibt das Gebäude für Besucher geschlossen.",
)
PROSE_EN = (
    "The council voted late on Tuesday to keep the old harbour warehouse after a long "
    "debate about its future. Most members backed a renovation, with the city and the "
    "region sharing the cost.",
    "Residents had collected signatures for months; the campaign called the vote a "
    "success but warned that the tender could still be delayed.",
    "Work is due to start in the autumn and take about two years, the council said. "
    "Until then the building stays closed to visitors.",
)
TOPICS_DE = [
    ("Hafenspeicher wird saniert", "hafenspeicher-wird-saniert"),
    ("Neue Buslinie ab Mai", "neue-buslinie-ab-mai"),
    ("Schwimmbad bleibt geschlossen", "schwimmbad-bleibt-geschlossen"),
    ("Kita-Neubau verzögert sich", "kita-neubau-verzoegert-sich"),
    ("Marktplatz bekommt Bäume", "marktplatz-bekommt-baeume"),
    ("Stadtfest mit neuem Programm", "stadtfest-mit-neuem-programm"),
    ("Radweg an der Küste eröffnet", "radweg-an-der-kueste-eroeffnet"),
    ("Bibliothek verlängert Öffnungszeiten", "bibliothek-verlaengert-oeffnungszeiten"),
]
TOPICS_EN = [
    ("Ferry terminal to close for repairs", "ferry-terminal-repairs"),
    ("New bus line starts in May", "new-bus-line-may"),
    ("Swimming pool stays shut", "swimming-pool-stays-shut"),
    ("Nursery build delayed again", "nursery-build-delayed"),
    ("Market square gets new trees", "market-square-trees"),
    ("Town festival announces programme", "town-festival-programme"),
]


@dataclass(frozen=True)
class Page:
    """One article page: its outlet's host, the metadata author, the visible byline."""

    host: str
    site: str
    title: str
    slug: str
    meta_author: str | None
    visible: str | None
    lang: str = "de"

    @property
    def url(self) -> str:
        return f"https://www.{self.host}/lokales/{self.slug}"

    @property
    def prose(self) -> tuple[str, ...]:
        return PROSE_DE if self.lang == "de" else PROSE_EN

    def html(self) -> str:
        head = f'<link rel="canonical" href="{self.url}">\n'
        head += f'<meta property="og:site_name" content="{self.site}">\n'
        if self.meta_author is not None:
            head += f'<meta name="author" content="{self.meta_author}">\n'
        by = "Von" if self.lang == "de" else "By"
        byline = f'<p class="byline">{by} {self.visible}</p>' if self.visible else ""
        nav = "\n".join(f'<li><a href="/rubrik{i}">Rubrik {i}</a></li>' for i in range(6))
        body = "\n".join(f"<p>{p}</p>" for p in self.prose)
        return f"""<!DOCTYPE html>
<html lang="{self.lang}">
<head>
<meta charset="utf-8">
<title>{self.title} | {self.site}</title>
{head}</head>
<body>
<nav><ul>
{nav}
</ul></nav>
<article>
<h1>{self.title}</h1>
<p class="dateline"><time datetime="2024-03-05T09:30:00+01:00">05.03.2024</time></p>
{byline}
{body}
</article>
<footer><p>© 2024 {self.site}</p></footer>
</body>
</html>
"""

    def record(self) -> dict[str, object]:
        """The page as a Markdown scraper returns it: Markdown and its metadata."""
        by = "Von" if self.lang == "de" else "By"
        nav = [f"* [Rubrik {i}](/rubrik{i})" for i in range(6)]
        lines = ["[Start](/) | [Lokales](/lokales)", "", *nav, "", f"# {self.title}", ""]
        if self.visible:
            lines += [f"{by} {self.visible} | 05.03.2024", ""]
        else:
            lines += ["05.03.2024", ""]
        lines += [line for p in self.prose for line in (p, "")]
        lines += [f"© 2024 {self.site}", ""]
        metadata: dict[str, object] = {
            "title": f"{self.title} | {self.site}",
            "sourceURL": self.url,
            "ogSiteName": self.site,
            "language": self.lang,
        }
        if self.meta_author is not None:
            metadata["author"] = self.meta_author
        return {"markdown": "\n".join(lines), "metadata": metadata}


def constant_outlet() -> list[Page]:
    """Nordkurier-like: "Redaktion" stated on all 8 pages; 5 print their own author."""
    visible = ["Anna Weber", "Jonas Brandt", "Miriam Koch", "Peter Lorenz", "Anna Weber"]
    return [
        Page(
            "ostseebote.example",
            "Ostseebote",
            title,
            slug,
            "Redaktion",
            visible[k] if k < len(visible) else None,
        )
        for k, (title, slug) in enumerate(TOPICS_DE)
    ]


def editor_outlet() -> list[Page]:
    """The editor-in-chief's name stated on every page; reporters sign most of them."""
    visible = ["Laura Fischer", "Tobias Wolf", "Sabine Braun", "Laura Fischer"]
    return [
        Page(
            "heidekurier.example",
            "Heidekurier",
            title,
            slug,
            "Markus Hoffmann",
            visible[k] if k < len(visible) else None,
        )
        for k, (title, slug) in enumerate(TOPICS_DE)
    ]


def blog() -> list[Page]:
    """A one-author blog: her name in the metadata of every page, printed on some."""
    visible = ["Ana Ruiz", None, None, "Ana Ruiz", None, None]
    return [
        Page("harbournotes.example", "Harbour Notes", t, s, "Ana Ruiz", v, lang="en")
        for (t, s), v in zip(TOPICS_EN, visible, strict=True)
    ]


def small_outlet() -> list[Page]:
    """Two pages only: "Redaktion" twice is below any threshold."""
    return [
        Page("dorfblatt.example", "Dorfblatt", t, s, "Redaktion", None) for t, s in TOPICS_DE[:2]
    ]


def every_page() -> list[Page]:
    return [*constant_outlet(), *editor_outlet(), *blog(), *small_outlet()]


def write_html(folder: Path, pages: list[Page]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for page in pages:
        (folder / f"{page.host.split('.')[0]}-{page.slug}.html").write_text(
            page.html(), encoding="utf-8"
        )
    return folder


def write_records(path: Path, pages: list[Page]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for page in pages:
            handle.write(json.dumps(page.record(), ensure_ascii=False) + "\n")
    return path
