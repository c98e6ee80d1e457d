"""The compiled story cache: the game plays exactly the story on disk, from source or from cache.

A cache that is truncated, tampered with, written for another story, of the wrong types,
not a regular file, or someone else's is never used: the story is compiled again from its
files and the cache rewritten. The cached path imports neither tomli nor pydantic.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

from game import story_cache
from game.engine.codec import CodecError, decode_story, encode_story
from game.engine.load import compile_story
from game.story_cache import cache_files, cached_story, load_story_cached

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "tests" / "fixtures" / "example"


@pytest.fixture
def story_dir(tmp_path: Path) -> Path:
    root = tmp_path / "story"
    shutil.copytree(EXAMPLE, root)
    return root


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BOARDROOM_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every compile from source the cache falls back to, by story folder."""
    import game.engine.load as load

    calls: list[Path] = []
    real = load.compile_story

    def counting(root: Any) -> Any:
        calls.append(Path(root))
        return real(root)

    monkeypatch.setattr(load, "compile_story", counting)
    return calls


def only_cache_file(folder: Path) -> Path:
    (path,) = cache_files(folder)
    return path


def rewrite(path: Path, change: Callable[[Any], None]) -> None:
    """Change the payload and make the header agree with it (its hash and length), as a
    careful forger would: only the decoder's own checks stand between it and the game."""
    header, _, payload = path.read_bytes().partition(b"\n")
    head = json.loads(header)
    data = json.loads(payload)
    change(data)
    body = json.dumps(data, separators=(",", ":")).encode("ascii")  # as the game writes it
    head.update(blake2b=hashlib.blake2b(body, digest_size=32).hexdigest(), bytes=len(body))
    path.write_bytes(json.dumps(head).encode() + b"\n" + body)


# ----------------------------------------------------------------------------- the round trip


@pytest.mark.parametrize("root", [EXAMPLE, REPO / "story"], ids=["example", "shipped"])
def test_a_decoded_story_is_the_compiled_story(root: Path) -> None:
    story, diagnostics = compile_story(root)
    assert story is not None
    data = json.loads(json.dumps(encode_story(story, diagnostics)))
    assert decode_story(data, story.root, story.fingerprint) == (story, diagnostics)


def test_a_decoded_story_keeps_one_copy_of_each_repeated_text() -> None:
    """JSON gives every value its own string; the story repeats itself (a scene's text is its
    template's source, a file's path is on every scene and choice it defines, a scene's id on
    every choice leading there), and a decoded story holds each of those once, as the loader's does."""
    story, diagnostics = compile_story(REPO / "story")
    assert story is not None
    data = json.loads(json.dumps(encode_story(story, diagnostics)))
    decoded, _ = decode_story(data, story.root, story.fingerprint)
    files: dict[str, str] = {}
    for sid, scene in decoded.scenes.items():
        assert scene.body.source is scene.text and scene.news.source is scene.headline
        assert files.setdefault(scene.file, scene.file) is scene.file
        assert decoded.scenes[sid].id is next(k for k in decoded.scenes if k == sid)
        for choice in scene.choices:
            assert choice.label.source is choice.text
            assert choice.goto is decoded.scenes[choice.goto].id
            assert files.setdefault(choice.file, choice.file) is choice.file
    plain = [t for scene in decoded.scenes.values() for t in (scene.body, scene.news) if t.plain is not None]
    assert plain and len({id(t.names) for t in plain} | {id(t.seen_ids) for t in plain}) == 1


def test_the_second_load_comes_from_the_cache_and_equals_the_source(story_dir: Path, cache: Path,
                                                                     compiles: list[Path]) -> None:
    first, _ = load_story_cached(story_dir)
    assert compiles == [story_dir] and len(cache_files(cache)) == 1
    second, _ = load_story_cached(story_dir)
    assert compiles == [story_dir]  # no second compile
    assert second == first == compile_story(story_dir)[0]


