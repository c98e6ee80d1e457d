"""Text that follows the player: passages, values and labels inside story prose.

Scene text, endings' epilogues, headlines, choice labels and choice outcomes may hold

    {if COND}...{elif COND}...{else}...{end}   a passage shown while COND holds
    {= EXPR}                                    a variable's value (bools read "yes"/"no")
    {label NAME}                                a variable's label
    {{ and }}                                   literal braces

Each text is compiled once, at load, into a `Template`: a small tree of frozen dataclasses
holding only strings, ints and parsed conditions, so a compiled story can be cached and
rendering (which runs on every keypress) only walks the tree. A text with no tags compiles
to its plain string and renders for free.
"""

from __future__ import annotations

from typing import Callable, Mapping, Optional, Union

from game.engine.rules import Condition, ConditionError, Node, Value, did_you_mean, parse_condition, parse_value
from game.patterns import pattern
from game.records import record

MAX_NESTING = 16
BLOCK_TAGS = ("if", "elif", "else", "end")


class TextError(Exception):
    """A text that does not compile. `offset` is the character offset in the text's value."""

    def __init__(self, code: str, message: str, offset: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.offset = offset


@record(slots=True)
class Show:
    """`{= EXPR}`: the value of an expression."""

    expr: Node
    text: str

    def render(self, values: Mapping[str, Value], seen: Callable[[str], bool]) -> str:
        value = self.expr.eval((values, seen))
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)


@record(slots=True)
class Arm:
    """One branch of a passage: its condition (None for `{else}`) and what it shows."""

    condition: Optional[Condition]
    parts: tuple["Part", ...]
    offset: int
    """Where its tag starts in the text, for messages and the explorer."""


@record(slots=True)
class Passage:
    """`{if}...{end}`: the first arm whose condition holds is shown; none when none does."""

    arms: tuple[Arm, ...]
    offset: int
    number: int
    """Passages are numbered in the order their `{if` appears in the text, from 0."""

    def pick(self, values: Mapping[str, Value], seen: Callable[[str], bool]) -> Optional[Arm]:
        for arm in self.arms:
            if arm.condition is None or arm.condition.holds(values, seen):
                return arm
        return None


Part = Union[str, Show, Passage]


@record(slots=True)
class Template:
    """A compiled text. `plain` is the whole text when it has no passages or values."""

    source: str
    parts: tuple[Part, ...]
    plain: Optional[str]
    seen_ids: frozenset[str]
    names: frozenset[str]
    passages: int
    """How many passages the text holds."""

    def render(self, values: Mapping[str, Value], seen: Callable[[str], bool]) -> str:
        if self.plain is not None:
            return self.plain
        out: list[str] = []
        _render(self.parts, values, seen, out)
        return tidy("".join(out))

    def shown(self, values: Mapping[str, Value], seen: Callable[[str], bool]) -> list[tuple[int, int]]:
        """(passage number, arm index) of every arm this state shows, for the explorer."""
        out: list[tuple[int, int]] = []
        _shown(self.parts, values, seen, out)
        return out

    def all_passages(self) -> list[Passage]:
        out: list[Passage] = []
        _collect(self.parts, out)
        return out


def _render(parts: tuple[Part, ...], values: Mapping[str, Value], seen: Callable[[str], bool], out: list[str]) -> None:
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Passage):
            arm = part.pick(values, seen)
            if arm is not None:
                _render(arm.parts, values, seen, out)
        else:
            out.append(part.render(values, seen))


def _shown(parts: tuple[Part, ...], values: Mapping[str, Value], seen: Callable[[str], bool],
           out: list[tuple[int, int]]) -> None:
    for part in parts:
        if isinstance(part, Passage):
            arm = part.pick(values, seen)
            if arm is not None:
                out.append((part.number, part.arms.index(arm)))
                _shown(arm.parts, values, seen, out)


