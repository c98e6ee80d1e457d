"""The game screen as a reader meets it: the reading column, the typewriter, the back-log, the
meters explained, help at the right section, the news, the ending's first screen.

Most of these play the shipped story (its scenes are long enough to scroll at 80x24); each
asserts what a player would notice: where text and choices sit, what is on screen, what a key does.
"""

from __future__ import annotations

import dataclasses

import pytest

from game.controller.settings import Settings
from game.tui.screens.ending import EndingScreen
from game.tui.screens.help import HelpScreen, help_text, key_name
from game.tui.screens.history import HistoryScreen
from game.tui.screens.play import PlayScreen
from game.tui.widgets.page import Page
from tui_support import REAL_STORY, choose, flat, screen_text, start, static_text


def golden(app, side: str) -> list[str]:
    from game.runs import golden_run

    return [s.choice for s in golden_run(app.story, side).steps]


# ---------------------------------------------------------------------- the reading layout


def where(app, phrase: str) -> tuple[int, int]:
    """(row, column) of `phrase` on the screen."""
    for y, row in enumerate(screen_text(app).splitlines()):
        if phrase in row:
            return y, row.index(phrase)
    raise AssertionError(f"{phrase!r} is not on screen:\n{screen_text(app)}")


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40), (250, 70)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_scene_text_is_a_centred_column_of_comfortable_measure(make_app, size: tuple[int, int]) -> None:
    app = make_app(REAL_STORY)
    width, height = size
    async with app.run_test(size=size) as pilot:
        await start(pilot, "altman")
        screen = app.screen
        page = screen.query_one(Page)
        rows = screen_text(app).splitlines()
        title_y, left = where(app, "The veil of ignorance")
        right = page.region.right - 1  # the page's last column is its scrollbar's
        text = [line for line in (row[left:right].rstrip() for row in rows[title_y + 2:title_y + 9]) if line]
        assert all(not line.startswith(" ") for line in text), text
        assert 60 <= max(len(line) for line in text) <= 75, text
        choice_y, choice_x = where(app, "1 Tell them")
        assert choice_x - 1 == left, "the choices line up with the text"
        sidebar = screen.query_one("#sidebar")
        if width < 96:
            assert not sidebar.display, "the sidebar folds on a narrow terminal"
            assert page.region.height >= height // 2, "the text gets most of the screen"
            footer = rows[-1]
            assert "? Help" in footer and "q Quit" in footer
        else:
            assert sidebar.display
            right = width - sidebar.region.right
            assert left < 130 and right < 130, (left, right)
        last_text = max(y for y, row in enumerate(rows[:choice_y]) if row[left:left + 2].strip() and "▔" not in row
                        and "more text" not in row)
        # between them: the line under the text and the rule, after a paragraph's blank line at most
        assert choice_y - last_text <= 4, f"{choice_y - last_text - 1} rows between the text and its choices"


async def test_a_long_scene_scrolls_above_choices_that_stay_whole_and_the_line_between_says_where_the_rest_is(
        make_app) -> None:
    app = make_app(REAL_STORY)
    async with app.run_test(size=(250, 70)) as pilot:
        await start(pilot, "altman")
        assert "more text below" not in flat(app), "the scene fits: nothing to scroll"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        page = screen.query_one(Page)
        hint_y, _ = where(app, "▼ more text below: PgDn")
        choice_y, _ = where(app, "2 Keep the breakthrough to yourself.")
        ticker_y, _ = where(app, "NEWS")
        assert hint_y < choice_y < ticker_y, "text, then the line, then the choices, every one above the news"
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")
        await pilot.pause()
        assert "▲ the scene starts above: PgUp" in flat(app) and "more text below" not in flat(app)
        assert "travels, and the kind that a board member might read twice." in flat(app)
        await choose(pilot, golden(app, "altman")[:1])
        await pilot.pause()
        assert page.top_line == 0, "the next scene starts at its top"
        assert "starts above" not in flat(app)
        assert where(app, "NEWS")[0] > max(y for y, row in enumerate(screen_text(app).splitlines())
                                           if row.lstrip().startswith(("1 ", "2 ", "3 ")))


async def test_the_line_under_the_text_follows_each_new_scene_that_fits_or_not(make_app) -> None:
    app = make_app(REAL_STORY)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, "altman")
        path = golden(app, "altman")
        await choose(pilot, path[:2])  # Friday's meeting: it fits
        assert "more text below" not in flat(app)
        await choose(pilot, path[2:3])  # the blog post: it does not
        await pilot.pause()
        assert "▼ more text below: PgDn" in flat(app)