def test_text_in_any_script_comes_back_from_the_cache_as_written(story_dir: Path, cache: Path,
                                                                compiles: list[Path]) -> None:
    """The cache is ASCII, every other character escaped (a single emoji would otherwise make
    the whole payload slow to read); what comes back is the text as the story has it, and a
    payload that is not ASCII is not one the game wrote."""
    words = "Sam Altman — 🫡 “OpenAI” 深陷权利的游戏 é\u00a0ü"
    path = story_dir / "alpha.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Rally the staff.", f"{words} Rally the staff."),
                    encoding="utf-8")
    first, _ = load_story_cached(story_dir)
    assert first is not None
    assert any(words in text for scene in first.scenes.values() for text in (scene.text, *(c.text for c in scene.choices)))
    payload = only_cache_file(cache).read_bytes().partition(b"\n")[2]
    assert payload.isascii()
    second, _ = load_story_cached(story_dir)
    assert compiles == [story_dir] and second == first
    cached = only_cache_file(cache)
    header, _, body = cached.read_bytes().partition(b"\n")
    body = body.replace(b"\\ud83e\\udee1", "🫡".encode())  # the same JSON, the emoji unescaped
    assert json.loads(body) == json.loads(payload)
    head = json.loads(header)
    head.update(blake2b=hashlib.blake2b(body, digest_size=32).hexdigest(), bytes=len(body))
    cached.write_bytes(json.dumps(head).encode() + b"\n" + body)
    third, _ = load_story_cached(story_dir)
    assert third == first and compiles == [story_dir, story_dir]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_story_file_that_links_inside_its_folder_is_hashed_where_it_leads(story_dir: Path, cache: Path,
                                                                             compiles: list[Path]) -> None:
    """The cache hashes a linked file under the name it resolves to, as the loader does: the
    compiled story is cached and read back, and renaming what the link leads to is a change."""
    from game.engine.files import story_digest

    (story_dir / "parts").mkdir()
    (story_dir / "gamma.toml").rename(story_dir / "parts" / "gamma.data")
    (story_dir / "gamma.toml").symlink_to(story_dir / "parts" / "gamma.data")
    digest = story_digest(story_dir)
    first, _ = load_story_cached(story_dir)
    assert first is not None and digest is not None and first.fingerprint == compile_story(story_dir)[0].fingerprint
    assert load_story_cached(story_dir)[0] == first and compiles == [story_dir]
    (story_dir / "parts" / "gamma.data").rename(story_dir / "parts" / "gamma.text")
    (story_dir / "gamma.toml").unlink()
    (story_dir / "gamma.toml").symlink_to(story_dir / "parts" / "gamma.text")
    assert story_digest(story_dir) != digest
    assert load_story_cached(story_dir)[0] is not None and len(compiles) == 2


def test_the_cached_path_imports_neither_tomli_nor_pydantic_nor_openssl(story_dir: Path, cache: Path) -> None:
    code = (
        "import sys\n"
        "from game.story_cache import load_story_cached\n"
        f"story, _ = load_story_cached({str(story_dir)!r})\n"
        "print(story.title, sorted(m for m in ('tomli', 'pydantic', 'tomllib', '_hashlib') if m in sys.modules))\n"
    )

    def run() -> str:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "BOARDROOM_CACHE_DIR": str(cache)})
        return out.stdout.strip()

    assert run() == "The Example ['_hashlib', 'pydantic', 'tomli']"  # the first load compiles
    assert run() == "The Example []"  # nor hashlib, which loads OpenSSL: the cache's digests are BLAKE2b


def test_an_edited_story_is_compiled_again_and_never_played_from_the_old_cache(
        story_dir: Path, cache: Path, compiles: list[Path]) -> None:
    load_story_cached(story_dir)
    text = (story_dir / "story.toml").read_text(encoding="utf-8")
    (story_dir / "story.toml").write_text(text.replace('title = "The Example"', 'title = "The Edit"'),
                                          encoding="utf-8")
    story, _ = load_story_cached(story_dir)
    assert story is not None and story.title == "The Edit" and len(compiles) == 2
    assert story.fingerprint == compile_story(story_dir)[0].fingerprint


