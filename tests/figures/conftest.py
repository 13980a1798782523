"""Render Markdown as the site does, with the figures extension and the datatable fence."""

from __future__ import annotations

import markdown
import pytest

from atlas_mkdocs.figures.tables import format_datatable
from atlas_mkdocs.session import BuildSession
from tests.helpers import ROOT

#: The build session the renders share, as the plugin's pages do: data/ is read once for every test.
SESSION = BuildSession(data_dir=ROOT / "data")
EXTENSIONS = ["tables", "pymdownx.inlinehilite", "atlas_mkdocs.figures", "pymdownx.superfences"]
CONFIGS = {"atlas_mkdocs.figures": {"session": SESSION},
           "pymdownx.superfences": {"custom_fences": [
               {"name": "datatable", "class": "datatable", "format": format_datatable}]}}


def render(text: str, note: str | None = "Note.md", source: str | None = None) -> str:
    """Give back the HTML of ``text`` rendered as the note ``note`` (whose full text is ``source``)."""
    if note is None:
        forget_the_note()
    else:
        SESSION.begin_page(note, text if source is None else source)
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS).convert(text)


def forget_the_note() -> None:
    """Render as outside any note: messages then name the block alone."""
    SESSION.begin_page(None, None)


@pytest.fixture(autouse=True)
def _forget_the_note():
    yield
    forget_the_note()