async def test_the_wheel_scrolls_the_text_and_a_click_takes_a_choice(make_app) -> None:
    app = make_app(REAL_STORY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, "altman")
        from textual import events

        page = app.screen.query_one(Page)

        async def wheel(kind: type[events.MouseEvent]) -> None:  # as the terminal reports it, over the text
            app.post_message(kind(None, 10, 5, 0, 0, 0, False, False, False, screen_x=10, screen_y=5))
            await pilot.pause()

        await wheel(events.MouseScrollDown)
        assert page.top_line > 0 and "The veil of ignorance" not in flat(app)
        await wheel(events.MouseScrollUp)
        assert page.top_line == 0
        y, x = where(app, "2 Keep the breakthrough to yourself.")
        await pilot.click(offset=(x + 4, y))
        await pilot.pause()
        assert app.session.steps == 1
        assert "You chose: Keep the breakthrough to yourself." in flat(app)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_showing_or_hiding_the_sidebar_keeps_every_choice_on_screen(make_app, size) -> None:
    """The text was sized for the old width: with the sidebar toggled, the last choice fell off."""
    app = make_app(REAL_STORY)
    async with app.run_test(size=size) as pilot:
        await start(pilot, "altman")
        await pilot.press("i")
        await pilot.pause()
        await pilot.pause()
        assert where(app, "2 Keep the breakthrough to yourself.")[0] < where(app, "NEWS")[0]


async def test_short_text_has_its_choices_right_under_it_at_120x40(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "alpha")
        rows = screen_text(app).splitlines()
        last_text = max(i for i, row in enumerate(rows) if "The coffee is cold." in row)
        first_choice = min(i for i, row in enumerate(rows) if "1 Rally the staff." in row)
        assert first_choice - last_text <= 3


# ---------------------------------------------------------------------- the typewriter


async def test_text_does_not_move_when_the_typewriter_finishes_and_stays_at_its_title(make_app, monkeypatch) -> None:
    from game.controller import settings

    monkeypatch.setitem(settings.TYPEWRITER_SPEEDS, "slow", 4)
    app = make_app(REAL_STORY, settings=Settings(typewriter=True, typewriter_speed="slow"))
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, "altman")
        screen = app.screen
        writer = screen.query_one(Page)
        assert writer.running and "Tell them the frontier" not in flat(app)
        title_at = where(app, "The veil of ignorance")
        hint_at = where(app, "Any key shows the rest of the scene at once.")
        # the reveal reaches the bottom of the view: the text follows it down
        writer._progress = len(writer.text) - 40
        writer._tick()
        await pilot.pause()
        assert writer.top_line > 0 and "The veil of ignorance" not in flat(app)
        assert where(app, "Any key shows the rest of the scene at once.") == hint_at
        await pilot.press("x")  # any key shows the rest, from the top
        await pilot.pause()
        assert not writer.running and "1 Tell them the frontier" in flat(app)
        assert writer.top_line == 0
        assert "The veil of ignorance" in flat(app)
        assert where(app, "The veil of ignorance") == title_at, "nothing moved"
        assert where(app, "▼ more text below: PgDn")[0] == hint_at[0], "the line under the text stayed"
        assert app.session.steps == 0


def test_the_typewriter_keeps_the_whole_height_while_it_types() -> None:
    from game.tui.widgets.page import Page, Scene

    text = "one two three four five six seven eight nine ten " * 5
    page = Page()
    page.scene = Scene("t", text=text)
    page._text = text
    full = len(page._body(20, len(text)))
    for shown in (0, 1, 17, 60, len(text) - 3):
        assert len(page._body(20, shown)) == full
        revealed = [line.plain for line in page._body(20, shown) if line.plain]
        whole = [line.plain for line in page._body(20, len(text))]
        complete = max(0, len(revealed) - 1)  # the last may be a line still being typed
        assert revealed[:complete] == whole[:complete], "the revealed lines are the whole text's lines"