def _collect(parts: tuple[Part, ...], out: list[Passage]) -> None:
    for part in parts:
        if isinstance(part, Passage):
            out.append(part)
            for arm in part.arms:
                _collect(arm.parts, out)


_BLANK_RUN = pattern(r"\n[ \t]*\n(?:[ \t]*\n)*")
_SPACES = pattern(r"(?<=\S)[ \t]{2,}(?=\S)")


def tidy(text: str) -> str:
    """Close up what a passage that showed nothing leaves behind: runs of blank lines become
    one paragraph break, and two spaces between words become one."""
    return _SPACES().sub(" ", _BLANK_RUN().sub("\n\n", text)).strip()


_NONE: frozenset[str] = frozenset()
"""Shared by every template that reads no variable or scene: an empty frozenset is a new
~200-byte object each time it is built, and a story holds hundreds of plain texts."""


def plain_template(text: str) -> Template:
    return Template(text, (text,), text, _NONE, _NONE, 0)


_TAG = pattern(r"\{([^{}\n]*)\}")
_NAME = pattern(r"[a-z][a-z0-9_]*\Z")


class _Builder:
    """One level of nesting while compiling: the arms of an open `{if}`, or the top level."""

    def __init__(self, offset: int, condition: Optional[Condition]):
        self.offset = offset
        self.arms: list[Arm] = []
        self.condition = condition
        self.arm_offset = offset
        self.parts: list[Part] = []
        self.has_else = False
        self.number = 0

    def text(self, s: str) -> None:
        if not s:
            return
        if self.parts and isinstance(self.parts[-1], str):
            self.parts[-1] += s
        else:
            self.parts.append(s)

    def close_arm(self) -> None:
        self.arms.append(Arm(self.condition, tuple(self.parts), self.arm_offset))
        self.parts = []


