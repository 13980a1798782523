"""Options of the Material workarounds (``material:`` under ``atlas`` in mkdocs.yml), each on by default."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class MaterialConfig(base.Config):
    """Which workarounds for Material for MkDocs a build uses; each can be turned off on its own."""

    #: Render each navigation subtree once per build instead of once per page (material/nav_cache.py):
    #: false gives Material's own navigation macro, whose time grows with the square of the notes.
    nav_cache = c.Type(bool, default=True)
    #: On a page with a calculator, hold Material's search worker back until the calculator's runtime is
    #: up (material/search_gate.py): false lets search index as the page opens, beside the runtime.
    search_gate = c.Type(bool, default=True)
    #: Hold what Material's search leaves out (embeds, "Linked from") aside while it reads each page
    #: (material/search_excluded.py): false lets search read it all, as Material does, to skip it.
    search_excluded = c.Type(bool, default=True)