def test_a_story_with_errors_is_never_cached(story_dir: Path, cache: Path) -> None:
    (story_dir / "broken.toml").write_text('[scene."x"]\nside = "alpha"\n', encoding="utf-8")
    story, diagnostics = load_story_cached(story_dir)
    assert story is None and any(d.severity == "error" for d in diagnostics)
    assert cache_files(cache) == []


def test_a_story_edited_while_it_compiles_is_not_cached_as_the_files_before(
        story_dir: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache files a compiled story under the digest of the files the compiler read: an
    edit saved between the hashing and the compile leaves nothing cached, and the next start
    compiles the edit."""
    import game.engine.load as load

    real = load.compile_story

    def edited_meanwhile(root: Any) -> Any:
        path = story_dir / "story.toml"
        path.write_text(path.read_text(encoding="utf-8").replace('title = "The Example"', 'title = "The Edit"'),
                        encoding="utf-8")
        return real(root)

    monkeypatch.setattr(load, "compile_story", edited_meanwhile)
    story, _ = load_story_cached(story_dir)
    assert story is not None and story.title == "The Edit" and cache_files(cache) == []
    monkeypatch.setattr(load, "compile_story", real)
    story, _ = load_story_cached(story_dir)
    assert story is not None and story.title == "The Edit" and len(cache_files(cache)) == 1
    assert load_story_cached(story_dir)[0] == story


# ----------------------------------------------------------------------------- never trusted


def corrupt_truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def corrupt_flip_a_title(path: Path) -> None:
    data = path.read_bytes()
    assert b"The Example" in data
    path.write_bytes(data.replace(b"The Example", b"The Forgery"))


def corrupt_empty(path: Path) -> None:
    path.write_bytes(b"")


def corrupt_garbage(path: Path) -> None:
    path.write_bytes(b"\x00\xff garbage \n {not json")


def corrupt_header_only(path: Path) -> None:
    path.write_bytes(path.read_bytes().partition(b"\n")[0])


def corrupt_fingerprint(path: Path) -> None:
    """The header names another story's fingerprint; the payload is untouched."""
    header, _, payload = path.read_bytes().partition(b"\n")
    head = json.loads(header)
    head["fingerprint"] = "0123456789abcdef"
    path.write_bytes(json.dumps(head).encode() + b"\n" + payload)


def corrupt_no_fingerprint(path: Path) -> None:
    header, _, payload = path.read_bytes().partition(b"\n")
    head = json.loads(header)
    del head["fingerprint"]
    path.write_bytes(json.dumps(head).encode() + b"\n" + payload)


@pytest.mark.parametrize("corrupt", [corrupt_truncate, corrupt_flip_a_title, corrupt_empty, corrupt_garbage,
                                     corrupt_header_only, corrupt_fingerprint, corrupt_no_fingerprint])
def test_a_damaged_cache_is_rebuilt_and_never_used(story_dir: Path, cache: Path, compiles: list[Path],
                                                   corrupt: Callable[[Path], None]) -> None:
    load_story_cached(story_dir)
    path = only_cache_file(cache)
    good = path.read_bytes()
    corrupt(path)
    story, _ = load_story_cached(story_dir)
    assert story == compile_story(story_dir)[0] and story is not None and story.title == "The Example"
    assert len(compiles) == 2  # compiled again from source
    assert path.read_bytes() == good  # and the cache rewritten whole


@pytest.mark.parametrize("corrupt", [corrupt_truncate, corrupt_flip_a_title, corrupt_header_only])
def test_the_cache_alone_gives_the_story_only_when_every_check_passes(story_dir: Path, cache: Path,
                                                                     compiles: list[Path],
                                                                     corrupt: Callable[[Path], None]) -> None:
    """`cached_story` (what `boardroom` reads before its first frame) never compiles or writes:
    nothing cached, a damaged cache or an edited story all give None."""
    assert cached_story(story_dir) is None and cache_files(cache) == [] and compiles == []
    load_story_cached(story_dir)
    story = cached_story(story_dir)
    assert story is not None and story == compile_story(story_dir)[0]
    path = only_cache_file(cache)
    corrupt(path)
    damaged = path.read_bytes()
    assert cached_story(story_dir) is None and path.read_bytes() == damaged and len(compiles) == 1
    load_story_cached(story_dir)  # rebuilt
    (story_dir / "story.toml").write_text((story_dir / "story.toml").read_text() + "\n")
    assert cached_story(story_dir) is None


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds a descriptor's file through /proc")
def test_a_cache_or_story_file_that_grows_while_read_is_not_believed(story_dir: Path, cache: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file is read to the size it had when opened, and a byte more: a file longer than
    that was written to meanwhile, and what was read of it is not trusted."""
    from game.engine.files import story_digest

    load_story_cached(story_dir)
    assert cached_story(story_dir) is not None and story_digest(story_dir) is not None
    real = os.fstat
    grows: list[str] = []

    def smaller(fd: int) -> os.stat_result:
        st = real(fd)
        if not any(os.readlink(f"/proc/self/fd/{fd}").endswith(end) for end in grows):
            return st
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid,
                               st.st_size - 1, st.st_atime, st.st_mtime, st.st_ctime))

    monkeypatch.setattr(os, "fstat", smaller)
    grows.append(".json")  # the cache file
    assert story_digest(story_dir) is not None and cached_story(story_dir) is None
    grows[:] = ["story.toml"]
    assert story_digest(story_dir) is None and cached_story(story_dir) is None


def ix(cls_name: str, field: str) -> int:
    """Where `field` sits in an encoded `cls_name` (dataclasses are encoded as lists, in field order)."""
    import game.engine.story as story_module
    from game.engine.codec import _CODEC

    return [name for name, _ in _CODEC.fields(getattr(story_module, cls_name))].index(field)


def var(d: Any, name: str) -> list[Any]:
    return d["story"][ix("Story", "vars")][name]


def choice(d: Any, scene: str, i: int) -> list[Any]:
    return d["story"][ix("Story", "scenes")][scene][ix("Scene", "choices")][i]


def text(d: Any, value: str) -> int:
    """`value` added to the payload's string table: its number, where a string goes."""
    d["strings"].append(value)
    return len(d["strings"]) - 1


@pytest.mark.parametrize("change", [
    pytest.param(lambda d: d["story"].__setitem__(ix("Story", "title"), "The Forgery"),
                 id="a title written out, not numbered"),
    pytest.param(lambda d: d["story"].__setitem__(ix("Story", "title"), len(d["strings"])),
                 id="a title numbered past the string table"),
    pytest.param(lambda d: d["story"].__setitem__(ix("Story", "title"), True), id="a title numbered by a bool"),
    pytest.param(lambda d: d["strings"].append(42), id="a string table holding a number"),
    pytest.param(lambda d: var(d, "loyalty").__setitem__(ix("Var", "min"), "0"), id="a min that is a string"),
    pytest.param(lambda d: var(d, "loyalty").__setitem__(ix("Var", "min"), True), id="a min that is a bool"),
    pytest.param(lambda d: var(d, "loyalty").__setitem__(ix("Var", "start"), 99), id="a start out of range"),
    pytest.param(lambda d: var(d, "loyalty").pop(), id="a variable with a field missing"),
    pytest.param(lambda d: choice(d, "alpha.start", 0).__setitem__(ix("Choice", "goto"), text(d, "nowhere")),
                 id="a goto to nowhere"),
    pytest.param(lambda d: choice(d, "alpha.noon", 1).__setitem__(ix("Choice", "condition"), text(d, "loyalty +")),
                 id="a broken condition"),
    pytest.param(lambda d: choice(d, "alpha.noon", 1).__setitem__(ix("Choice", "condition"),
                                                                  text(d, "__import__('os')")),
                 id="code instead of a condition"),
    pytest.param(lambda d: d["story"][ix("Story", "scenes")]["alpha.start"].__setitem__(ix("Scene", "at"), "yesterday"),
                 id="a time that is not one"),
    pytest.param(lambda d: d.__setitem__("extra", 1), id="an extra key"),
    pytest.param(lambda d: d["story"].__setitem__(ix("Story", "id"), ["example"]), id="an id that is a list"),
])
def test_a_cache_that_decodes_to_wrong_types_is_rejected(story_dir: Path, cache: Path, compiles: list[Path],
                                                         change: Callable[[Any], None]) -> None:
    load_story_cached(story_dir)
    path = only_cache_file(cache)
    rewrite(path, lambda d: None)
    assert load_story_cached(story_dir)[0] is not None and len(compiles) == 1  # a faithful rewrite is read
    rewrite(path, change)
    story, _ = load_story_cached(story_dir)
    assert story == compile_story(story_dir)[0]
    assert len(compiles) == 2


def test_a_cached_story_decodes_each_scene_when_it_is_first_read(story_dir: Path, cache: Path,
                                                                compiles: list[Path]) -> None:
    """The first frame needs one scene of hundreds: the others are decoded, and checked, when
    the game first reads them. The story is the compiled story all the same."""
    from game.engine.codec import ScenesOnRead

    compiled = compile_story(story_dir)[0]
    assert compiled is not None
    load_story_cached(story_dir)
    story, _ = load_story_cached(story_dir)
    assert story is not None and len(compiles) == 1
    scenes = story.scenes
    assert isinstance(scenes, ScenesOnRead) and scenes.read == 0
    assert list(scenes) == list(compiled.scenes) and len(scenes) == len(compiled.scenes) > 3
    assert "alpha.start" in scenes and "nowhere" not in scenes and scenes.read == 0
    assert scenes["alpha.start"] == compiled.scenes["alpha.start"] and scenes.read == 1
    assert scenes["alpha.start"] is scenes["alpha.start"] and scenes.read == 1
    with pytest.raises(KeyError):
        scenes["nowhere"]
    assert scenes.get("nowhere") is None
    assert story == compiled and scenes.read == len(compiled.scenes)
    assert dict(scenes.items()) == dict(compiled.scenes.items())


def test_a_forged_scene_is_never_played_it_comes_from_the_story_files(story_dir: Path, cache: Path,
                                                                    compiles: list[Path]) -> None:
    """A scene that fails its checks when first read (its cache file consistent, digests and
    all): the game takes the scenes from the story compiled from its files from then on, and
    rewrites the cache from them."""
    compiled = compile_story(story_dir)[0]
    assert compiled is not None
    load_story_cached(story_dir)
    path = only_cache_file(cache)
    good = path.read_bytes()
    rewrite(path, lambda d: choice(d, "alpha.noon", 1).__setitem__(ix("Choice", "condition"),
                                                                    text(d, "__import__('os')")))
    story, _ = load_story_cached(story_dir)
    assert story is not None and len(compiles) == 1  # the story's own fields pass
    assert story.scenes["alpha.start"] == compiled.scenes["alpha.start"] and len(compiles) == 1
    noon = story.scenes["alpha.noon"]
    assert noon == compiled.scenes["alpha.noon"] and len(compiles) == 2
    assert noon.choices[1].condition is not None and noon.choices[1].condition.text != "__import__('os')"
    assert story == compiled and len(compiles) == 2
    assert path.read_bytes() == good  # rewritten from source
    again, _ = load_story_cached(story_dir)
    assert again == compiled and len(compiles) == 2


def test_a_forged_scene_read_after_the_story_files_changed_says_so(story_dir: Path, cache: Path,
                                                                 compiles: list[Path]) -> None:
    from game.engine.codec import CodecError

    load_story_cached(story_dir)
    rewrite(only_cache_file(cache), lambda d: choice(d, "alpha.noon", 1).__setitem__(
        ix("Choice", "condition"), text(d, "loyalty +")))
    story, _ = load_story_cached(story_dir)
    assert story is not None
    path = story_dir / "story.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('title = "The Example"', 'title = "The Edit"'),
                    encoding="utf-8")
    with pytest.raises(CodecError, match="has changed since the game started"):
        story.scenes["alpha.noon"]


FORGED_THEN_EDITED = '''
import sys
from pathlib import Path
from game.controller.settings import Settings
from game.story_cache import load_story_cached
from game.tui.app import BoardroomApp

story_dir, home = Path(sys.argv[1]), Path(sys.argv[2])
story = load_story_cached(story_dir)[0]
path = story_dir / "story.toml"  # an edit saved while the game runs
path.write_text(path.read_text(encoding="utf-8").replace('title = "The Example"', 'title = "The Edit"'), encoding="utf-8")


async def play(pilot):
    await pilot.pause(0.3)
    await pilot.press("1")  # to "alpha.noon", the scene the cache file lies about
    await pilot.pause(0.5)
    if pilot.app.return_code is None:  # still running: nothing stopped it
        pilot.app.exit()


app = BoardroomApp(story_dir, home / "saves", config=home / "config", settings=Settings(typewriter=False),
                   side="alpha", story=story)
app.run(headless=True, size=(100, 30), auto_pilot=play)
sys.exit(app.return_code or 0)
'''


@pytest.mark.parametrize("folder", ["story", "a [red]story[blink]"], ids=["plain", "markup in its name"])
def test_a_forged_scene_read_after_an_edit_stops_the_game_with_a_line_not_a_traceback(
        story_dir: Path, cache: Path, tmp_path: Path, folder: str) -> None:
    """The one case the story files cannot stand in for a scene the cache lies about: they were
    edited since the game started. The game stops, saying so in a line (the folder's name as it
    is, never read as markup)."""
    story_dir = story_dir.rename(tmp_path / folder) if folder != story_dir.name else story_dir
    load_story_cached(story_dir)
    rewrite(only_cache_file(cache), lambda d: choice(d, "alpha.noon", 1).__setitem__(
        ix("Choice", "condition"), text(d, "loyalty +")))
    out = subprocess.run([sys.executable, "-c", FORGED_THEN_EDITED, str(story_dir), str(tmp_path)],
                         capture_output=True, text=True, timeout=120, env={**os.environ, "BOARDROOM_CACHE_DIR": str(cache)})
    said = " ".join((out.stdout + out.stderr).split())  # as one line, however the terminal wrapped it
    assert out.returncode == 1, said
    assert "has changed since the game started: start the game again" in said and "Traceback" not in said, said
    assert " ".join(folder.split()) in said


def test_a_consistent_forgery_of_another_story_is_refused(story_dir: Path, tmp_path: Path, cache: Path,
                                                        compiles: list[Path]) -> None:
    other = tmp_path / "other"
    shutil.copytree(EXAMPLE, other)
    (other / "story.toml").write_text((other / "story.toml").read_text(encoding="utf-8").replace(
        'title = "The Example"', 'title = "Another story"'), encoding="utf-8")
    load_story_cached(other)
    foreign = only_cache_file(cache)
    load_story_cached(story_dir)
    mine = next(p for p in cache_files(cache) if p != foreign)
    # another story's cache under this story's name: its header names another key and digest
    shutil.copyfile(foreign, mine)
    story, _ = load_story_cached(story_dir)
    assert story is not None and story.title == "The Example" and len(compiles) == 3
    # and with the header made to agree, the payload still carries the other story's fingerprint
    header, _, payload = foreign.read_bytes().partition(b"\n")
    head = json.loads(header)
    head.update(json.loads(mine.read_bytes().partition(b"\n")[0]))
    head.update(blake2b=hashlib.blake2b(payload, digest_size=32).hexdigest(), bytes=len(payload))
    mine.write_bytes(json.dumps(head).encode() + b"\n" + payload)
    story, _ = load_story_cached(story_dir)
    assert story is not None and story.title == "The Example" and len(compiles) == 4


def test_a_cache_from_another_compiler_version_is_not_read(story_dir: Path, cache: Path, compiles: list[Path],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    load_story_cached(story_dir)
    monkeypatch.setattr(story_cache, "_signature", "an older compiler")
    load_story_cached(story_dir)
    assert len(compiles) == 2 and len(cache_files(cache)) == 2


def test_editing_an_engine_source_file_changes_the_compiler_signature(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout whose engine was edited never reads a cache the older compiler wrote: the
    signature follows each engine file's size and modification time, as a `.pyc` its source."""
    engine = tmp_path / "game" / "engine"
    shutil.copytree(Path(story_cache.__file__).parent / "engine", engine,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(story_cache, "__file__", str(tmp_path / "game" / "story_cache.py"))

    def signature() -> str:
        monkeypatch.setattr(story_cache, "_signature", None)
        return story_cache.compiler_signature()

    first = signature()
    assert signature() == first
    rules = engine / "rules.py"
    rules.write_text(rules.read_text() + "\n")  # one more byte
    second = signature()
    assert second != first
    stat = rules.stat()
    os.utime(rules, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # the same size, saved again
    assert signature() not in (first, second)


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file ownership is a POSIX notion")
def test_a_cache_others_may_write_is_not_believed(story_dir: Path, cache: Path, compiles: list[Path]) -> None:
    load_story_cached(story_dir)
    path = only_cache_file(cache)
    path.chmod(0o666)
    load_story_cached(story_dir)
    assert len(compiles) == 2


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_cache_file_that_is_a_link_or_a_folder_is_not_read(story_dir: Path, tmp_path: Path, cache: Path,
                                                             compiles: list[Path]) -> None:
    load_story_cached(story_dir)
    path = only_cache_file(cache)
    elsewhere = tmp_path / "elsewhere.json"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    load_story_cached(story_dir)
    assert len(compiles) == 2 and not path.is_symlink()  # replaced by a real file
    path.unlink()
    path.mkdir()
    story, _ = load_story_cached(story_dir)
    assert story is not None and len(compiles) == 3


def test_an_unwritable_cache_folder_still_plays(story_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("BOARDROOM_CACHE_DIR", str(blocker / "cache"))
    story, _ = load_story_cached(story_dir)
    assert story == compile_story(story_dir)[0]


def test_old_cache_files_are_pruned(story_dir: Path, cache: Path) -> None:
    story_file = story_dir / "story.toml"
    text = story_file.read_text(encoding="utf-8")
    for i in range(story_cache.KEEP + 3):
        story_file.write_text(text.replace('title = "The Example"', f'title = "Edit {i}"'), encoding="utf-8")
        load_story_cached(story_dir)
    assert len(cache_files(cache)) == story_cache.KEEP


def test_check_and_explore_compile_from_source_and_leave_the_cache_alone(story_dir: Path, cache: Path) -> None:
    env = {**os.environ, "BOARDROOM_CACHE_DIR": str(cache)}
    for args in (["check", str(story_dir)], ["explore", "--story", str(story_dir), "--allow-unreached"]):
        out = subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, env=env,
                             timeout=120)
        assert out.returncode == 0, out.stdout + out.stderr
    assert not cache.exists()


def test_decode_refuses_what_is_not_a_story() -> None:
    for data in (None, [], {"story": [], "diagnostics": [], "strings": []},
                 {"story": "x", "diagnostics": [], "strings": []}, {"story": [], "diagnostics": []}):
        with pytest.raises(CodecError):
            decode_story(data, "story", "0" * 16)
