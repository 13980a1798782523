"""Options of the Material workarounds (``material:`` under ``atlas`` in mkdocs.yml), each on by default."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

#: The navigation window's size when ``nav_window: true`` is written (and by default).
DEFAULT_NAV_WINDOW = 40


class _WindowSize(c.Type):
    """A number of notes (a whole number, 1 or more), true for the default, or 0 or false for none."""

    def __init__(self) -> None:
        super().__init__((bool, int), default=DEFAULT_NAV_WINDOW)

    def run_validation(self, value: object) -> int:
        value = super().run_validation(value)
        if value is True:
            return DEFAULT_NAV_WINDOW
        if value < 0:
            raise base.ValidationError(
                f"nav_window is the number of notes a long folder shows around the page; got {value}. "
                f"Write a number such as {DEFAULT_NAV_WINDOW}, or 0 or false to show every note.")
        return int(value)


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
    #: A folder of more notes than this shows this many in the navigation, around the current page, and a
    #: link to a page listing them all (material/nav_window.py), so a page's size does not grow with the
    #: vault's; 0 or false shows every note of every folder on every page, as Material does.
    nav_window = _WindowSize()
