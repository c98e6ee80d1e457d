"""Chinese text: hard-wrapped lines joined without a space, and lines wrapped by display width.

The fixture story (tests/fixtures/chinese) is hard-wrapped the way an author writes TOML,
including a break after a full-width comma and one before a closing quote.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from game.paragraphs import NO_LINE_END, NO_LINE_START, cells, paragraphs, prose, unwrap, wrap

CHINESE = Path(__file__).parent / "fixtures" / "chinese"
FIRST = "董事会在周五中午通过一次谷歌视频会议解除了你的职务。“他在与董事会的沟通中不够坦诚。”声明只有几句话。"
SECOND = "你还有Microsoft的支持，以及七百名员工。"


def test_lines_join_without_a_space_between_chinese_characters() -> None:
    assert unwrap("董事会\n解除了") == "董事会解除了"
    assert unwrap("的职务。\n“他说") == "的职务。“他说"  # a curly quote next to Chinese is Chinese punctuation
    assert unwrap("你还有Microsoft的支持，\n  以及") == "你还有Microsoft的支持，以及"


def test_other_line_breaks_stay_spaces() -> None:
    assert unwrap("The board\nmet at noon.") == "The board met at noon."
    assert unwrap("用了\nChatGPT\n的人") == "用了 ChatGPT 的人"  # a break between a Latin word and Chinese is a space
    assert unwrap("한국어\n문장") == "한국어 문장"  # Korean separates words with spaces
    assert unwrap("你好  世界") == "你好 世界"  # an author's own space stays (one)
    assert unwrap("said.\n“Next") == "said. “Next"
    # a paragraph that starts indented (any but the first, in an indented TOML string) joins the same
    assert unwrap("  他说\n好") == "他说好"
    assert paragraphs("第一段。\n\n  他说\n好。") == ["第一段。", "他说好。"]


def test_paragraphs_of_the_fixture_story() -> None:
    text = (CHINESE / "altman.toml").read_text(encoding="utf-8").split('"""')[1]
    assert paragraphs(text) == [FIRST, SECOND]
    assert prose(text) == FIRST + "\n\n" + SECOND


@pytest.mark.parametrize("width", [10, 21, 38, 78])
def test_wrapping_counts_two_cells_for_each_chinese_character(width: int) -> None:
    lines = wrap(FIRST, width, "  ", "  ")
    assert all(cells(line) <= width for line in lines), lines
    assert "".join(line[2:] for line in lines) == FIRST  # nothing lost, no spaces added
    assert not any(line[2] in NO_LINE_START for line in lines)  # no line opens with 。 or ”
    assert not any(line[-1] in NO_LINE_END for line in lines)  # and none ends with “
    if width < cells(FIRST):
        assert cells(lines[0]) >= width - 2  # lines are filled, not cut short


def test_english_wraps_as_before() -> None:
    import textwrap

    text = "The board met at noon and voted, four to two, to remove the chief executive of the company."
    assert wrap(text, 30) == textwrap.wrap(text, 30)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a shared machine is slow at times
@given(st.text(alphabet=st.sampled_from(list("董事会的职务，。“”「」（）ab cChatGPT 、")), max_size=120),
       st.integers(min_value=4, max_value=60))
def test_wrapped_lines_fit_and_keep_every_character(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(cells(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == unwrap(text).replace(" ", "")


def test_plain_mode_wraps_chinese_at_the_terminal_width(tmp_path: Path) -> None:
    env = dict(os.environ, COLUMNS="40")
    out = subprocess.run([sys.executable, "-m", "game", "play", "--plain", "--story", str(CHINESE), "--saves",
                          str(tmp_path), "--side", "altman"], input="1\n", capture_output=True, text=True, env=env,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    lines = [line.removeprefix("> ") for line in out.stdout.splitlines()]  # "> " is the prompt
    assert max(cells(line) for line in lines) <= 38
    start = lines.index("董事会在周五中午通过一次谷歌视频会议解")
    assert "".join(lines[start:start + 3]) == FIRST
    assert "你打开电脑，开始写一封信。" in lines
    assert "  五天后，奥尔特曼回到了首席执行官的位" in lines
    assert "  1. 问问能帮上什么忙。" in lines


async def test_the_typewriter_joins_chinese_lines(make_app) -> None:
    from tui_support import start

    from tui_support import screen_text

    from game.tui.widgets.page import Page

    app = make_app(CHINESE)
    async with app.run_test(size=(80, 24)) as pilot:  # the sidebar folded: the rows hold the text alone
        await start(pilot, "altman")
        assert app.screen.query_one(Page).text == FIRST + "\n\n" + SECOND
        # on screen, the wrapped lines read back as the paragraph: no space where a line broke
        rows = [row.strip() for row in screen_text(app).splitlines()]
        start_row = next(i for i, row in enumerate(rows) if row.startswith(FIRST[:6]))
        joined = ""
        for row in rows[start_row:]:
            if not row:
                break
            joined += row
        assert joined == FIRST