async def test_scenes_already_read_appear_at_once_and_instant_shows_all(make_app, monkeypatch) -> None:
    from game.controller import settings

    monkeypatch.setitem(settings.TYPEWRITER_SPEEDS, "slow", 4)
    app = make_app(settings=Settings(typewriter=True, typewriter_speed="slow"))
    async with app.run_test() as pilot:
        await start(pilot, "alpha")
        writer = app.screen.query_one(Page)
        assert writer.running
        await pilot.press("space")
        await pilot.pause()
        await choose(pilot, ["rally"])
        assert writer.running, "a new scene types"
        await pilot.press("space", "u")  # back to the morning, read already
        await pilot.pause()
        assert app.session.steps == 0
        await choose(pilot, ["wait"])  # noon again, by another way: read already
        await pilot.pause()
        assert not writer.running and "The call comes at noon." in flat(app)
    from game.controller.settings import load_gallery

    gallery = load_gallery(app.game.config_dir)
    assert {"alpha.start", "alpha.noon"} <= gallery.read["example"], "what was read is kept for next time"

    instant = make_app(settings=Settings(typewriter=True, typewriter_speed="instant", skip_read=False))
    async with instant.run_test() as pilot:
        await start(pilot, "alpha")
        assert not instant.screen.query_one(Page).running
        assert "The coffee is cold." in flat(instant)


# ---------------------------------------------------------------------- history


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_history_is_a_back_log_that_reaches_the_first_and_latest_step(make_app, size) -> None:
    app = make_app(REAL_STORY)
    async with app.run_test(size=size) as pilot:
        await start(pilot, "altman")
        path = golden(app, "altman")[:14]
        await choose(pilot, path, keys=False)
        scene_now = app.story.scenes[app.session.state.scene]
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        text = flat(app)
        assert "15." in text and "you are here" in text, "the latest step is on screen"
        assert scene_now.text.split()[0] in text, "the prose read there shows beside the list"
        assert "Go back here" in text and "Close" in text, "the dialog's own keys are in the footer"
        await pilot.press("home")
        await pilot.pause()
        text = flat(app)
        assert "1. Thu 10:30 The veil of ignorance" in text
        assert "San Francisco is fenced off for APEC" in text, "the first scene's prose"
        await pilot.press("end")
        await pilot.pause()
        assert "you are here" in flat(app)
        await pilot.press("home", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.session.steps == 0
        assert "You went back to choice 1" in flat(app)


async def test_history_shows_the_outcome_read_at_the_top_of_each_step(make_app) -> None:
    """The back-log showed the scene's text but not the "What if: ..." outcome read above it."""
    app = make_app(REAL_STORY)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, "altman")
        await choose(pilot, ["hedge"], keys=False)  # off the documented path: its outcome is a what-if
        await choose(pilot, golden(app, "altman")[1:3], keys=False)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("home", "down")
        await pilot.pause()
        read = static_text(app, "#history-text")
        assert read.startswith("What if: You talk about caution, about governments"), "the outcome, labelled, as read"
        assert "Your phone lights up with a text from Ilya" in read, "then the scene's own text"
        assert "What if: You talk" in screen_text(app), "on screen, at the top of the step's text"


# ---------------------------------------------------------------------- meters explained


async def test_meters_explain_themselves_for_the_side_played(make_app) -> None:
    app = make_app(REAL_STORY)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "sutskever")
        await choose(pilot, golden(app, "sutskever")[:3], keys=False)
        loyalty = app.screen.query_one("#meter-loyalty")
        tip = loyalty.tooltip.plain
        assert "How firmly OpenAI's roughly 770 employees" in tip  # what it measures
        assert "For you this is the staff standing behind the board's decision" in tip  # for this side
        assert any(block in flat(app) for block in "▁▂▃▄▅▆▇█"), "each meter's course over the run"
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = flat(app)
        assert "WHAT THE METERS MEAN FOR ILYA SUTSKEVER" in text
        assert "A board at 6 and up can still name a chief executive" in text


@pytest.mark.parametrize("side", ["altman", "sutskever", "nadella"])
async def test_every_meter_of_the_side_reads_in_full_at_80x24(make_app, side: str) -> None:
    """At 80 columns the one-line meters ended "… · Mic…": Microsoft's leverage and the scale were never seen."""
    from game.format import meter_short_words

    app = make_app(REAL_STORY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, side)
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert not app.screen.query_one("#sidebar").display
        rows = screen_text(app).splitlines()
        words = [meter_short_words(meter) for meter in app.session.view().meters]
        lines = [y for y, row in enumerate(rows) if any(w in row for w in words)]
        for w in words:
            assert any(w in rows[y] for y in lines), (w, rows)
        assert not any("…" in rows[y] for y in lines)
        assert len(lines) <= 2, "two lines at most at 80 columns"
        hint = next(y for y, row in enumerate(rows) if "more text below" in row)
        first_choice = min(y for y, row in enumerate(rows) if row.lstrip().startswith("1 "))
        assert max(lines) < hint < first_choice < 24 - 2, "the meters, the line, the choices, above the news"
        await pilot.press("w")
        await pilot.pause()
        # the help's scrollbar thumb (block glyphs) may sit at the end of any line of it
        text = " ".join(flat(app).translate({ord(c): " " for c in "▁▂▃▄▅▆▇█"}).split())
        assert "narrower terminal the meters share a line or two above the choices" in text
        assert "The sidebar shows each meter's bar" not in text, "help no longer speaks of a sidebar that is folded"


