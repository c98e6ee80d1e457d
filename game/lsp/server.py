"""`boardroom lsp`: the language server editors start for story files, over stdin/stdout.

This module only translates between the Language Server Protocol (pygls, lsprotocol) and
`Project`, which answers in plain values. Checking runs on a worker thread, so a long
check of a large story never holds up completion or hover; a check whose result a newer
edit has made stale is not published. A keystroke that changed only words is checked at
once (the quick check); any other edit waits for a pause in typing (the debounce).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
from pathlib import Path
from typing import Optional
from urllib.parse import unquote, urlparse

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer

from game.lsp.project import Item, Location, Project, find_root, quick_fix

DEBOUNCE_SECONDS = 0.08
"""The longest typing must pause before the whole story is checked again. The pause is as long
as the last full check took, at most this: an edit within it replaces the check for nothing,
while a check started at once would be stale by then. A keystroke that may be checked
quickly (see `Project.quick`) is checked at once."""

SETTLE_SECONDS = 1.0
"""After quick checks, how long typing must pause before a full one, which also reads the
files on disk (another program may have changed them)."""

ITEM_KINDS = {
    "scene": t.CompletionItemKind.Reference,
    "ending": t.CompletionItemKind.Event,
    "var": t.CompletionItemKind.Variable,
    "source": t.CompletionItemKind.File,
    "side": t.CompletionItemKind.Class,
    "value": t.CompletionItemKind.EnumMember,
    "keyword": t.CompletionItemKind.Keyword,
}


def uri_to_path(uri: str) -> Path:
    return Path(unquote(urlparse(uri).path)).resolve()


class StoryServer(LanguageServer):
    """The server, with the story folders it has seen and what it last published for each file."""

    def __init__(self, story: Optional[Path] = None) -> None:
        from game.cli import version

        super().__init__("boardroom", version(), text_document_sync_kind=t.TextDocumentSyncKind.Incremental)
        self.forced_root = story.resolve() if story is not None else None
        self.projects: dict[Path, Project] = {}
        self.uris: dict[Path, str] = {}
        self.published: dict[Path, list[t.Diagnostic]] = {}
        self.pending: dict[Path, asyncio.Task[None]] = {}
        self.generation: dict[Path, int] = {}

    def project(self, path: Path) -> Optional[Project]:
        root = self.forced_root if self.forced_root is not None and path.is_relative_to(self.forced_root) \
            else find_root(path)
        if root is None:
            return None
        if root not in self.projects:
            self.projects[root] = Project(root)
        return self.projects[root]

    def uri(self, path: Path) -> str:
        return self.uris.get(path) or path.as_uri()

    def lines(self, path: Path, project: Project) -> list[str]:
        return project.text(path).split("\n")

    def to_client(self, lines: list[str], line: int, col: int) -> t.Position:
        return self.workspace.position_codec.position_to_client_units(lines, t.Position(line=line, character=col))

    def from_client(self, lines: list[str], pos: t.Position) -> int:
        if pos.line >= len(lines):
            return 0
        return self.workspace.position_codec.position_from_client_units(lines, pos).character

    def range(self, project: Project, path: Path, line: int, start: int, end: int) -> t.Range:
        lines = self.lines(path, project)
        return t.Range(start=self.to_client(lines, line, start), end=self.to_client(lines, line, end))

    def location(self, project: Project, loc: Location) -> t.Location:
        return t.Location(uri=self.uri(loc.path), range=self.range(project, loc.path, loc.line, loc.start, loc.end))

    def cursor(self, uri: str, pos: t.Position) -> Optional[tuple[Project, Path, int, int]]:
        path = uri_to_path(uri)
        project = self.project(path)
        if project is None:
            return None
        return project, path, pos.line, self.from_client(self.lines(path, project), pos)

    # ------------------------------------------------------------------ diagnostics

    def schedule(self, project: Project, delay: float = DEBOUNCE_SECONDS, quick: bool = False) -> None:
        """Check the story after `delay`, first trying the quick check when `quick`; a newer
        schedule replaces one still waiting."""
        self.generation[project.root] = self.generation.get(project.root, 0) + 1
        old = self.pending.get(project.root)
        if old is not None and not old.done() and old is not asyncio.current_task():
            old.cancel()
        self.pending[project.root] = asyncio.get_running_loop().create_task(self.check_later(project, delay, quick))

    def typed(self, project: Project) -> None:
        """An edit of a buffer: checked at once when it may be checked quickly, else after a pause."""
        self.schedule(project, 0 if project.may_be_quick() else min(DEBOUNCE_SECONDS, project.took), quick=True)

    async def check_later(self, project: Project, delay: float, quick: bool = False) -> None:
        await asyncio.sleep(delay)
        generation = self.generation.get(project.root)
        loop = asyncio.get_running_loop()
        found = await loop.run_in_executor(None, project.quick) if quick else None
        settle = found is not None
        if found is None:
            found = await loop.run_in_executor(None, project.check)
        # What the check keeps (every file's parse) lives as long as the server: take it out of
        # the cyclic collector's reach, or each full collection would walk the whole story.
        gc.freeze()
        if generation != self.generation.get(project.root):
            return  # a newer edit has scheduled another check
        self.publish(project, found)
        if settle:
            self.schedule(project, SETTLE_SECONDS)

    def publish(self, project: Project, found: dict[Path, list]) -> None:
        for path in set(found) | {p for p in self.published if p.is_relative_to(project.root)}:
            items = []
            for d, start, end in found.get(path, []):
                items.append(t.Diagnostic(
                    range=self.range(project, path, d.line - 1, start, end),
                    message=d.message,
                    severity=t.DiagnosticSeverity.Error if d.severity == "error" else t.DiagnosticSeverity.Warning,
                    code=d.code,
                    source="boardroom",
                ))
            if items == self.published.get(path, []) and path in self.published:
                continue
            if not items and path not in self.published:
                continue
            self.published[path] = items
            self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=self.uri(path), diagnostics=items))


def build_server(story: Optional[Path] = None) -> StoryServer:
    server = StoryServer(story)

    def opened(uri: str, text: Optional[str]) -> Optional[Project]:
        path = uri_to_path(uri)
        project = server.project(path)
        if project is None:
            return None
        server.uris[path] = uri
        if text is None:
            project.buffers.pop(path, None)
        else:
            project.buffers[path] = text
        return project

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: StoryServer, params: t.DidOpenTextDocumentParams) -> None:
        project = opened(params.text_document.uri, params.text_document.text)
        if project is not None:
            ls.schedule(project, 0)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: StoryServer, params: t.DidChangeTextDocumentParams) -> None:
        doc = ls.workspace.get_text_document(params.text_document.uri)
        project = opened(params.text_document.uri, doc.source)
        if project is not None:
            ls.typed(project)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: StoryServer, params: t.DidSaveTextDocumentParams) -> None:
        project = server.project(uri_to_path(params.text_document.uri))
        if project is not None:
            ls.schedule(project, 0)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: StoryServer, params: t.DidCloseTextDocumentParams) -> None:
        project = opened(params.text_document.uri, None)
        if project is not None:
            ls.schedule(project)

    @server.feature(t.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: StoryServer, params: t.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            project = server.project(uri_to_path(change.uri))
            if project is not None:
                ls.schedule(project)

    @server.feature(t.TEXT_DOCUMENT_COMPLETION,
                    t.CompletionOptions(trigger_characters=['"', "'", "(", " ", "{", "."]))
    def completion(ls: StoryServer, params: t.CompletionParams) -> Optional[t.CompletionList]:
        at = ls.cursor(params.text_document.uri, params.position)
        if at is None:
            return None
        project, path, line, col = at
        items = project.complete(path, line, col)
        return t.CompletionList(is_incomplete=False, items=[completion_item(ls, project, path, line, i) for i in items])

    @server.feature(t.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: StoryServer, params: t.DefinitionParams) -> Optional[list[t.Location]]:
        at = ls.cursor(params.text_document.uri, params.position)
        if at is None:
            return None
        project, path, line, col = at
        return [ls.location(project, loc) for loc in project.definition(path, line, col)] or None

    @server.feature(t.TEXT_DOCUMENT_REFERENCES)
    def references(ls: StoryServer, params: t.ReferenceParams) -> Optional[list[t.Location]]:
        at = ls.cursor(params.text_document.uri, params.position)
        if at is None:
            return None
        project, path, line, col = at
        found = project.references(path, line, col, params.context.include_declaration)
        return [ls.location(project, loc) for loc in found] or None

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    def hover(ls: StoryServer, params: t.HoverParams) -> Optional[t.Hover]:
        at = ls.cursor(params.text_document.uri, params.position)
        if at is None:
            return None
        project, path, line, col = at
        found = project.hover(path, line, col)
        if found is None:
            return None
        text, occ = found
        return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=text),
                       range=ls.range(project, path, occ.line, occ.start, occ.end))

    @server.feature(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    def symbols(ls: StoryServer, params: t.DocumentSymbolParams) -> Optional[list[t.DocumentSymbol]]:
        path = uri_to_path(params.text_document.uri)
        project = ls.project(path)
        if project is None:
            return None
        lines = ls.lines(path, project)
        out = []
        for s in project.symbols(path):
            whole = t.Range(start=ls.to_client(lines, s.line, 0),
                            end=ls.to_client(lines, s.end_line, len(lines[s.end_line]) if s.end_line < len(lines) else 0))
            out.append(t.DocumentSymbol(
                name=s.name, detail=("ending: " if s.ending else "") + s.detail,
                kind=t.SymbolKind.Event if s.ending else t.SymbolKind.Class,
                range=whole, selection_range=ls.range(project, path, s.line, s.start, s.end)))
        return out

    @server.feature(t.TEXT_DOCUMENT_CODE_ACTION, t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix]))
    def code_action(ls: StoryServer, params: t.CodeActionParams) -> Optional[list[t.CodeAction]]:
        path = uri_to_path(params.text_document.uri)
        project = ls.project(path)
        if project is None:
            return None
        lines = ls.lines(path, project)
        actions = []
        for d in params.context.diagnostics:
            line = d.range.start.line
            if d.source != "boardroom" or line >= len(lines):
                continue
            fix = quick_fix(lines[line], line, ls.from_client(lines, d.range.start), str(d.code or ""), d.message)
            if fix is None:
                continue
            edit = t.TextEdit(range=ls.range(project, path, fix.line, fix.start, fix.end), new_text=fix.text)
            actions.append(t.CodeAction(title=fix.title, kind=t.CodeActionKind.QuickFix, diagnostics=[d],
                                        is_preferred=True, edit=t.WorkspaceEdit(changes={params.text_document.uri: [edit]})))
        return actions or None

    @server.feature(t.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: StoryServer, params: t.PrepareRenameParams) -> Optional[t.Range]:
        at = ls.cursor(params.text_document.uri, params.position)
        if at is None:
            return None
        project, path, line, col = at
        occ = project.prepare_rename(path, line, col)
        return None if occ is None else ls.range(project, path, occ.line, occ.start, occ.end)

    @server.feature(t.TEXT_DOCUMENT_RENAME)
    def rename(ls: StoryServer, params: t.RenameParams) -> Optional[t.WorkspaceEdit]:
        at = ls.cursor(params.text_document.uri, params.position)
        if at is None:
            return None
        project, path, line, col = at
        try:
            edits = project.rename(path, line, col, params.new_name)
        except ValueError as exc:
            from pygls.exceptions import JsonRpcInvalidParams

            raise JsonRpcInvalidParams(str(exc)) from exc
        return t.WorkspaceEdit(changes={
            ls.uri(p): [t.TextEdit(range=ls.range(project, p, loc.line, loc.start, loc.end), new_text=new)
                        for loc, new in found]
            for p, found in edits.items()})

    return server


def completion_item(ls: StoryServer, project: Project, path: Path, line: int, item: Item) -> t.CompletionItem:
    return t.CompletionItem(
        label=item.label,
        kind=ITEM_KINDS.get(item.kind),
        detail=item.detail or None,
        documentation=item.documentation or None,
        text_edit=t.TextEdit(range=ls.range(project, path, line, item.start, item.end), new_text=item.label),
        filter_text=item.label,
    )


def main(args: argparse.Namespace) -> int:
    story = getattr(args, "lsp_story", None)
    server = build_server(Path(story) if story else None)
    server.start_io()
    return 0
