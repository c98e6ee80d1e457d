"""The condition language: parsed and type-checked once at load, evaluated at play time.

A condition compiles to a tree of small node objects. Evaluation walks the tree with the
state's variables and seen-flags; nothing is ever handed to `eval`. The parser is iterative
where nesting could be deep and refuses input nested past `MAX_DEPTH`, so hostile input gets
a `ConditionError`, never a `RecursionError`.
"""

from __future__ import annotations

import functools
import re
from typing import Callable, Collection, Iterable, Mapping, Optional, Union

from game.patterns import pattern
from game.records import record

MAX_DEPTH = 64
MAX_LENGTH = 2000

Value = Union[int, bool, str]


class ConditionError(Exception):
    """A condition that does not parse or does not type-check.

    `code` is the stable diagnostic code; `offset` the character offset in the condition.
    """

    def __init__(self, code: str, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.offset = offset


_TOKEN = pattern(
    r"""\s*(?:
      (?P<num>\d+)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<str>'[^'\\]*'|"[^"\\]*")
    | (?P<op>==|!=|<=|>=|<|>|\+|-|\(|\)|,)
    )""",
    re.VERBOSE,
)
KEYWORDS = {"and", "or", "not", "true", "false", "seen"}

# Operators from other languages that authors type out of habit, with what to write instead.
_MISTAKES = {
    "=>": "write '>=' instead of '=>'",
    "=<": "write '<=' instead of '=<'",
    "&&": "write 'and' instead of '&&'",
    "||": "write 'or' instead of '||'",
    "&": "write 'and' instead of '&'",
    "|": "write 'or' instead of '|'",
    "=": "write '==' to compare; a single '=' is not a comparison",
    "!": "write 'not' instead of '!'",
}
# seen(altman.fri.meet): the scene id without its quotes
_UNQUOTED_SEEN = pattern(r"\bseen\s*\(\s*(?P<id>[A-Za-z0-9_][A-Za-z0-9_.\-]*)\s*\)")


@record
class Token:
    kind: str  # num name str op end
    text: str
    offset: int


def tokenize(source: str) -> list[Token]:
    token = _TOKEN()
    tokens: list[Token] = []
    pos = 0
    n = len(source)
    while pos < n:
        if source[pos].isspace():
            pos += 1
            continue
        m = token.match(source, pos)
        if m is None or m.end() == pos:
            ch = source[pos]
            if ch in "'\"":
                raise ConditionError("E301", f"unterminated string starting at column {pos + 1}", pos)
            hint = _MISTAKES.get(source[pos:pos + 2]) or _MISTAKES.get(ch)
            if hint:
                raise ConditionError("E301", f"{hint} (at column {pos + 1})", pos)
            raise ConditionError("E301", f"unexpected character {ch!r} at column {pos + 1}", pos)
        kind = m.lastgroup or "op"
        start = m.start(kind)
        tokens.append(Token(kind, m.group(kind), start))
        pos = m.end()
    tokens.append(Token("end", "", n))
    return tokens


# ----------------------------------------------------------------------------- the tree


class Node:
    type: str  # "int" | "bool" | "str"
    offset: int

    def eval(self, env: "Env") -> Value:  # pragma: no cover - abstract
        raise NotImplementedError

    def source(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


Env = tuple[Mapping[str, Value], Callable[[str], bool]]


@record
class Literal(Node):
    value: Value
    type: str
    offset: int

    def eval(self, env: Env) -> Value:
        return self.value

    def source(self) -> str:
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        if isinstance(self.value, str):
            return repr(self.value)
        return str(self.value)


@record
class Name(Node):
    name: str
    type: str
    offset: int

    def eval(self, env: Env) -> Value:
        return env[0][self.name]

    def source(self) -> str:
        return self.name


@record
class Seen(Node):
    scene: str
    offset: int
    type: str = "bool"

    def eval(self, env: Env) -> Value:
        return env[1](self.scene)

    def source(self) -> str:
        return f"seen('{self.scene}')"


@record
class Not(Node):
    operand: Node
    offset: int
    type: str = "bool"

    def eval(self, env: Env) -> Value:
        return not self.operand.eval(env)

    def source(self) -> str:
        return f"not {_wrap(self.operand, 3)}"


@record
class Neg(Node):
    operand: Node
    offset: int
    type: str = "int"

    def eval(self, env: Env) -> Value:
        return -self.operand.eval(env)  # type: ignore[operator]

    def source(self) -> str:
        return f"-{_wrap(self.operand, 6)}"


@record
class BoolOp(Node):
    op: str  # and | or
    operands: tuple[Node, ...]
    offset: int
    type: str = "bool"

    def eval(self, env: Env) -> Value:
        if self.op == "and":
            return all(o.eval(env) for o in self.operands)
        return any(o.eval(env) for o in self.operands)

    def source(self) -> str:
        return f" {self.op} ".join(_wrap(o, _precedence(self) + 1) for o in self.operands)


@record
class Arith(Node):
    op: str  # + | -
    left: Node
    right: Node
    offset: int
    type: str = "int"

    def eval(self, env: Env) -> Value:
        a, b = self.left.eval(env), self.right.eval(env)
        return a + b if self.op == "+" else a - b  # type: ignore[operator]

    def source(self) -> str:
        return f"{_wrap(self.left, 5)} {self.op} {_wrap(self.right, 6)}"


_COMPARE: dict[str, Callable[[Value, Value], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}


@record
class Compare(Node):
    op: str
    left: Node
    right: Node
    offset: int
    type: str = "bool"

    def eval(self, env: Env) -> Value:
        return _COMPARE[self.op](self.left.eval(env), self.right.eval(env))

    def source(self) -> str:
        return f"{_wrap(self.left, 5)} {self.op} {_wrap(self.right, 5)}"


def _precedence(node: Node) -> int:
    """How tightly a node binds, as the grammar below reads it: or 1, and 2, not 3,
    comparison 4, sum 5, minus sign 6, anything atomic 7."""
    if isinstance(node, BoolOp):
        return 1 if node.op == "or" else 2
    return {Not: 3, Compare: 4, Arith: 5, Neg: 6}.get(type(node), 7)


def _show(node: Node) -> str:
    """A node's source quoted for a message; a string literal already carries its quotes."""
    text = node.source()
    return text if isinstance(node, Literal) and node.type == "str" else repr(text)


def _wrap(node: Node, least: int) -> str:
    """`node`'s source, in parentheses when it binds less tightly than `least`, so that
    printing a tree and parsing it again gives the same tree (and messages never mislead)."""
    text = node.source()
    return f"({text})" if _precedence(node) < least else text


# ----------------------------------------------------------------------------- the parser


@record
class Condition:
    """A parsed, type-checked condition, ready to evaluate."""

    text: str
    tree: Node
    seen_ids: frozenset[str]
    names: frozenset[str]

    def holds(self, values: Mapping[str, Value], seen: Callable[[str], bool]) -> bool:
        return bool(self.tree.eval((values, seen)))


class _Parser:
    """Recursive descent over a token list, with an explicit depth budget.

    Grammar:  or := and ('or' and)* ; and := not ('and' not)* ; not := 'not' not | cmp ;
              cmp := sum (OP sum)? ; sum := unary (('+'|'-') unary)* ;
              unary := '-' unary | atom ; atom := NUM | STR | true | false | NAME
                     | seen '(' STR ')' | '(' or ')'
    """

    def __init__(self, tokens: list[Token], var_types: Mapping[str, str], scene_exists: Callable[[str], bool],
                 scene_ids: Optional[Collection[str]] = None):
        self.tokens = tokens
        self.pos = 0
        self.var_types = var_types
        self.scene_exists = scene_exists
        self.scene_ids = scene_ids
        self.depth = 0
        self.heights: dict[int, int] = {}
        self.seen_ids: set[str] = set()
        self.names: set[str] = set()

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def expect(self, text: str) -> Token:
        tok = self.peek()
        if tok.text != text or tok.kind not in ("op", "name"):
            found = "the end" if tok.kind == "end" else repr(tok.text)
            raise ConditionError("E301", f"expected {text!r} but found {found}", tok.offset)
        return self.take()

    def enter(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError("E301", f"condition is nested more than {MAX_DEPTH} levels deep", tok.offset)

    def leave(self) -> None:
        self.depth -= 1

    def grow(self, node: Node, *children: Node) -> Node:
        """Record `node`'s height and refuse trees deeper than `MAX_DEPTH`.

        Evaluating and printing a tree recurse through it, so a chain such as 60 `not`s inside
        each of 30 parentheses would overflow Python's stack at play time although every single
        level of the parser stayed within its budget. Bounding the height bounds all of that.
        """
        height = 1 + max(self.heights.get(id(c), 1) for c in children)
        if height > MAX_DEPTH:
            raise ConditionError("E301", f"condition is nested more than {MAX_DEPTH} levels deep", node.offset)
        self.heights[id(node)] = height
        return node

    # each level --------------------------------------------------------------

    def parse(self) -> Node:
        node = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            raise ConditionError("E301", f"unexpected {tok.text!r} after a complete condition", tok.offset)
        return node

    def or_(self) -> Node:
        self.enter(self.peek())
        first = self.and_()
        parts = [first]
        while self.peek().kind == "name" and self.peek().text == "or":
            self.take()
            parts.append(self.and_())
        self.leave()
        if len(parts) == 1:
            return first
        for p in parts:
            self.need(p, "bool", "'or'")
        return self.grow(BoolOp("or", tuple(parts), first.offset), *parts)

    def and_(self) -> Node:
        first = self.not_()
        parts = [first]
        while self.peek().kind == "name" and self.peek().text == "and":
            self.take()
            parts.append(self.not_())
        if len(parts) == 1:
            return first
        for p in parts:
            self.need(p, "bool", "'and'")
        return self.grow(BoolOp("and", tuple(parts), first.offset), *parts)

    def not_(self) -> Node:
        tok = self.peek()
        count = 0
        while tok.kind == "name" and tok.text == "not":
            self.take()
            count += 1
            if count > MAX_DEPTH:
                raise ConditionError("E301", f"condition is nested more than {MAX_DEPTH} levels deep", tok.offset)
            tok = self.peek()
        node = self.cmp()
        for _ in range(count):
            self.need(node, "bool", "'not'")
            node = self.grow(Not(node, node.offset), node)
        return node

    def cmp(self) -> Node:
        left = self.sum()
        tok = self.peek()
        if tok.kind == "op" and tok.text in _COMPARE:
            self.take()
            right = self.sum()
            if tok.text in ("==", "!="):
                if left.type != right.type:
                    raise ConditionError(
                        "E303", f"cannot compare {left.type} {_show(left)} with {right.type} {_show(right)}", tok.offset
                    )
            else:
                self.need(left, "int", repr(tok.text))
                self.need(right, "int", repr(tok.text))
            return self.grow(Compare(tok.text, left, right, left.offset), left, right)
        return left

    def sum(self) -> Node:
        left = self.unary()
        while self.peek().kind == "op" and self.peek().text in "+-":
            tok = self.take()
            right = self.unary()
            self.need(left, "int", repr(tok.text))
            self.need(right, "int", repr(tok.text))
            left = self.grow(Arith(tok.text, left, right, left.offset), left, right)
        return left

    def unary(self) -> Node:
        tok = self.peek()
        count = 0
        while tok.kind == "op" and tok.text == "-":
            self.take()
            count += 1
            if count > MAX_DEPTH:
                raise ConditionError("E301", f"condition is nested more than {MAX_DEPTH} levels deep", tok.offset)
            tok = self.peek()
        node = self.atom()
        for _ in range(count):
            self.need(node, "int", "'-'")
            node = self.grow(Neg(node, node.offset), node)
        return node

    def atom(self) -> Node:
        tok = self.take()
        if tok.kind == "num":
            return Literal(int(tok.text), "int", tok.offset)
        if tok.kind == "str":
            return Literal(tok.text[1:-1], "str", tok.offset)
        if tok.kind == "op" and tok.text == "(":
            self.enter(tok)
            node = self.or_()
            self.expect(")")
            self.leave()
            return node
        if tok.kind == "name":
            if tok.text in ("true", "false"):
                return Literal(tok.text == "true", "bool", tok.offset)
            if tok.text == "seen":
                self.expect("(")
                arg = self.take()
                if arg.kind != "str":
                    raise ConditionError("E301", "seen() takes a scene id in quotes, like seen('altman.fri.meet')", arg.offset)
                self.expect(")")
                scene = arg.text[1:-1]
                if not self.scene_exists(scene):
                    hint = did_you_mean(scene, self.scene_ids) if self.scene_ids is not None else ""
                    raise ConditionError("E304", f"seen() names unknown scene {scene!r}{hint}", arg.offset)
                self.seen_ids.add(scene)
                return Seen(scene, tok.offset)
            if tok.text in KEYWORDS:
                raise ConditionError("E301", f"{tok.text!r} cannot stand here", tok.offset)
            var_type = self.var_types.get(tok.text)
            if var_type is None:
                hint = did_you_mean(tok.text, self.var_types)
                raise ConditionError("E302", f"unknown variable {tok.text!r}{hint}", tok.offset)
            self.names.add(tok.text)
            return Name(tok.text, var_type, tok.offset)
        if tok.kind == "end":
            raise ConditionError("E301", "condition ends too early", tok.offset)
        raise ConditionError("E301", f"unexpected {tok.text!r}", tok.offset)

    def need(self, node: Node, type_: str, where: str) -> None:
        if node.type != type_:
            raise ConditionError(
                "E303", f"{where} needs {type_} but {_show(node)} is {node.type}", node.offset
            )


def parse_condition(
    text: str,
    var_types: Mapping[str, str],
    scene_exists: Callable[[str], bool] = lambda _s: True,
    scene_ids: Optional[Collection[str]] = None,
) -> Condition:
    """Parse and type-check `text`; the whole condition must be boolean. `scene_ids`, when
    given, lets an unknown scene in `seen()` come with a did-you-mean."""
    if not isinstance(text, str):
        raise ConditionError("E301", "condition must be a string")
    if len(text) > MAX_LENGTH:
        raise ConditionError("E301", f"condition is longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ConditionError("E301", "condition is empty")
    unquoted = _UNQUOTED_SEEN().search(text)
    if unquoted and not unquoted.group("id").isdigit():
        ident = unquoted.group("id")
        raise ConditionError("E301", f"seen() takes a scene id in quotes: seen('{ident}')", unquoted.start("id"))
    parser = _Parser(tokenize(text), var_types, scene_exists, scene_ids)
    tree = parser.parse()
    if tree.type != "bool":
        raise ConditionError("E303", f"condition must be true or false, but {_show(tree)} is {tree.type}", 0)
    return Condition(text, tree, frozenset(parser.seen_ids), frozenset(parser.names))


def parse_value(
    text: str,
    var_types: Mapping[str, str],
    scene_exists: Callable[[str], bool] = lambda _s: True,
) -> tuple[Node, frozenset[str], frozenset[str]]:
    """Parse and type-check an expression to print: an int or a bool, never a string.
    Returns the tree, the variables it reads and the scenes its `seen()` reads."""
    if len(text) > MAX_LENGTH:
        raise ConditionError("E301", f"expression is longer than {MAX_LENGTH} characters")
    parser = _Parser(tokenize(text), var_types, scene_exists)
    tree = parser.parse()
    if tree.type == "str":
        raise ConditionError("E303", f"{_show(tree)} is a string; print a variable, like loyalty", 0)
    return tree, frozenset(parser.names), frozenset(parser.seen_ids)


def suggestion(word: str, options: Iterable[str]) -> Optional[str]:
    """The option closest to `word`, when one is close enough to be a likely typo."""
    return _closest(word, frozenset(options))


_MAX_LANE = 255
"""Counts are kept one byte each: words this long at most are counted at once."""


@functools.lru_cache(maxsize=None)
def _at_most(n: int) -> bytes:
    """A table that turns each byte into itself or `n`, whichever is less. Made when first asked
    for: building all 256 at import cost more than the rest of the engine's import together."""
    return bytes(range(n)) + bytes((n,)) * (256 - n)


@functools.lru_cache(maxsize=4)
def _columns(options: frozenset[str]) -> tuple[list[str], list[int], dict[str, bytes]]:
    """The options in a fixed order, their lengths, and for each character a byte per option:
    how many times the option holds it (at most 255). Made once per set of options (a story's
    scene ids stay the same while its author types a goto)."""
    ordered = list(options)
    counts: dict[str, bytearray] = {}
    for i, option in enumerate(ordered):
        for char in set(option):
            column = counts.get(char)
            if column is None:
                column = counts[char] = bytearray(len(ordered))
            column[i] = min(option.count(char), _MAX_LANE)
    return ordered, [len(o) for o in ordered], {char: bytes(column) for char, column in counts.items()}


@functools.lru_cache(maxsize=16)
def _closest(word: str, options: frozenset[str], cutoff: float = 0.6) -> Optional[str]:
    """`difflib.get_close_matches(word, options, n=1, cutoff=cutoff)`, the same answer sooner.

    An editor checks the story at every keystroke, and a misspelt `goto` is looked up among
    every scene id (5,000 in a large story): difflib computes the full similarity of each.
    Here the cheap upper bound (`quick_ratio`) of each is computed first and the full ratio
    only in falling order of that bound, until the bound falls below the best ratio found;
    ties go to the greater option, as in difflib. Remembered: a typo stays while the author
    types elsewhere."""
    import difflib

    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    bounds: list[tuple[float, str]] = []
    if len(word) <= _MAX_LANE:
        # quick_ratio is 2 * (the characters the two have in common, counted with repeats) /
        # (both lengths): counted for every option at once, a character of the word at a time
        ordered, lengths, columns = _columns(options)
        common = 0
        for char in set(word):
            column = columns.get(char)
            if column is not None:
                common += int.from_bytes(column.translate(_at_most(word.count(char))), "little")
        shared = common.to_bytes(len(ordered), "little")
        for option, length, matches in zip(ordered, lengths, shared):
            total = length + len(word)
            bound = 2.0 * matches / total if total else 1.0
            if bound >= cutoff:
                bounds.append((bound, option))
    else:
        for option in options:
            total = len(option) + len(word)
            if total and 2.0 * min(len(option), len(word)) / total < cutoff:
                continue  # difflib's real_quick_ratio
            matcher.set_seq1(option)
            bound = matcher.quick_ratio()
            if bound >= cutoff:
                bounds.append((bound, option))
    bounds.sort(reverse=True)
    best: Optional[tuple[float, str]] = None
    for bound, option in bounds:
        if best is not None and bound < best[0]:
            break
        matcher.set_seq1(option)
        ratio = matcher.ratio()
        if ratio >= cutoff and (best is None or (ratio, option) > best):
            best = (ratio, option)
    return best[1] if best is not None else None


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix when one option is close enough, else ''."""
    match = suggestion(word, options)
    return f" (did you mean {match!r}?)" if match else ""
