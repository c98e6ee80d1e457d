"""Story text as paragraphs: hard-wrapped lines joined, and lines wrapped by display width.

Authors hard-wrap TOML text at any width. Joining those lines with a space is right for
English and wrong for Chinese or Japanese, where a line break between two ideographs is not a
space (the rule CSS Text applies to segment breaks between East Asian wide characters). Every
front end joins lines here, so the typewriter, plain mode, transcripts and the ending screen
agree. Plain mode and text transcripts also wrap here: a wide character takes two terminal
cells, and a line may break between two ideographs but not before a closing mark such as 。
or after an opening one such as 「.

Standard library only (unicodedata): plain mode must not import Rich.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from functools import lru_cache

_SPACE_RUN = re.compile(r"\s+")

NO_LINE_START = set("、。，．,.：；？！:;?!）)］]｝}〕〉》」』】〙〗〟’”｠»ゝゞーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻‐゠–〜～…‥・")
"""Marks that never begin a line (kinsoku shori): closing brackets and quotes, stops, small kana."""

NO_LINE_END = set("（(［[｛{〔〈《「『【〘〖〝‘“｟«")
"""Marks that never end a line: opening brackets and quotes."""


def is_hangul(ch: str) -> bool:
    o = ord(ch)
    return 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F or 0xA960 <= o <= 0xA97F or 0xAC00 <= o <= 0xD7FF


@lru_cache(maxsize=4096)
def is_wide(ch: str) -> bool:
    """True for characters a terminal draws two cells wide (East Asian Wide or Fullwidth)."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _east_asian(ch: str) -> bool:
    """Wide and not Hangul, or punctuation whose width depends on the font (“ ” … —) and which
    Chinese text uses as its own."""
    if is_hangul(ch):
        return False
    if is_wide(ch):
        return True
    return unicodedata.east_asian_width(ch) == "A" and unicodedata.category(ch).startswith("P")


def _joins_without_space(before: str, after: str) -> bool:
    """A line break between these two characters disappears: both are East Asian and at least one
    is wide. Korean separates words with spaces, so a break next to Hangul stays a space."""
    return _east_asian(before) and _east_asian(after) and (is_wide(before) or is_wide(after))


def unwrap(text: str) -> str:
    """One paragraph on one line: every run of whitespace becomes one space, except a run holding
    a line break between two wide characters (两个汉字之间的换行), which goes away.

    Only the runs holding a line break need a look at their neighbours: one per source line, not
    one per word (this runs for every scene shown)."""
    lines = [line for line in (line.strip() for line in text.split("\n")) if line]
    if not lines:
        return ""
    joined = [lines[0]]
    for line in lines[1:]:
        joined.append("" if _joins_without_space(joined[-1][-1], line[0]) else " ")
        joined.append(line)
    return _SPACE_RUN.sub(" ", "".join(joined))


def paragraphs(text: str) -> list[str]:
    """The paragraphs of `text` (separated by blank lines), each unwrapped onto one line."""
    blocks = re.split(r"\n[ \t]*\n", text.strip())
    return [p for p in (unwrap(b) for b in blocks) if p]


def prose(text: str) -> str:
    """Paragraphs separated by one blank line, each on one line: what the app's text widgets show."""
    return "\n\n".join(paragraphs(text))


@lru_cache(maxsize=4096)
def char_cells(ch: str) -> int:
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\u2060\ufeff":
        return 0
    return 2 if is_wide(ch) else 1


def cells(text: str) -> int:
    """How many terminal cells `text` takes."""
    return sum(char_cells(ch) for ch in text)


def wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> list[str]:
    """`text` (one paragraph) as lines of at most `width` cells.

    Text without wide characters goes through textwrap, as it always has; text with them
    breaks at spaces and between ideographs, counts two cells for each wide character, and
    keeps closing marks off the start of a line and opening marks off its end.
    """
    text = unwrap(text)
    if not any(is_wide(ch) for ch in text):
        # textwrap breaks a word longer than a line by slicing what is left of it once per line:
        # time quadratic in the word (seconds for a pasted megabyte). Cut such words into
        # line-sized pieces first: the same lines, in linear time.
        size = max(1, width - max(len(initial_indent), len(subsequent_indent)))
        words = text.split(" ")
        if any(len(w) > size for w in words):
            text = " ".join(w[i:i + size] for w in words for i in range(0, len(w), size))
        return textwrap.wrap(text, width, initial_indent=initial_indent, subsequent_indent=subsequent_indent) or [""]
    lines: list[str] = []
    line, used, indent = initial_indent, cells(initial_indent), initial_indent
    for space, token in _tokens(text):
        need = cells(token)
        gap = 1 if space and line != indent else 0
        if used + gap + need <= width:
            line += (" " if gap else "") + token
            used += gap + need
            continue
        if line != indent:
            lines.append(line)
            indent = subsequent_indent
            line, used = indent, cells(indent)
        for ch in token:  # a token wider than a whole line: cut it by cells
            w = char_cells(ch)
            if used + w > width and line != indent:
                lines.append(line)
                indent = subsequent_indent
                line, used = indent, cells(indent)
            line += ch
            used += w
    if line != indent or not lines:
        lines.append(line)
    return lines


def fill(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    return "\n".join(wrap(text, width, initial_indent, subsequent_indent))


def _tokens(text: str) -> list[tuple[bool, str]]:
    """Unbreakable pieces of a one-line paragraph, each with whether a space comes before it.

    A word of narrow characters is one piece; each wide character is a piece of its own, so a
    line can break between two ideographs; a closing mark joins the piece before it and an
    opening mark the piece after it, so neither is stranded at the wrong end of a line.
    """
    pieces: list[list[object]] = []  # [space_before, text]
    space = False
    word = ""

    def push(piece: str) -> None:
        nonlocal space
        pieces.append([space, piece])
        space = False

    for ch in text:
        if ch == " ":
            if word:
                push(word)
                word = ""
            space = True
        elif is_wide(ch) or ch in NO_LINE_START or ch in NO_LINE_END:
            if word:
                push(word)
                word = ""
            push(ch)
        else:
            word += ch
    if word:
        push(word)

    out: list[list[object]] = []
    glue_next = False
    for piece in pieces:
        before, piece_text = bool(piece[0]), str(piece[1])
        if out and not before and (glue_next or piece_text[0] in NO_LINE_START):
            out[-1][1] = str(out[-1][1]) + piece_text
        else:
            out.append([before, piece_text])
        glue_next = piece_text[-1] in NO_LINE_END
    return [(bool(b), str(t)) for b, t in out]