def compile_text(
    text: str,
    var_types: Mapping[str, str],
    var_labels: Mapping[str, str],
    scene_exists: Callable[[str], bool] = lambda _s: True,
    parse: Optional[Callable[[str], Condition]] = None,
) -> Template:
    """Compile `text`, or raise `TextError` at the offending character.

    `parse` parses one condition (the loader passes its cached parser); it may raise
    `ConditionError`, whose offset is moved into the text.
    """
    if "{" not in text and "}" not in text:
        return plain_template(text)
    parse_cond = parse or (lambda s: parse_condition(s, var_types, scene_exists))
    stack: list[_Builder] = [_Builder(0, None)]
    seen_ids: set[str] = set()
    names: set[str] = set()
    count = 0
    pos = 0
    n = len(text)
    tag, name_pattern = _TAG(), _NAME()
    while pos < n:
        brace = _next_brace(text, pos)
        if brace < 0:
            stack[-1].text(text[pos:].replace("}}", "}"))
            break
        ch = text[brace]
        if ch == "}":
            # `}}` is one literal brace; a lone `}` is prose
            stack[-1].text(text[pos:brace] + "}")
            pos = brace + 2 if text.startswith("}}", brace) else brace + 1
            continue
        if text.startswith("{{", brace):
            stack[-1].text(text[pos:brace] + "{")
            pos = brace + 2
            continue
        m = tag.match(text, brace)
        if m is None:
            raise TextError("E310", "'{' starts no tag here: write {{ for a literal brace, or close the tag with '}' "
                                    "on the same line", brace)
        body = m.group(1)
        word, _, rest = body.strip().partition(" ")
        inner = brace + 1 + (len(body) - len(body.lstrip()))  # where `word` starts
        arg_at = inner + len(word) + (len(rest) - len(rest.lstrip())) + (1 if rest else 0)
        rest = rest.strip()
        start, end = brace, m.end()
        if word in BLOCK_TAGS:
            start, end = _alone(text, brace, m.end())
        stack[-1].text(text[pos:start])
        pos = end
        if word.startswith("="):
            expr = body.strip()[1:]
            at = brace + 1 + (len(body) - len(body.lstrip())) + 1 + (len(expr) - len(expr.lstrip()))
            if not expr.strip():
                raise TextError("E310", "{= } needs a variable, like {= loyalty}", brace)
            try:
                node, value_names, value_seen = parse_value(expr.strip(), var_types, scene_exists)
            except ConditionError as exc:
                raise TextError(exc.code, f"{exc.message} in {{= {expr.strip()}}}", at + exc.offset) from None
            names.update(value_names)
            seen_ids.update(value_seen)
            stack[-1].parts.append(Show(node, expr.strip()))
        elif word == "label":
            if not name_pattern.match(rest):
                raise TextError("E310", "{label} takes one variable name, like {label loyalty}", arg_at if rest else brace)
            if rest not in var_labels:
                raise TextError("E302", f"unknown variable {rest!r}{did_you_mean(rest, var_labels)} in {{label {rest}}}", arg_at)
            stack[-1].text(var_labels[rest])
        elif word in ("if", "elif"):
            if not rest:
                raise TextError("E310", f"{{{word}}} needs a condition, like {{{word} loyalty >= 5}}", brace)
            try:
                cond = parse_cond(rest)
            except ConditionError as exc:
                raise TextError(exc.code, f"{exc.message} in {{{word} {rest}}}", arg_at + exc.offset) from None
            seen_ids.update(cond.seen_ids)
            names.update(cond.names)
            if word == "if":
                if len(stack) > MAX_NESTING:
                    raise TextError("E311", f"passages are nested more than {MAX_NESTING} deep", brace)
                b = _Builder(brace, cond)
                b.number = count
                count += 1
                stack.append(b)
            else:
                top = stack[-1]
                if len(stack) == 1:
                    raise TextError("E311", "{elif} without an {if} before it", brace)
                if top.has_else:
                    raise TextError("E311", "{elif} after {else}: the {else} must come last", brace)
                top.close_arm()
                top.condition, top.arm_offset = cond, brace
        elif word == "else":
            if rest:
                raise TextError("E310", "{else} takes no condition; did you mean {elif ...}?", arg_at)
            top = stack[-1]
            if len(stack) == 1:
                raise TextError("E311", "{else} without an {if} before it", brace)
            if top.has_else:
                raise TextError("E311", "a second {else} in the same passage", brace)
            top.close_arm()
            top.condition, top.arm_offset, top.has_else = None, brace, True
        elif word == "end":
            if rest:
                raise TextError("E310", f"{{end}} takes nothing after it; found {rest!r}", arg_at)
            if len(stack) == 1:
                raise TextError("E311", "{end} without an {if} before it", brace)
            top = stack.pop()
            top.close_arm()
            stack[-1].parts.append(Passage(tuple(top.arms), top.offset, top.number))
        else:
            shown = body.strip()[:20]
            raise TextError("E310", f"unknown tag {{{shown}}}: tags are {{if}}, {{elif}}, {{else}}, {{end}}, {{= name}} "
                                    "and {label name}; write {{ for a literal brace", brace)
    if len(stack) > 1:
        raise TextError("E311", "{if} is never closed: add {end}", stack[-1].offset)
    top = stack[0]
    parts = tuple(top.parts)
    plain = parts[0] if len(parts) == 1 and isinstance(parts[0], str) else "" if not parts else None
    return Template(text, parts, plain, frozenset(seen_ids) if seen_ids else _NONE, frozenset(names) if names else _NONE,
                    count)


def _next_brace(text: str, pos: int) -> int:
    a, b = text.find("{", pos), text.find("}", pos)
    if a < 0:
        return b
    if b < 0:
        return a
    return min(a, b)


def _alone(text: str, start: int, end: int) -> tuple[int, int]:
    """A block tag alone on its line takes the whole line with it, newline included, so
    multi-line passages leave no blank lines behind. Otherwise just the tag."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    if text[line_start:start].strip() or text[end:line_end].strip():
        return start, end
    return line_start, min(len(text), line_end + 1)