async def test_every_shared_meter_has_a_meaning_for_every_side() -> None:
    from game.engine import load_story

    story = load_story(REAL_STORY)
    for name in ("loyalty", "pressure", "cohesion", "leverage", "scale"):
        for side in story.sides:
            assert len(story.vars[name].meaning_for(side)) > 80, (name, side)


async def test_locked_choice_says_what_would_open_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, "alpha")
        await choose(pilot, ["wait"])
        assert "Fight for the chair. locked — needs Staff loyalty at least 7 (now 3)" in flat(app)


# ---------------------------------------------------------------------- help and footers


async def test_help_opens_at_the_section_of_the_screen_it_was_called_from(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, "alpha")
        await pilot.press("question_mark")
        await pilot.pause()
        text = flat(app)
        assert text.index("PLAYING") < text.index("Choose") and "TITLE SCREEN" not in text
        await pilot.press("escape", "h")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "THE RUN SO FAR (HISTORY)" in flat(app) and "PLAYING" not in flat(app)


def test_help_names_keys_as_a_player_writes_them() -> None:
    assert key_name("equals_sign") == "=" and key_name("question_mark") == "?" and key_name("full_stop") == "."
    body = help_text()
    for raw in ("equals_sign", "question_mark", "full_stop", "pagedown", "escape"):
        assert raw not in body


async def test_dialogs_show_their_own_keys(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, "alpha")
        for key, words in (("t", "esc Close"), ("s", "esc Close"), ("m", "esc Close"), ("q", "y Yes")):
            await pilot.press(key)
            await pilot.pause()
            footer = screen_text(app).splitlines()[-1]
            assert words in footer and "1-9 Choose" not in footer, (key, footer)
            await pilot.press("escape")
            await pilot.pause()


# ---------------------------------------------------------------------- news


def test_headlines_say_their_time_once() -> None:
    import datetime as dt

    from game.controller.session import Headline
    from game.tui.widgets.ticker import news_when, stamp

    at = dt.datetime(2023, 11, 21, 9, 0)
    cases = {
        "Tue — Microsoft CTO: OpenAI staff can join": ("Tue", "Microsoft CTO: OpenAI staff can join"),
        "12:30 PT — OpenAI: Altman out": ("Tue 12:30", "OpenAI: Altman out"),
        "~22:00 PT — Altman to return": ("Tue ~22:00", "Altman to return"),
        "Mon morning — 505 staff threaten to quit": ("Mon morning", "505 staff threaten to quit"),
        "Sun night — Shear named": ("Sun night", "Shear named"),
        "Brockman quits": ("Tue 09:00", "Brockman quits"),
    }
    for text, (when, rest) in cases.items():
        h = Headline(0, at, text)
        assert stamp(h) == when and news_when(h)[2] == rest, text


async def test_timeline_aligns_its_times(make_app) -> None:
    app = make_app(REAL_STORY)
    async with app.run_test(size=(100, 40)) as pilot:
        await start(pilot, "nadella")
        await choose(pilot, golden(app, "nadella")[:12], keys=False)
        await pilot.press("t")
        await pilot.pause()
        rows = [r for r in screen_text(app).splitlines() if "—" not in r]
        starts = {r.index(w) for r in rows for w in ("OpenAI:", "MSFT", "Microsoft says") if w in r}
        assert len(starts) == 1, "every headline starts in the same column"


# ---------------------------------------------------------------------- the ending


