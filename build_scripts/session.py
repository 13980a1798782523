"""One build's session: the vault index, the loaded data and the page being rendered, in one object.

The atlas plugin makes one in ``on_config`` and hands it explicitly to every wing and extension that
needs it: the figures extension and the ```datatable fence (figures/), the ```calculator fence
(runtime/). The Obsidian extensions share the ``ObsidianSession`` it holds, whose page stack is the one
record of which note is being rendered (an embed renders inside its page's render).

Without the plugin (Zensical, plain Python-Markdown) an extension makes its own session: the figures
extension over its ``data_dir`` (figures/sources.py), which it tells the page Zensical renders; the
calculator fence then uses the figures extension's session, or else one over the facts the package carries.

Nothing here is kept in a module global or on a Markdown instance: a build's state lives in its session.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

import yaml

from atlas_mkdocs.data import AtlasData, export_json, load_data
from atlas_mkdocs.engine.catalogue import Catalogue
from atlas_mkdocs.obsidian.lines import fence_line, first_line_of
from atlas_mkdocs.obsidian.paths import VaultPath
from atlas_mkdocs.obsidian.session import ObsidianSession, PageContext
from atlas_mkdocs.obsidian.vault import VaultIndex

#: The plugin's logger: MkDocs counts its warnings, so `mkdocs build --strict` fails on them.
log = logging.getLogger("mkdocs.plugins.atlas")


class BuildSession:
    """What one build knows: the vault (through the Obsidian session), the data, the page being rendered."""

    def __init__(self, obsidian: ObsidianSession | None = None, data_dir: Path | None = None) -> None:
        #: The Obsidian extensions' session: the vault index, the notes' texts, their URLs, the page stack.
        self.obsidian = obsidian if obsidian is not None else ObsidianSession()
        #: The folder the facts are read from (the project's data/, or the facts the package carries).
        self.data_dir = data_dir
        #: The validated facts, loaded once per build (``load_data``).
        self.data: AtlasData | None = None
        self._data_json: str | None = None

    @property
    def index(self) -> VaultIndex | None:
        """The vault index (None until the plugin has indexed the vault, or standalone)."""
        return self.obsidian.index

    # -- the data ---------------------------------------------------------------------------------

    def load_data(self, max_age_days: int | None = None, *, own: bool = False,
                  kept: AtlasData | None = None) -> AtlasData:
        """Validate the facts of ``data_dir`` (raises DataError naming every problem); stale prices are
        reported at info level, and so are the warnings of facts not the project's ``own`` (the plugin's,
        dated by its release: not the project's to fix). ``kept``: the facts a live preview validated
        from the same files at its last build, taken as they are (their notices said again)."""
        if kept is not None:
            self.data, self._data_json = kept, None
        else:
            self._read(max_age_days)
        for warning in self.data.warnings:
            (log.warning if own else log.info)(f"atlas: {warning}")
        for notice in self.data.stale:
            (log.info if own else log.debug)(f"atlas: {notice}")
        return self.data

    @property
    def data_json(self) -> str:
        """The validated facts as the JSON the browser's engine loads (and the engine's catalogue)."""
        if self._data_json is None:
            self._data_json = export_json(self.facts())
        return self._data_json

    def facts(self) -> AtlasData:
        """Give back the validated facts, reading them on first use (raises DataError)."""
        return self.data if self.data is not None else self._read(None)

    def _read(self, max_age_days: int | None) -> AtlasData:
        self.data, self._data_json = load_data(self.data_dir, max_age_days=max_age_days), None
        return self.data

    @property
    def catalogue(self) -> Catalogue:
        """The engine's facts (GPUs, model shapes, prices), passed to every engine call as an argument;
        read on first use where the plugin has not loaded them (Zensical, plain Python-Markdown)."""
        return self.facts().catalogue

    # -- the page being rendered -------------------------------------------------------------------

    @property
    def page(self) -> PageContext:
        """The page being rendered (an embed's blocks are told the page that embeds them)."""
        return self.obsidian.page

    @property
    def note(self) -> PageContext:
        """The note whose text is being rendered: the page, or inside an embed the embedded note (whose
        front matter names the figures its text uses)."""
        return self.obsidian.current

    def begin_page(self, path: str | None, source: str | None) -> None:
        """Make ``path`` (whose full text, front matter included, is ``source``) the page being rendered."""
        note = VaultPath(path) if path else None
        self.obsidian.begin_page(PageContext(note=note, page=note, source=source))

    def where_fence(self, fence_name: str, block_source: str) -> str:
        """Give back "note.md, line N: " for the ``fence_name`` fence holding ``block_source`` ("" standalone)."""
        return self._where(fence_line(self.page.source, fence_name, block_source))

    def where_text(self, *spellings: str) -> str:
        """Give back "note.md, line N: " for the first line of the page holding any of ``spellings``."""
        return self._where(first_line_of(self.page.source, *spellings))

    def _where(self, line: int | None) -> str:
        path = self.page.note
        if not path:
            return ""
        return f"{path}, line {line}: " if line is not None else f"{path}: "


class BlockYAMLError(ValueError):
    """A fenced block (calculator, datatable) whose text is not YAML; the message says where and what."""


def read_block(source: str) -> object:
    """Give back the YAML a fenced block holds (an empty block: {}), or raise BlockYAMLError saying
    "not valid YAML at line N of the block: what is wrong"."""
    try:
        return yaml.safe_load(source) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1} of the block" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise BlockYAMLError(f"not valid YAML{where}: {problem}") from None


def block_error(kind: str, where: str, problem: str) -> str:
    """Report a ``kind`` block (calculator, datatable) that cannot be rendered and give back the box
    that takes its place: Material's "failure" admonition, saying what is wrong.

    One malformed block must neither take the rest of a site down nor pass unnoticed: the reader sees what
    is wrong where the block stood, the author reads the same in the build's log, and `mkdocs build
    --strict` (which fails on any warning) is how an author asks the build to stop for it. ``where`` is
    "note.md, line N: " (or empty outside the plugin); ``problem`` says what is wrong and, where there is
    one, the fix.
    """
    log.warning("%s%s", where, problem)
    return (f'<div class="admonition failure atlas-block-error" role="alert">'
            f'<p class="admonition-title">This {html.escape(kind)} block could not be shown</p>'
            f"<p>{html.escape(where + problem, quote=False)}</p></div>")
