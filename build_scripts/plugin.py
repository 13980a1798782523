"""The Atlas MkDocs plugin: Obsidian semantics, and live calculators served with their own runtime.

A thin plugin over managers, as Material's own plugins are: it makes the build's session in on_config and
routes each MkDocs event to the wings that act on it, one manager each:

- obsidian/: the vault index and the Markdown extensions of Obsidian's syntax, the home page;
- figures/: build-time figures and data tables over data/, and the catalogue's pages;
- runtime/: the ```calculator fence and, when a published note holds one, the calculator assets, the
  engine wheel, the start-up snapshot and the Pyodide runtime, served from the site itself;
- hosting/: the security policy, the offline copy, robots.txt and the sitemap's neighbours;
- material/: the workarounds for Material for MkDocs, each behind a switch.

wiring.py adds what they need to the user's configuration. A vault without a calculator gets the
Obsidian layer, the theme overrides and the hosting alone.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files

from atlas_mkdocs import wiring
from atlas_mkdocs.data import PRICE_STALE_AFTER_DAYS, DataError
from atlas_mkdocs.figures.manager import FiguresManager
from atlas_mkdocs.hosting.manager import HostingManager
from atlas_mkdocs.material.config import MaterialConfig
from atlas_mkdocs.material.manager import MaterialManager
from atlas_mkdocs.obsidian.config import ObsidianConfig
from atlas_mkdocs.obsidian.manager import ObsidianManager
from atlas_mkdocs.preview import Preview, fingerprint, watch_natively
from atlas_mkdocs.runtime.manager import RuntimeManager
from atlas_mkdocs.session import BuildSession


class AtlasConfig(base.Config):
    """Options of the `atlas` plugin in mkdocs.yml. Relative paths are relative to mkdocs.yml."""

    #: Live calculators: "auto" ships the runtime only when a published note holds a ```calculator block;
    #: false turns the calculator machinery off (the blocks then show as code); true ships it always.
    calculators = c.Choice(("auto", True, False), default="auto")
    #: The offline copy: a service worker that keeps the site (and the runtime) for reading offline.
    offline = c.Type(bool, default=True)
    #: The note shown at the site's root when the vault has no index.md (default: a list of the notes).
    home = c.Optional(c.Type(str))
    #: The cost engine package bundled for the browser (default: the one installed with this plugin).
    engine_dir = c.Optional(c.Dir(exists=True))
    #: The Pyodide runtime copied into the site (default: the one the wheel carries).
    pyodide_dir = c.Optional(c.Dir(exists=True))
    #: Where built wheels, compiled bytecode and the start-up snapshot are kept between builds
    #: (default: .cache/atlas beside mkdocs.yml).
    cache_dir = c.Optional(c.Type(str))
    #: Ship the engine and the standard library as .pyc compiled by Pyodide under Node (needs Node).
    compile_bytecode = c.Type(bool, default=True)
    #: Serve a snapshot of Pyodide's memory with the engine started, so calculators go live sooner
    #: (made under Node; needs compile_bytecode). Without it the browser installs the engine wheel.
    startup_snapshot = c.Type(bool, default=True)
    #: The dated, sourced facts (GPUs, prices, model shapes) the calculators offer and the notes quote.
    #: Default: data/ beside mkdocs.yml if there is one, which also turns on build-time figures and
    #: data tables; without one, calculators use the facts that come with the plugin.
    data_dir = c.Optional(c.Dir(exists=True))
    #: A current price whose as_of date is older than this is reported at info level: time passing never
    #: fails a build (tests/data/test_price_age.py holds data/ to it on the date of its last commit).
    max_price_age_days = c.Type(int, default=PRICE_STALE_AFTER_DAYS)
    #: The folder of the site where one page per GPU and per model of data/ is written at build time
    #: (only with a data/ folder of the project's own); false writes none.
    catalogue = c.Type((str, bool), default="Catalogue")
    #: Obsidian options: broken_links (warn|info|ignore), strict_line_breaks, backlinks, alias_redirects.
    obsidian = c.SubConfig(ObsidianConfig)
    #: Workarounds for Material for MkDocs, each on unless set to false: nav_cache (each navigation
    #: subtree rendered once per build), search_gate (search waits for a calculator's runtime),
    #: search_excluded (what search leaves out is held aside while it reads a page); and nav_window (a
    #: folder of more notes than this, 40 by default, shows that many around the page and a link to a
    #: page listing them all; 0 or false: every note).
    material = c.SubConfig(MaterialConfig)


class AtlasPlugin(BasePlugin[AtlasConfig]):
    """Publishes an Obsidian vault with live calculators."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command: str | None = None
        self.session: BuildSession | None = None
        self.obsidian: ObsidianManager | None = None
        self.figures: FiguresManager | None = None
        self.runtime: RuntimeManager | None = None
        self.hosting: HostingManager | None = None
        self.material: MaterialManager | None = None
        #: What `mkdocs serve` keeps from one build to the next (build_scripts/preview.py); None otherwise.
        self.preview: Preview | None = None

    def on_startup(self, *, command, dirty):
        """Remember the mkdocs command: `serve` gets neither the service worker nor the policy, and
        keeps a Preview from one build to the next (`--dirty`: only what changed is rendered again).

        Defining on_startup also makes MkDocs keep this plugin object across serve's rebuilds; the
        session and the managers are made anew in on_config all the same.
        """
        self.command = command
        self.preview = Preview(dirty=bool(dirty)) if command == "serve" else None
        if self.preview and self.preview.dirty:
            self.preview.announce()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Make the build's session and the managers; wire the Obsidian extensions, our fences, the figures
        (where there is a data folder) and the theme overrides into the user's configuration."""
        project = Path(config.config_file_path or ".").resolve().parent
        beside = project / "data"
        data_dir = Path(self.config.data_dir) if self.config.data_dir else beside if beside.is_dir() else None
        cache = Path(self.config.cache_dir or ".cache/atlas")
        self.obsidian = ObsidianManager(self.config, self.preview.remembered if self.preview else None)
        self.session = BuildSession(self.obsidian.session, data_dir or wiring.BUNDLED_DATA)
        if self.config.calculators is not False or data_dir is not None:
            self._load_data(own=data_dir is not None)
        self.figures = FiguresManager(self.config, self.session, data_dir)
        self.runtime = RuntimeManager(self.config, self.session, cache if cache.is_absolute() else project / cache)
        self._data_key = fingerprint(self.session.data_dir, self.runtime.engine_dir) if self.preview else ()
        if self.preview:
            self.preview.theme_listing(config)
        self.hosting = HostingManager(self.config)
        self.material = MaterialManager(self.config)
        if self.command:
            self.hosting.on_startup(command=self.command)
        wiring.default_markdown_settings(config, self.obsidian.session.slug)
        fences = self.runtime.on_config(config) + self.figures.on_config(config)
        if fences:
            wiring.add_fences(config, fences)
        wiring.add_theme_overrides(config)
        return self.hosting.on_config(self.obsidian.on_config(config))

    def _load_data(self, own: bool) -> None:
        """Validate the facts once per build; every engine call gets them as its catalogue (session.catalogue)."""
        kept = self.preview.kept_data(self.session.data_dir) if self.preview else None
        try:
            data = self.session.load_data(max_age_days=self.config.max_price_age_days, own=own, kept=kept)
        except DataError as error:
            problems = "\n  ".join(str(problem) for problem in error.problems)
            raise PluginError(f"atlas: {self.session.data_dir} has {len(error.problems)} problem(s):\n  {problems}") from None
        if self.preview:
            self.preview.keep_data(data)

    # Runs after other plugins' on_files (priority -50): generated files must not be filtered out by a
    # plugin that drops files it does not recognise.
    @event_priority(-50)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Index the vault (with the catalogue's pages), give it a home page, and, if a published note
        holds a calculator, add the runtime and the search gate."""
        files = self.hosting.on_files(self.obsidian.on_files(files, config, self.figures.catalogue()), config)
        self.obsidian.ensure_home(files, config)
        files = self.runtime.on_files(files, config, self.obsidian.published_sources(),
                                      charts=self.figures.data_dir is not None)
        files = self.material.on_files(files, config, self.runtime.calculators)
        if self.preview:
            self.preview.plan(files, config, self.obsidian, self._data_key)
        return files

    def on_nav(self, nav, config, files):
        nav = self.obsidian.on_nav(nav, config, files)
        if self.preview:
            self.preview.restore(config, files, self.obsidian.sources)
        return nav

    def on_page_markdown(self, markdown, page, config, files):
        return self.obsidian.on_page_markdown(markdown, page, config, files)

    def on_page_content(self, html, page, config, files):
        return self.obsidian.on_page_content(html, page, config, files)

    # Before the tags plugin's (priority 100), which renders its listings with the templates.
    @event_priority(110)
    def _on_env_preview(self, env, config, files):
        if self.preview:
            self.preview.before_pages(env, config)
        return env

    def _on_env(self, env, config, files):
        return self.obsidian.on_env(self.material.on_env(env, config, files), config, files)

    on_env = CombinedEvent(_on_env_preview, _on_env)

    # Before the hold: a calculator inside an embed would otherwise be out of sight.
    @event_priority(60)
    def _on_page_context_runtime(self, context, page, config, nav):
        return self.runtime.on_page_context(context, page, config, nav)

    # Material's search reads each page in its on_page_context (priority 0). Just before, what it would
    # skip is held aside, and put back just after (build_scripts/material/search_excluded.py).
    @event_priority(50)
    def _on_page_context_hold(self, context, page, config, nav):
        return self.material.hold(context, page, config, nav)

    def _on_page_context_hosting(self, context, page, config, nav):
        return self.hosting.on_page_context(context, page, config, nav)

    @event_priority(-50)
    def _on_page_context_restore(self, context, page, config, nav):
        return self.material.restore(context, page, config, nav)

    # After search (priority 0) has read the page: the preview keeps its entries.
    @event_priority(-60)
    def _on_page_context_preview(self, context, page, config, nav):
        if self.preview:
            self.preview.page_rendered(page, config)
        return context

    on_page_context = CombinedEvent(_on_page_context_runtime, _on_page_context_hold, _on_page_context_hosting,
                                    _on_page_context_restore, _on_page_context_preview)

    def _on_post_page_obsidian(self, output, page, config):
        return self.material.on_post_page(self.obsidian.on_post_page(output, page, config), page, config)

    # Last of every plugin's on_post_page: the policy's hashes are taken from the page as it is written.
    @event_priority(-100)
    def _on_post_page_hosting(self, output, page, config):
        return self.hosting.on_post_page(output, page, config)

    # After everything else: the page is as MkDocs writes it.
    @event_priority(-110)
    def _on_post_page_preview(self, output, page, config):
        if self.preview:
            self.preview.page_written(output, page)
        return output

    on_post_page = CombinedEvent(_on_post_page_obsidian, _on_post_page_hosting, _on_post_page_preview)

    # Last of all plugins, as for pages: the policy's hashes are taken from the template as written.
    @event_priority(-100)
    def on_post_template(self, output_content, template_name, config):
        return self.hosting.on_post_template(output_content, template_name, config)

    # Last (priority -100): sw.js lists every file the other plugins wrote.
    @event_priority(-100)
    def on_post_build(self, config):
        self.obsidian.on_post_build(config)
        self.hosting.on_post_build(config)
        if self.preview:
            self.preview.finish(config)

    def on_serve(self, server, config, builder):
        """Rebuild when the engine, the calculators' scripts or the data change, so a live preview shows them."""
        if self.preview:
            watch_natively(server)
            self.preview.server = server
        server = self.runtime.on_serve(server, config, builder)
        if self.figures.data_dir is not None:
            server.watch(str(self.figures.data_dir))
        return server
