"""The Material workarounds, each behind a switch of the `material` option: the cached navigation, the
window on long folders in it, the search gate on pages with a calculator, and what search leaves out
held aside while it reads a page.

Each works around a cost of Material for MkDocs (see its module); with the theme another one, or the
switch off, the site is as Material (or that theme) makes it.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from atlas_mkdocs.material.config import DEFAULT_NAV_WINDOW, MaterialConfig
from atlas_mkdocs.material.fill_in import MarkerError
from atlas_mkdocs.material.nav_cache import NavCache
from atlas_mkdocs.material.nav_window import NavWindow
from atlas_mkdocs.material.search_excluded import hold_excluded, restore_excluded
from atlas_mkdocs.material.search_gate import GATE, gate_page, gate_script


def _setting(options: Any, name: str) -> Any:
    """Give back a setting of the ``material`` option, or its default when the plugin has no such sub-config."""
    material = getattr(options, "material", None)
    value = material.get(name) if isinstance(material, dict) else getattr(material, name, None)
    return dict(MaterialConfig._schema)[name].default if value is None else value


def switch(options: Any, name: str) -> bool:
    """Give back a workaround's switch."""
    return bool(_setting(options, name))


def window_size(options: Any) -> int:
    """Give back the ``nav_window`` size: 0 for none, the default size for true."""
    value = _setting(options, "nav_window")
    return DEFAULT_NAV_WINDOW if value is True else max(int(value), 0)


class MaterialManager:
    """Applies the switched-on workarounds to one build."""

    def __init__(self, options: Any) -> None:
        self.nav_cache = switch(options, "nav_cache")
        self.search_gate = switch(options, "search_gate")
        self.search_excluded = switch(options, "search_excluded")
        size = window_size(options)
        self.nav_window = NavWindow(size) if size else None
        #: Whether this build has the gate (it ships calculators, and Material's search worker is among its files).
        self.gated = False
        #: What the page being indexed holds aside from Material's search, until it is put back.
        self._held: list[str] = []

    def on_files(self, files: Files, config: MkDocsConfig, calculators: bool) -> Files:
        """Add a listing page to each folder too long for the navigation's window, and the search gate,
        naming Material's search worker, to a site with calculators."""
        self.gated = False
        if self.nav_window is not None and config.theme.name == "material":
            files = self.nav_window.on_files(files, config)
        if not (calculators and self.search_gate):
            return files
        try:
            gate = gate_script(files)
        except MarkerError as error:
            raise PluginError(f"atlas: {error}") from error
        self.gated = gate is not None
        if gate is not None:
            files.append(File.generated(config, GATE, content=gate))
        return files

    def on_env(self, env, config, files):
        """Give the theme's navigation (overrides/partials/nav-item.html) a cache for this build, and the
        window on long folders, whose listing pages are written now that every page is known."""
        window = None
        if self.nav_window is not None and self.nav_window.listings:
            self.nav_window.on_env(files)
            window = self.nav_window
        if self.nav_cache:
            cache = env.globals["atlas_nav_cache"] = NavCache()
            cache.window = window.window if window is not None else None
        elif window is not None:
            env.globals["atlas_nav_window"] = window
        return env

    def hold(self, context, page, config, nav):
        """Just before Material's search reads the page: hold aside what it would skip."""
        if self.search_excluded and page.content and ("search" in config.plugins
                                                      or "material/search" in config.plugins):
            page.content, self._held = hold_excluded(page.content)
        return context

    def restore(self, context, page, config, nav):
        """Just after: put it back."""
        if self._held:
            page.content, self._held = restore_excluded(page.content, self._held), []
        return context

    def on_post_page(self, output, page, config):
        """On a page with a calculator, point Material's search worker at the gate."""
        return gate_page(output, page.content or "") if self.gated else output