@pytest.mark.parametrize("side", ["altman", "sutskever", "nadella"])
async def test_ending_first_screen_has_score_history_and_scale_at_100x30(make_app, side: str) -> None:
    app = make_app(REAL_STORY)
    async with app.run_test(size=(100, 30)) as pilot:
        await start(pilot, side)
        await choose(pilot, golden(app, side), keys=False)
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        text = flat(app)
        assert "Critic" in text and "/10" in text and "the real drama got 7.3" in text
        assert "WHAT ACTUALLY HAPPENED" in text and "The scale:" in text
        assert "★★" not in text and "☆" not in text
        assert "more below" in text
        await pilot.press("end")
        await pilot.pause()
        last = app.story.scenes[app.session.state.steps()[-1].scene].title
        assert last in flat(app) and "more below" not in flat(app), "the end of the path, and no more below"


async def test_ending_more_below_names_only_what_is_still_below_and_goes_at_the_bottom(make_app) -> None:
    """The hint named the critic, how the week moved and the path after all three had been read."""
    app = make_app(REAL_STORY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, "altman")
        await choose(pilot, golden(app, "altman"), keys=False)
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        hint = app.screen.query_one("#ending-more")
        first = hint.content.plain
        assert "the critic" in first and len(first) <= 76, "named parts, never cut off at 80 columns"
        seen = [first]
        for _ in range(40):
            await pilot.press("pagedown")
            await pilot.pause()
            seen.append(hint.content.plain if hint.display else "")
            if not hint.display:
                break
        assert not hint.display and "more below" not in flat(app), "no hint at the bottom"
        assert any("your path" in h and "the critic" not in h for h in seen), seen
        assert all(len(h) <= 76 for h in seen), seen
        scroll = app.screen.query_one("#ending-scroll")
        await pilot.press("home")
        await pilot.pause()
        assert hint.display and hint.content.plain == first and scroll.scroll_y == 0


def test_score_keeps_one_decimal() -> None:
    from game.tui.screens.ending import score_line

    assert "6.6/10" in score_line(6.6, 7.3).plain and "(-0.7)" in score_line(6.6, 7.3).plain
    assert "7.3/10" in score_line(7.3, 7.3).plain and "the same" in score_line(7.3, 7.3).plain


def test_story_meaning_for_an_unknown_side_is_a_located_error(tmp_path) -> None:
    import shutil

    from game.engine.load import compile_story
    from tui_support import EXAMPLE

    shutil.copytree(EXAMPLE, tmp_path / "s")
    story_toml = tmp_path / "s" / "story.toml"
    story_toml.write_text(story_toml.read_text() + '\n[var.loyalty.meaning]\nalpah = "typo"\n')
    story, diagnostics = compile_story(tmp_path / "s")
    assert story is None
    errors = [d.format() for d in diagnostics if d.code == "E109"]
    assert errors and "unknown side 'alpah'" in errors[0] and "did you mean 'alpha'" in errors[0]
    assert dataclasses.is_dataclass(diagnostics[0])


