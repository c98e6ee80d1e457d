"""`boardroom lsp`, driven by a real LSP client (pytest-lsp) as an editor drives it.

One server for the module, on a copy of the example story; each test opens the files it edits
and closes them again, so the story on disk is the same for every test.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path
from typing import Callable, Sequence

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types as t  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

EXAMPLE = Path(__file__).parent / "fixtures" / "example"
pytestmark = pytest.mark.asyncio(loop_scope="module")


PLAN = """\
[[test]]
name = "Rallying wins"
side = "alpha"
from = "alpha.start"

[[test.step]]
choose = ["rally"]
scene = "alpha.noon"
vars = { loyalty = 6 }
"""


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lsp") / "story"
    shutil.copytree(EXAMPLE, root)
    (root / "tests").mkdir(exist_ok=True)  # the example story has plans of its own
    (root / "tests" / "plans.toml").write_text(PLAN, encoding="utf-8")
    return root.resolve()


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=[sys.executable, "-m", "game", "lsp"]))
async def client(lsp_client: LanguageClient, story: Path):
    await lsp_client.initialize_session(t.InitializeParams(
        capabilities=client_capabilities("neovim"), root_uri=story.parent.as_uri()))
    yield
    await lsp_client.shutdown_session()


def uri(story: Path, name: str) -> str:
    return (story / name).as_uri()


def open_file(client: LanguageClient, story: Path, name: str, text: str | None = None) -> str:
    u = uri(story, name)
    client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(
        uri=u, language_id="toml", version=1, text=text if text is not None else (story / name).read_text())))
    return u


def type_text(client: LanguageClient, u: str, version: int, text: str) -> None:
    """Replace the whole buffer, unsaved, as an editor does on each key press."""
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        text_document=t.VersionedTextDocumentIdentifier(uri=u, version=version),
        content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)]))


async def diagnostics_until(client: LanguageClient, u: str,
                            ok: Callable[[Sequence[t.Diagnostic]], bool]) -> Sequence[t.Diagnostic]:
    async def wait() -> Sequence[t.Diagnostic]:
        while not (u in client.diagnostics and ok(client.diagnostics[u])):
            await client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        return client.diagnostics[u]

    return await asyncio.wait_for(wait(), 20)


def line_of(text: str, marker: str) -> int:
    return next(i for i, line in enumerate(text.split("\n")) if marker in line)


async def test_a_typo_is_underlined_as_you_type_in_every_file_it_breaks_and_cleared_when_fixed(
        client: LanguageClient, story: Path) -> None:
    alpha = (story / "alpha.toml").read_text()
    u = open_file(client, story, "alpha.toml")
    typo = alpha.replace('goto = "alpha.noon"', 'goto = "alpha.nono"', 1)
    type_text(client, u, 2, typo)
    (d,) = await diagnostics_until(client, u, lambda ds: any(x.code == "E104" for x in ds))
    assert d.message == "choice 'rally' goes to unknown scene 'alpha.nono' (did you mean 'alpha.noon'?)"
    assert d.severity == t.DiagnosticSeverity.Error and d.source == "boardroom"
    assert d.range.start.line == line_of(typo, "alpha.nono") and d.range.end.character == len('goto = "alpha.nono"')
    # the did-you-mean is a quick fix
    (fix,) = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=t.TextDocumentIdentifier(uri=u), range=d.range, context=t.CodeActionContext(diagnostics=[d])))
    (edit,) = fix.edit.changes[u]
    assert fix.title == "Change 'alpha.nono' to 'alpha.noon'" and edit.new_text == "alpha.noon"
    assert (edit.range.start.character, edit.range.end.character) == (len('goto = "'), len('goto = "alpha.nono'))

    type_text(client, u, 3, alpha)
    await diagnostics_until(client, u, lambda ds: not ds)

    # renaming a variable in story.toml breaks alpha.toml, which is not even open
    client.text_document_did_close(t.DidCloseTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=u)))
    side = (story / "story.toml").read_text()
    s = open_file(client, story, "story.toml")
    type_text(client, s, 2, side.replace("[var.loyalty]", "[var.loyal]"))
    found = await diagnostics_until(client, u, lambda ds: any(x.code == "E302" for x in ds))
    assert "unknown variable 'loyalty' (did you mean 'loyal'?)" in found[0].message
    type_text(client, s, 3, side)
    await diagnostics_until(client, u, lambda ds: not ds)
    client.text_document_did_close(t.DidCloseTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=s)))



async def test_a_goto_or_condition_changed_as_you_type_shows_what_it_breaks_in_other_files(
        client: LanguageClient, story: Path) -> None:
    """A choice led elsewhere breaks the documented path in history.toml, which is not even
    open; a condition mistyped is underlined with its did-you-mean; undoing clears both."""
    alpha = (story / "alpha.toml").read_text()
    u, h = open_file(client, story, "alpha.toml"), uri(story, "history.toml")
    await diagnostics_until(client, u, lambda ds: not ds)
    type_text(client, u, 2, alpha.replace('goto = "alpha.end.win"', 'goto = "alpha.end.leave"', 1))
    (d,) = await diagnostics_until(client, h, lambda ds: any(x.code == "E111" for x in ds))
    assert d.message == "documented path of 'alpha' ends at 'alpha.end.leave', which is not marked historical = true"
    typo = alpha.replace('if = "loyalty >= 7"', 'if = "loyalty >= 7 and signd"', 1)
    type_text(client, u, 3, typo)
    (d,) = await diagnostics_until(client, u, lambda ds: any(x.code == "E302" for x in ds))
    assert "unknown variable 'signd' (did you mean 'signed'?)" in d.message
    assert d.range.start.line == line_of(typo, "signd")
    await diagnostics_until(client, h, lambda ds: not ds)
    type_text(client, u, 4, alpha)
    await diagnostics_until(client, u, lambda ds: not ds)
    client.text_document_did_close(t.DidCloseTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=u)))

async def test_completion_definition_references_hover_and_symbols(client: LanguageClient, story: Path) -> None:
    alpha = (story / "alpha.toml").read_text()
    u = open_file(client, story, "alpha.toml")

    goto = line_of(alpha, 'goto = "alpha.noon"')
    items = await client.text_document_completion_async(t.CompletionParams(
        text_document=t.TextDocumentIdentifier(uri=u), position=t.Position(line=goto, character=len('goto = "al'))))
    labels = {i.label: i for i in items.items}
    assert {"alpha.start", "alpha.noon", "beta.start", "gamma.end.deal"} <= set(labels)
    assert labels["alpha.noon"].text_edit.range.start.character == len('goto = "')
    items = await client.text_document_completion_async(t.CompletionParams(
        text_document=t.TextDocumentIdentifier(uri=uri(story, "tests/plans.toml")),
        position=t.Position(line=line_of(PLAN, "scene = "), character=len('scene = "al'))))
    assert "alpha.noon" in {i.label for i in items.items}

    cond = line_of(alpha, 'if = "loyalty >= 7"')
    items = await client.text_document_completion_async(t.CompletionParams(
        text_document=t.TextDocumentIdentifier(uri=u), position=t.Position(line=cond, character=len('if = "lo'))))
    assert {"loyalty", "cohesion", "signed", "and", "not"} <= {i.label for i in items.items}

    # from the side's start in story.toml to the scene in alpha.toml
    side = (story / "story.toml").read_text()
    start = line_of(side, 'start = "alpha.start"')
    found = await client.text_document_definition_async(t.DefinitionParams(
        text_document=t.TextDocumentIdentifier(uri=uri(story, "story.toml")),
        position=t.Position(line=start, character=len('start = "al'))))
    assert [(f.uri, f.range.start.line) for f in found] == [(u, line_of(alpha, '[scene."alpha.start"]'))]

    refs = await client.text_document_references_async(t.ReferenceParams(
        text_document=t.TextDocumentIdentifier(uri=u), position=t.Position(line=cond, character=len('if = "lo')),
        context=t.ReferenceContext(include_declaration=True)))
    assert {Path(r.uri).name for r in refs} >= {"story.toml", "alpha.toml", "gamma.toml"}

    hover = await client.text_document_hover_async(t.HoverParams(
        text_document=t.TextDocumentIdentifier(uri=u), position=t.Position(line=cond, character=len('if = "lo'))))
    assert "**Staff loyalty** `loyalty`" in hover.contents.value and "0..10, starts at 5" in hover.contents.value
    hover = await client.text_document_hover_async(t.HoverParams(
        text_document=t.TextDocumentIdentifier(uri=u), position=t.Position(line=goto, character=len('goto = "al'))))
    assert hover.contents.value.startswith("**") and "alpha · Thu 16 Nov" in hover.contents.value

    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(
        text_document=t.TextDocumentIdentifier(uri=u)))
    assert [(s.name, s.kind) for s in symbols] == [
        ("alpha.start", t.SymbolKind.Class), ("alpha.noon", t.SymbolKind.Class),
        ("alpha.end.win", t.SymbolKind.Event), ("alpha.end.leave", t.SymbolKind.Event)]
    client.text_document_did_close(t.DidCloseTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=u)))


async def test_renaming_a_scene_edits_every_file_that_names_it(client: LanguageClient, story: Path) -> None:
    alpha = (story / "alpha.toml").read_text()
    u = open_file(client, story, "alpha.toml")
    head = line_of(alpha, '[scene."alpha.start"]')
    at = t.Position(line=head, character=len('[scene."al'))
    edit = await client.text_document_rename_async(t.RenameParams(
        text_document=t.TextDocumentIdentifier(uri=u), position=at, new_name="alpha.dawn"))
    files = {k[len(story.as_uri()) + 1:]: v for k, v in edit.changes.items()}
    assert set(files) == {"alpha.toml", "story.toml", "tests/plans.toml"}  # test plans name scenes too
    # the scene's table, its choices' tables, and seen('alpha.start') in a condition
    assert len(files["alpha.toml"]) == alpha.count("alpha.start")
    assert all(e.new_text == "alpha.dawn" for es in files.values() for e in es)
    with pytest.raises(Exception, match="already a scene"):
        await client.text_document_rename_async(t.RenameParams(
            text_document=t.TextDocumentIdentifier(uri=u), position=at, new_name="alpha.noon"))
    client.text_document_did_close(t.DidCloseTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=u)))
