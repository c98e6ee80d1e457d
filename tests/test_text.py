"""Text that follows the player: passages, values, labels and choice outcomes, in every front end."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine import choose, load_story, new_state, view
from game.engine.rules import ConditionError
from game.engine.state import State
from game.engine.text import TextError, compile_text
from game.transcript import transcript

EXAMPLE = Path(__file__).parent / "fixtures" / "example"
TYPES = {"loyalty": "int", "signed": "bool"}
LABELS = {"loyalty": "Staff loyalty", "signed": "Letter signed"}


def render(text: str, **values: object) -> str:
    env = {"loyalty": 5, "signed": False, **values}
    return compile_text(text, TYPES, LABELS).render(env, lambda s: s == "x.seen")


@pytest.fixture(scope="module")
def story():
    return load_story(EXAMPLE)


def play(story, side: str, *choices: str) -> State:
    state = new_state(story, side)
    for c in choices:
        state = choose(story, state, c)
    return state


def test_passages_pick_the_first_branch_that_holds() -> None:
    text = "A{if loyalty > 6}high{elif signed}signed{elif seen('x.seen')}seen{else}low{end}B"
    assert render(text, loyalty=7) == "AhighB"
    assert render(text, signed=True) == "AsignedB"
    assert render(text) == "AseenB"
    assert render("{if loyalty > 6}x{end}y") == "y"


def test_values_labels_and_literal_braces() -> None:
    assert render("{label loyalty}: {= loyalty}, {label signed}: {= signed}", signed=True) == "Staff loyalty: 5, Letter signed: yes"
    assert render("{= 10 - loyalty} left") == "5 left"
    assert render("{{not a tag}} and a lone } stays") == "{not a tag} and a lone } stays"
    assert render("[bold] stays [/] prose") == "[bold] stays [/] prose"


def test_nested_passages() -> None:
    text = "{if loyalty > 3}a{if signed}b{else}c{end}d{end}"
    assert render(text, signed=True) == "abd" and render(text) == "acd" and render(text, loyalty=1) == ""


def test_a_block_tag_alone_on_its_line_leaves_no_blank_line() -> None:
    text = "First.\n{if signed}\n\nSigned.\n{else}\n\nNot signed.\n{end}\n\nLast."
    assert render(text, signed=True) == "First.\n\nSigned.\n\nLast."
    assert render(text) == "First.\n\nNot signed.\n\nLast."
    # a passage that shows nothing closes up: no gap, no double space
    assert render("One.\n\n{if signed}Two.{end}\n\nThree.") == "One.\n\nThree."
    assert render("One. {if signed}Two.{end} Three.") == "One. Three."


@pytest.mark.parametrize("text, code, at, words", [
    ("a {b} c", "E310", 2, "unknown tag {b}"),
    ("a { b", "E310", 2, "write {{ for a literal brace"),
    ("{if signed}x", "E311", 0, "never closed"),
    ("x{end}", "E311", 1, "{end} without an {if}"),
    ("{if signed}x{else}y{elif signed}z{end}", "E311", 19, "{elif} after {else}"),
    ("{if signed}x{else}y{else}z{end}", "E311", 19, "a second {else}"),
    ("{if loyalty}x{end}", "E303", 4, "condition must be true or false"),
    ("{if  loyal > 3}x{end}", "E302", 5, "unknown variable 'loyal' (did you mean 'loyalty'?)"),
    ("ab{= loyal}", "E302", 5, "unknown variable 'loyal'"),
    ("{label loyal}", "E302", 7, "unknown variable 'loyal'"),
    ("{if loyalty >= }x{end}", "E301", 14, "ends too early"),
])
def test_errors_carry_a_code_and_the_offset_of_the_offending_character(text: str, code: str, at: int, words: str) -> None:
    with pytest.raises((TextError, ConditionError)) as info:
        compile_text(text, TYPES, LABELS)
    exc = info.value
    assert exc.code == code and words in exc.message and exc.offset == at, (exc.code, exc.message, exc.offset)


def test_the_outcome_opens_the_next_scene_with_the_values_after_the_choice(story) -> None:
    v = view(story, play(story, "alpha", "rally"))
    assert v.outcome == "The staff cheer. Staff loyalty stands at 8."
    assert v.text == "The call comes at noon."
    assert view(story, play(story, "alpha", "wait")).outcome == "Nobody notices you waiting."
    assert view(story, new_state(story, "alpha")).outcome == ""


def test_a_consequence_two_scenes_later_and_a_headline_that_follows(story) -> None:
    waited = view(story, play(story, "alpha", "wait", "accept"))
    assert waited.text == ("You leave. Someone has drawn {braces} on the whiteboard.\n\n"
                           "Nobody on the staff says goodbye: you waited too long that morning.")
    rallied = view(story, play(story, "alpha", "rally", "accept"))
    assert "Nobody on the staff" not in rallied.text and "A few of the staff walk you to the lift." in rallied.text
    assert view(story, play(story, "alpha", "rally")).headline == "Staff rally behind the chief"
    assert view(story, play(story, "alpha", "wait")).headline == "The chief stands alone"


def test_choice_labels_follow_the_state(story) -> None:
    labels = lambda state: [c.text for c in view(story, state).choices]  # noqa: E731
    assert labels(new_state(story, "gamma")) == ["Answer it.", "Let it ring."]
    assert labels(play(story, "gamma", "ignore")) == ["Answer it.", "Let it ring again."]
    assert view(story, play(story, "gamma", "ignore")).text == "The phone rings. It has rung 2 times now."


def test_seen_in_text_is_a_read_the_state_remembers(story) -> None:
    assert "gamma.start" in story.observed_seen
    assert view(story, play(story, "gamma", "ignore", "answer")).text == "You make a deal. It took a few rings."


def test_transcripts_tell_each_scene_as_it_read_then(story) -> None:
    state = play(story, "alpha", "wait", "accept")
    text = transcript(story, state)
    assert "    What if: Nobody notices you waiting.\n\nThe call comes at noon." in text
    assert "Nobody on the staff says goodbye" in text and "{if" not in text
    md = transcript(story, state, "markdown")
    assert "> What if: Nobody notices you waiting.\n\nThe call comes at noon." in md
    ring = transcript(story, play(story, "gamma", "ignore", "ignore", "answer"))
    # the label as the player read it at each step: plain the first time, "again" after
    assert ring.index("» You chose: Let it ring.") < ring.index("» You chose: Let it ring again.")


def test_render_is_compiled_once_and_plain_text_is_free(story) -> None:
    scene = story.scenes["alpha.start"]
    assert scene.body.plain == scene.text
    leave = story.scenes["alpha.end.leave"]
    assert leave.body.plain is None and leave.body.passages == 1


def test_the_story_cache_keeps_passages_and_refuses_a_tampered_text(story) -> None:
    import json

    from game.engine.codec import CodecError, decode_story, encode_story

    data = json.loads(json.dumps(encode_story(story, [])))
    back, _ = decode_story(data, story.root, story.fingerprint)
    state = play(back, "alpha", "wait", "accept")
    assert view(back, state).text == view(story, play(story, "alpha", "wait", "accept")).text
    raw = json.dumps(data).replace("{if loyalty < 5}", "{if loyalty <}")
    with pytest.raises(CodecError):
        decode_story(json.loads(raw), story.root, story.fingerprint)


def test_an_outcome_off_the_documented_path_says_it_is_a_what_if() -> None:
    """The outcome sits under the next scene's badge; a documented scene must not vouch for an invention."""
    from game.engine import load_story, new_state, choose, view
    from game.format import outcome_text
    from pathlib import Path
    story = load_story(Path(__file__).resolve().parent.parent / "story")
    start = new_state(story, "altman")
    on_record = view(story, choose(story, start, "veil"))
    off_record = view(story, choose(story, start, "hedge"))
    assert on_record.outcome and outcome_text(on_record) == on_record.outcome
    assert off_record.provenance == on_record.provenance == "reported"
    assert outcome_text(off_record) == "What if: " + off_record.outcome
