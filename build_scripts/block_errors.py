"""A block that cannot be rendered: a visible box in its place, and a warning naming the note and line.

One malformed calculator or data table must neither take the rest of a site down nor pass unnoticed: the
reader sees what is wrong where the block stood, the author reads the same in the build's log, and
`mkdocs build --strict` (which fails on any warning) is how an author asks the build to stop for it.
"""

from __future__ import annotations

import html
import logging

#: The plugin's logger: MkDocs counts its warnings, so `mkdocs build --strict` fails on them.
log = logging.getLogger("mkdocs.plugins.atlas")


def block_error(kind: str, where: str, problem: str) -> str:
    """Report a ``kind`` block (calculator, datatable) that cannot be rendered and give back the box
    that takes its place: Material's "failure" admonition, saying what is wrong.

    ``where`` is "note.md, line N: " (or empty outside the plugin); ``problem`` says what is wrong and,
    where there is one, the fix.
    """
    log.warning("%s%s", where, problem)
    return (f'<div class="admonition failure atlas-block-error" role="alert">'
            f'<p class="admonition-title">This {html.escape(kind)} block could not be shown</p>'
            f"<p>{html.escape(where + problem, quote=False)}</p></div>")
