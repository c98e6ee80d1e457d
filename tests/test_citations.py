"""Citations say what a source is and whose page its link leads to, the same way everywhere.

A reader checks a documented scene by following its source; a copy presented as the
publisher's page, or a description presented as a headline, breaks that trust.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from game.engine import load_story
from game.engine.story import Source
from game.format import citation, citation_lines, cite, link_kind, source_list

STORY = Path(__file__).resolve().parent.parent / "story"


def source(**kw) -> Source:
    base = dict(id="s", outlet="The Example Times", title="A memo", date=dt.date(2023, 11, 17), url=None, note="")
    return Source(**{**base, **kw})


def test_a_citation_names_outlet_author_title_and_date() -> None:
    assert cite(source(author="Ann Writer")) == "The Example Times, Ann Writer, “A memo” (17 Nov 2023)"
    assert cite(source()) == "The Example Times, “A memo” (17 Nov 2023)"


def test_a_described_title_is_not_dressed_as_a_headline() -> None:
    assert cite(source(title="memo to staff of 18 November", described=True)) == \
        "The Example Times, memo to staff of 18 November (17 Nov 2023)"


def test_the_link_says_whose_page_it_is() -> None:
    assert link_kind(source()) == ""
    assert citation_lines(source()) == ["The Example Times, “A memo” (17 Nov 2023)"]
    own = source(url="https://example.org/memo")
    assert citation(own) == "The Example Times, “A memo” (17 Nov 2023) — the publisher's page: https://example.org/memo"
    copy = source(url="https://wire.example/memo", read_at="The Wire")
    assert citation_lines(copy)[1] == "a copy, read at The Wire: https://wire.example/memo"


def test_a_source_list_wraps_text_but_never_a_link() -> None:
    url = "https://wire.example/" + "a-very-long-article-slug-" * 4
    lines = source_list([source(title="A memo " * 12, url=url, read_at="The Wire")], 60)
    assert lines[0] == "Sources:"
    assert all(len(line) <= 60 for line in lines if "https://" not in line)
    assert f"     a copy, read at The Wire: {url}" in lines


def test_every_linked_source_in_the_shipped_story_is_the_publishers_or_a_labelled_copy() -> None:
    story = load_story(STORY)
    linked = [s for s in story.sources.values() if s.url]
    assert linked, "the shipped story links some sources"
    for s in linked:
        kind = link_kind(s)
        assert kind == "the publisher's page" or kind == f"a copy, read at {s.read_at}", s.id
    assert any(s.read_at for s in linked) and any(not s.read_at for s in linked)


def test_the_sources_screen_shows_a_long_link_whole_and_says_whose_page_it_is() -> None:
    from rich.console import Console

    from game.engine import new_state, view
    from game.tui.screens.sources import sources_parts

    story = load_story(STORY)
    v = view(story, new_state(story, "nadella"))
    linked = [s for s in v.sources if s.url and len(s.url) > 80]
    assert linked, "the first Nadella scene cites a source with a long link"
    parts = sources_parts(v)
    urls = [part.plain for kind, part in parts if kind == "url"]
    for s in linked:
        assert s.url in urls, "each link is a part of its own, never wrapped with other text"
    console = Console(width=80, record=True, color_system=None)
    for kind, part in parts:
        if kind != "url":
            console.print(part)
    text = console.export_text()
    assert "…" not in text
    assert "the publisher's page:" in text
