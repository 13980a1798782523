"""Render Markdown as the site does, with the figures extension and the datatable fence."""

from __future__ import annotations

import markdown
import pytest

from atlas_mkdocs.note_context import set_current_note
from atlas_mkdocs.figures.tables import format_datatable

EXTENSIONS = ["tables", "pymdownx.inlinehilite", "atlas_mkdocs.figures", "pymdownx.superfences"]
CONFIGS = {"pymdownx.superfences": {"custom_fences": [
    {"name": "datatable", "class": "datatable", "format": format_datatable}]}}


def render(text: str, note: str | None = "Note.md", source: str | None = None) -> str:
    """Give back the HTML of ``text`` rendered as the note ``note`` (whose full text is ``source``)."""
    if note is None:
        set_current_note("", "")
    else:
        set_current_note(note, text if source is None else source)
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS).convert(text)


@pytest.fixture(autouse=True)
def _forget_the_note():
    yield
    set_current_note("", "")
