"""The condition language: whatever an author types, the parser answers with a ConditionError or a
condition that evaluates like the expression it reads as — never a crash, never a RecursionError."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.rules import MAX_DEPTH, MAX_LENGTH, ConditionError, parse_condition

VARS = {"loyalty": "int", "pressure": "int", "signed": "bool", "quit": "bool"}
SCENES = {"a.start", "a.noon"}


def parse(text: str):
    return parse_condition(text, VARS, SCENES.__contains__)


def error(text: str) -> ConditionError:
    with pytest.raises(ConditionError) as info:
        parse(text)
    return info.value


# ----------------------------------------------------------------------------- never anything but ConditionError

TOKENS = ["loyalty", "pressure", "signed", "quit", "nobody", "true", "false", "not", "and", "or", "seen",
          "(", ")", ",", "+", "-", "==", "!=", "<", "<=", ">", ">=", "0", "3", "10", "99999999999999999999",
          "'a.start'", "'a.gone'", '"x"', "'", '"', "=", "!", "&&", "||", ".", "[", "]", "\\", "é", "\t", "\n"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_arbitrary_text_gives_a_condition_or_a_condition_error(text: str) -> None:
    try:
        condition = parse(text)
    except ConditionError as exc:
        assert exc.code in ("E301", "E302", "E303", "E304") and exc.message
        assert 0 <= exc.offset <= len(text)
        return
    assert isinstance(condition.holds({"loyalty": 1, "pressure": 2, "signed": True, "quit": False},
                                      lambda s: False), bool)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40))
def test_token_soup_gives_a_condition_or_a_condition_error(tokens: list[str]) -> None:
    text = " ".join(tokens)
    try:
        condition = parse(text)
    except ConditionError as exc:
        assert exc.code in ("E301", "E302", "E303", "E304")
        assert 0 <= exc.offset <= len(text)
        return
    values = {"loyalty": 4, "pressure": 0, "signed": False, "quit": True}
    assert condition.holds(values, SCENES.__contains__) in (True, False)


@pytest.mark.parametrize("text", [
    "(" * 5000 + "signed" + ")" * 5000,                       # too long
    "(" * 900 + "signed" + ")" * 900,                         # within the length limit, far too deep
    "not " * 450 + "signed",
    "-" * 1500 + "loyalty > 0",
    "+".join(["1"] * 900) + " > 0",                           # a sum whose tree is 900 deep
    "".join("(" + "-" * 60 for _ in range(30)) + "loyalty" + ")" * 30 + " > 0",
    "".join("(" + "not " * 12 for _ in range(30)) + "signed" + ")" * 30,
    "".join("(" + "-" * 60 for _ in range(30)) + "loyalty" + ")" * 30 + " and signed",  # a type error, deep down
])
def test_deep_nesting_is_an_error_not_a_recursion_error(text: str) -> None:
    exc = error(text)
    assert exc.code in ("E301", "E303")
    assert "nested" in exc.message or "longer than" in exc.message


def test_nesting_within_the_limit_parses_and_evaluates() -> None:
    depth = MAX_DEPTH // 4
    condition = parse("(" * depth + "loyalty >= 3" + ")" * depth)
    assert condition.holds({"loyalty": 3, "pressure": 0, "signed": False, "quit": False}, lambda s: False)


def test_length_limit() -> None:
    assert "longer than" in error("signed or " * (MAX_LENGTH // 10) + "signed").message


# ----------------------------------------------------------------------------- evaluation agrees with the reading

INT_VARS = ["loyalty", "pressure"]
BOOL_VARS = ["signed", "quit"]


def ints() -> st.SearchStrategy[tuple[str, str]]:
    """(condition text, Python text) pairs of integer expressions."""
    leaf = st.one_of(st.sampled_from(INT_VARS).map(lambda n: (n, n)),
                     st.integers(0, 12).map(lambda i: (str(i), str(i))))
    return st.recursive(leaf, lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-"]), inner).map(
            lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})", f"({t[0][1]} {t[1]} {t[2][1]})")),
        inner.map(lambda t: (f"-{t[0]}", f"(-{t[1]})")),
    ), max_leaves=6)


def bools() -> st.SearchStrategy[tuple[str, str]]:
    compare = st.tuples(ints(), st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), ints()).map(
        lambda t: (f"{t[0][0]} {t[1]} {t[2][0]}", f"({t[0][1]} {t[1]} {t[2][1]})"))
    leaf = st.one_of(
        st.sampled_from(BOOL_VARS).map(lambda n: (n, n)),
        st.sampled_from(["true", "false"]).map(lambda b: (b, b.capitalize())),
        st.sampled_from(sorted(SCENES)).map(lambda s: (f"seen('{s}')", f"({s!r} in seen)")),
        compare,
    )
    return st.recursive(leaf, lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
            lambda t: (f"({t[0][0]} {t[1]} {t[2][0]})", f"({t[0][1]} {t[1]} {t[2][1]})")),
        inner.map(lambda t: (f"not {t[0]}", f"(not {t[1]})")),
        st.tuples(inner, st.sampled_from(["==", "!="]), inner).map(
            lambda t: (f"({t[0][0]}) {t[1]} ({t[2][0]})", f"({t[0][1]} {t[1]} {t[2][1]})")),
    ), max_leaves=8)


@settings(max_examples=300, deadline=None)
@given(bools(), st.integers(0, 10), st.integers(0, 10), st.booleans(), st.booleans(),
       st.frozensets(st.sampled_from(sorted(SCENES))))
def test_evaluation_agrees_with_the_expression_it_reads_as(pair: tuple[str, str], loyalty: int, pressure: int,
                                                            signed: bool, quit_: bool, seen: frozenset[str]) -> None:
    text, python = pair
    try:
        condition = parse(text)
    except ConditionError as exc:
        # only nesting can refuse a well-typed expression
        assert "nested" in exc.message, (text, exc.message)
        return
    env = {"loyalty": loyalty, "pressure": pressure, "signed": signed, "quit": quit_, "seen": seen}
    expected = bool(eval(python, {"__builtins__": {}}, env))  # the test's reference, on generated code only
    values = {k: v for k, v in env.items() if k != "seen"}
    assert condition.holds(values, seen.__contains__) is expected, (text, python)
    # what the parser prints reads back as the same condition
    again = parse(condition.tree.source())
    assert again.holds(values, seen.__contains__) is expected


# ----------------------------------------------------------------------------- static checks, one by one


def test_what_a_condition_reads() -> None:
    c = parse("loyalty >= 3 and not seen('a.noon') or signed")
    assert c.names == {"loyalty", "signed"} and c.seen_ids == {"a.noon"}


@pytest.mark.parametrize("text, code, words, offset", [
    ("loyalty and 3", "E303", "'and' needs bool but 'loyalty' is int", 0),
    ("signed + 1 > 0", "E303", "'+' needs int but 'signed' is bool", 0),
    ("loyalty == signed", "E303", "cannot compare int 'loyalty' with bool 'signed'", 8),
    ("loyalty", "E303", "condition must be true or false, but 'loyalty' is int", 0),
    ("not loyalty", "E303", "'not' needs bool", 4),
    ("loyalty > 'high'", "E303", "'>' needs int but 'high' is str", 10),
    ("loyal >= 3", "E302", "unknown variable 'loyal' (did you mean 'loyalty'?)", 0),
    ("seen('a.nooon')", "E304", "seen() names unknown scene 'a.nooon'", 5),
    ("seen(loyalty)", "E301", "seen() takes a scene id in quotes", 5),
    ("loyalty >= ", "E301", "condition ends too early", 11),
    ("loyalty >= 3 3", "E301", "unexpected '3' after a complete condition", 13),
    ("(loyalty >= 3", "E301", "expected ')' but found the end", 13),
    ("loyalty => 3", "E301", "write '>=' instead of '=>' (at column 9)", 8),
    ("loyalty >= 3 && signed", "E301", "write 'and' instead of '&&' (at column 14)", 13),
    ("loyalty = 3", "E301", "write '==' to compare; a single '=' is not a comparison (at column 9)", 8),
    ("signed || loyalty > 3", "E301", "write 'or' instead of '||' (at column 8)", 7),
    ("!signed", "E301", "write 'not' instead of '!' (at column 1)", 0),
    ("seen(altman.fri.meet)", "E301", "seen() takes a scene id in quotes: seen('altman.fri.meet')", 5),
    ("'unterminated", "E301", "unterminated string starting at column 1", 0),
    ("", "E301", "condition is empty", 0),
    ("and", "E301", "'and' cannot stand here", 0),
])
def test_each_mistake_has_its_code_message_and_place(text: str, code: str, words: str, offset: int) -> None:
    exc = error(text)
    assert exc.code == code and words in exc.message, exc.message
    assert exc.offset == offset


def test_conditions_evaluate_without_eval() -> None:
    c = parse("(loyalty + pressure) - 2 >= 5 and not quit")
    assert c.holds({"loyalty": 4, "pressure": 3, "signed": False, "quit": False}, lambda s: False)
    assert not c.holds({"loyalty": 4, "pressure": 2, "signed": False, "quit": False}, lambda s: False)
    assert not c.holds({"loyalty": 9, "pressure": 9, "signed": False, "quit": True}, lambda s: False)


# ----------------------------------------------------------------------------- did you mean

IDS = st.text(alphabet="ab.l0123s-", max_size=12)


@settings(max_examples=300, deadline=None)
@given(word=IDS, options=st.lists(IDS, max_size=40))
def test_the_suggestion_is_difflibs_closest_match(word: str, options: list[str]) -> None:
    """A typo's did-you-mean is found among every scene id of the story on each keystroke, so
    it is computed faster than difflib does; it must name the very option difflib names."""
    import difflib

    from game.engine.rules import suggestion

    expected = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    assert suggestion(word, options) == (expected[0] if expected else None)
    assert suggestion(word, set(options)) == (expected[0] if expected else None)  # asked again: remembered


def test_the_suggestion_breaks_ties_as_difflib_does() -> None:
    """Two options equally close: difflib names the greater one, whichever bound is higher."""
    from game.engine.rules import suggestion

    assert suggestion("ccabc", ["bacab", "bca", "accbb", "cba"]) == "bacab"