async def test_a_notification_never_covers_the_choices(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await start(pilot, "alpha")
        await choose(pilot, ["rally"])
        await pilot.press("2")  # a locked choice: a toast says why
        await pilot.pause(0.3)
        from textual.widgets._toast import Toast

        toasts = list(app.screen.query(Toast))
        assert toasts, "the toast is shown"
        from textual.geometry import Region

        page = app.screen.query_one(Page)
        rows = sorted(page._lines().owners)
        x0, width = page._column()
        choices = Region(page.region.x + x0, page.region.y + rows[0], width, rows[-1] - rows[0] + 1)
        for toast in toasts:
            assert not toast.region.overlaps(choices), (toast.region, choices)


async def test_settings_offer_instant_text_and_skipping_read_text(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert "Skip text read" in flat(app)
        from textual.widgets import Select

        speed = app.screen.query_one("#speed", Select)
        assert "instant" in [value for _, value in speed._options if isinstance(value, str)]


# ---------------------------------------------------------------------- sources


async def test_a_long_link_is_one_unbroken_line_at_80_columns_and_copies_whole(make_app, monkeypatch) -> None:
    """At 80x24 a source's URL wrapped mid-word ('…apec-ta' / 'lk/') and could not be copied in one piece."""
    from textual.app import App

    from game.tui.screens.sources import SourcesScreen

    copied: list[str] = []
    monkeypatch.setattr(App, "copy_to_clipboard", lambda self, text: copied.append(text))
    app = make_app(REAL_STORY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, "nadella")
        v = app.session.view()
        number, source = next((n, s) for n, s in enumerate(v.sources, 1) if s.url and len(s.url) > 70)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SourcesScreen)
        rows = screen_text(app).splitlines()
        start_row = next(i for i, row in enumerate(rows) if source.url[:30] in row)
        assert source.url[30:60] not in rows[start_row + 1], "the link goes on on its own line, not the next"
        scroll = app.screen.query_one("#sources-scroll")
        assert scroll.max_scroll_x > 0, "the dialog scrolls sideways to the rest of the link"
        link = next(w for w in app.screen.query(".source-url") if source.url in str(w.render()))
        assert link.size.height == 1, "one line, never wrapped"
        scroll.scroll_to(x=scroll.max_scroll_x, animate=False)
        await pilot.pause()
        assert source.url[-20:] in screen_text(app), "its end is on screen once scrolled"
        await pilot.press(str(number))
        await pilot.pause()
        assert copied == [source.url]


@pytest.mark.parametrize("size", [(80, 24), (100, 32)])
async def test_each_scene_looks_as_a_fresh_layout_draws_it(make_app, size) -> None:
    """A scene whose lines keep their sizes is drawn without laying the screen out again, and one
    that changes them with a layout: either way the screen must be what a layout from scratch
    draws (scenes of every length, on the shipped story's documented path)."""
    from tui_support import REAL_STORY, screen_text, start

    app = make_app(REAL_STORY)
    async with app.run_test(size=size) as pilot:
        await start(pilot, "altman")
        assert app.story is not None
        for wanted in app.story.history["altman"][:8]:
            assert app.session is not None
            await pilot.press(str([c.id for c in app.session.view().choices].index(wanted) + 1))
            await pilot.pause()
            shown = screen_text(app)
            width, height = size
            await resized(pilot, width - 7, height)  # every widget is measured and laid out anew
            await resized(pilot, width, height)
            assert screen_text(app) == shown, wanted


async def resized(pilot, width: int, height: int) -> None:
    """Resize the terminal and wait until the screen is laid out and drawn at the new width
    (Textual resizes the screen on a timer after the terminal's resize)."""
    from tui_support import screen_text

    await pilot.resize_terminal(width, height)
    for _ in range(300):
        if pilot.app.screen.size.width == width and len(screen_text(pilot.app).splitlines()[0]) == width:
            break
        await pilot.pause(0.01)
    await pilot.pause()


async def test_the_scene_text_can_be_selected_with_the_mouse_and_copied(make_app) -> None:
    """The text is selectable as any of Textual's text is: a drag selects, line by line as
    shown. A drag from a choice selects nothing (Textual would select the whole text)."""
    app = make_app(REAL_STORY)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot, "altman")

        async def drag(start: tuple[int, int], end: tuple[int, int]) -> None:
            await pilot.mouse_down(offset=start)
            await pilot.hover(offset=end)
            await pilot.mouse_up(offset=end)
            await pilot.pause()

        y_choice, x_choice = where(app, "1 Tell them")
        await drag((x_choice + 3, y_choice), (x_choice + 12, y_choice))
        assert not app.screen.get_selected_text(), "a choice is not text to select"
        y, x = where(app, "San Francisco is fenced off")
        await drag((x, y), (x + len("San Francisco is fenced"), y + 1))
        selected = app.screen.get_selected_text()
        assert selected is not None
        first, second = selected.split("\n")
        assert first == "San Francisco is fenced off for APEC: motorcades, checkpoints,"
        assert second.startswith("presidents in town. Ins"), second
        assert app.session.steps == 0, "selecting took no choice"


async def test_the_meters_follow_the_sidebar_into_the_page_and_out(make_app) -> None:
    """Wherever the sidebar is folded (a narrow terminal, or `i`), the page shows the meters
    above the choices; where it is shown, they are in it alone."""
    from game.format import meter_short_words

    app = make_app(REAL_STORY)
    async with app.run_test(size=(120, 40)) as pilot:
        await start(pilot, "altman")
        loyalty = meter_short_words(app.session.view().meters[0])
        page = app.screen.query_one(Page)
        assert not page.meters_shown and loyalty not in flat(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert page.meters_shown and loyalty in flat(app)
        await pilot.press("i")  # the sidebar, at 80 columns
        await pilot.pause()
        assert not page.meters_shown and app.screen.query_one("#sidebar").display
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.press("i")  # hidden at 120 columns: the meters come back to the page
        await pilot.pause()
        assert page.meters_shown and loyalty in flat(app) and not app.screen.query_one("#sidebar").display
