"""Image tags as scrapers write them, and proxy URL unwrapping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus_qa.parse.image_tags import iter_images, resolve_src, strip_images


def test_nested_brackets_in_alt() -> None:
    line = "![[Robert J. Fouser] Japan lurches right](/_next/image?url=a%2Fb&w=48&q=75)"
    assert list(iter_images(line)) == [
        ("[Robert J. Fouser] Japan lurches right", "/_next/image?url=a%2Fb&w=48&q=75", 0, len(line))
    ]


def test_empty_alt_title_and_inline() -> None:
    line = 'Lead ![](a.png) then ![A map](https://x.org/m.png "The map") end.'
    found = list(iter_images(line))
    assert [(alt, src) for alt, src, _, _ in found] == [
        ("", "a.png"),
        ("A map", "https://x.org/m.png"),
    ]
    for alt, _src, start, end in found:
        assert line[start:end].startswith(f"![{alt}]")
        assert line[end - 1] == ")"
    assert strip_images(line) == "Lead then end."


def test_linked_image_and_parens_in_url() -> None:
    line = "[![Logo](https://cdn.x.org/logo_(1).png)](https://x.org/)"
    assert [(a, s) for a, s, _, _ in iter_images(line)] == [
        ("Logo", "https://cdn.x.org/logo_(1).png")
    ]
    assert strip_images(line) == ""


@pytest.mark.parametrize(
    "line",
    [
        "![broken](no-close",
        "![alt] (space.png)",
        "![unclosed [alt](x.png)",
        "plain [link](x)",
        "![",
    ],
)
def test_not_images(line: str) -> None:
    assert list(iter_images(line)) == []


@pytest.mark.parametrize(
    ("src", "resolved", "width"),
    [
        ("/_next/image?url=https%3A%2F%2Fa.com%2Fx.jpg&w=3840&q=100", "https://a.com/x.jpg", 3840),
        (
            "https://site.com/_next/image?url=https%3A%2F%2Fa.com%2Fy.png&w=48",
            "https://a.com/y.png",
            48,
        ),
        ("/_next/image?q=75&url=%2Fuploads%2Fz.jpg&w=640", "/uploads/z.jpg", 640),
        ("/cdn-cgi/image/width=800,quality=75/https://a.com/p.jpg", "https://a.com/p.jpg", 800),
        ("/cdn-cgi/image/format=auto/uploads/p.jpg", "/uploads/p.jpg", None),
        ("https://h.com/cdn-cgi/image/w=320/uploads/p.jpg", "https://h.com/uploads/p.jpg", 320),
        ("https://a.com/p.jpg?width=600&h=400", "https://a.com/p.jpg?width=600&h=400", 600),
        ("https://a.com/p.jpg?w=0", "https://a.com/p.jpg?w=0", None),
        ("https://a.com/show_w=12.jpg", "https://a.com/show_w=12.jpg", None),
    ],
)
def test_resolve_src(src: str, resolved: str, width: int | None) -> None:
    assert resolve_src(src) == (resolved, width)


@given(st.text(max_size=200))
def test_iter_images_never_raises_and_spans_are_tags(line: str) -> None:
    last_end = 0
    for alt, _src, start, end in iter_images(line):
        assert last_end <= start < end <= len(line)
        assert line.startswith("![" + alt + "]", start)
        last_end = end


@given(st.text(alphabet=st.characters(blacklist_characters="()\n\t "), max_size=40))
def test_alt_text_round_trips(alt: str) -> None:
    # any alt whose brackets balance is recovered exactly
    balanced = alt.replace("\\", "")
    depth = 0
    for char in balanced:
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth < 0:
            return
    if depth:
        return
    line = f"x ![{balanced}](https://a.com/i.png) y"
    assert [(a, s) for a, s, _, _ in iter_images(line)] == [(balanced, "https://a.com/i.png")]
