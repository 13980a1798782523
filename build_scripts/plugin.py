"""The Atlas MkDocs plugin: Obsidian semantics, and live calculators served with their own runtime.

A thin plugin over managers, as Material's own plugins are: the Obsidian manager owns the vault index
and the Markdown extensions; this module wires the rest into the user's configuration (wiring.py) and,
when a published note holds a calculator, adds the calculator assets, the engine wheel and the Pyodide
runtime to the site's files, so `mkdocs serve` and `mkdocs build` both serve them from the site itself.
A vault without a calculator gets the Obsidian layer, the theme overrides and the hosting alone.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

import atlas_mkdocs.engine
from atlas_mkdocs import wiring
from atlas_mkdocs.calculator_fence import format_calculator, may_hold_calculator
from atlas_mkdocs.data import PRICE_STALE_AFTER_DAYS, DataError, export_json, load_data
from atlas_mkdocs.engine import catalogue
from atlas_mkdocs.engine.errors import EngineError
from atlas_mkdocs.engine.models import calculate
from atlas_mkdocs.figures.catalogue import CONTEXT_TOKENS, catalogue_notes
from atlas_mkdocs.figures.tables import format_datatable
from atlas_mkdocs.home import ensure_home
from atlas_mkdocs.note_context import set_current_note
from atlas_mkdocs.engine_bundle import (
    PYODIDE_RUNTIME_FILES,
    EngineBundleError,
    PyodideCompiler,
    build_engine_bundle,
    pyodide_runtime_files,
)
from atlas_mkdocs.hosting.manager import HostingManager
from atlas_mkdocs.nav_cache import NavCache
from atlas_mkdocs.obsidian.config import ObsidianConfig
from atlas_mkdocs.obsidian.manager import ObsidianManager
from atlas_mkdocs.obsidian.paths import VaultPath
from atlas_mkdocs.fill_in import MarkerError, fill_in
from atlas_mkdocs.search_excluded import hold_excluded, restore_excluded
from atlas_mkdocs.search_gate import CALCULATOR, GATE, gate_page, gate_script

log = logging.getLogger("mkdocs.plugins.atlas")

ASSETS_DIR = Path(__file__).resolve().parent / "runtime" / "assets"
#: The cost engine package, bundled into a wheel for the browser: this package's own, wherever installed.
ENGINE_DIR = Path(atlas_mkdocs.engine.__file__).resolve().parent
#: The Pyodide runtime the wheel carries (in a checkout: node_modules/pyodide, from `npm ci`).
BUNDLED_PYODIDE = wiring.bundled_dir("pyodide", "node_modules/pyodide")
#: The facts calculators offer when a project has no data/ of its own (in a checkout: data/).
BUNDLED_DATA = wiring.bundled_dir("default_data", "data")

#: Where the plugin's files land in the site: the widget scripts, the engine, and Pyodide's runtime.
SITE_ASSETS = "assets/atlas"
SITE_ENGINE = f"{SITE_ASSETS}/engine"
SITE_PYODIDE = "assets/pyodide"
#: The runtime's worker, written in by the build; widgets.js and the early start in <head> both load it.
SITE_WORKER = f"{SITE_ASSETS}/worker.js"


#: An empty zip archive (its end-of-central-directory record alone), served as the snapshot's stdlib.
EMPTY_ZIP = b"PK\x05\x06" + bytes(18)
SNAPSHOT_STDLIB = "snapshot-stdlib.zip"

#: In worker.js, the snapshot's file name, which the build writes in (null: no snapshot).
SNAPSHOT_MARKER = "/* atlas:snapshot */ null"


def worker_script(snapshot_name: str | None) -> str:
    """Give back worker.js naming the start-up snapshot the worker restores (or none)."""
    try:
        return fill_in(ASSETS_DIR / "worker.js", SNAPSHOT_MARKER, snapshot_name, "the start-up snapshot's name")
    except MarkerError as error:
        raise PluginError(f"atlas: {error}") from None


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


class AtlasPlugin(BasePlugin[AtlasConfig]):
    """Publishes an Obsidian vault with live calculators."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.obsidian: ObsidianManager | None = None
        self.hosting: HostingManager | None = None
        self.command: str | None = None
        #: Whether this build has the search gate (Material's search worker was found among its files).
        self.search_gate = False
        #: What the page being indexed holds aside from Material's search, until it is put back.
        self._held: list[str] = []
        #: Whether this build ships live calculators (decided in on_files, from the published notes).
        self.calculators = False
        #: The project's own data/ (None: it has none, and calculators use the plugin's facts).
        self.data_dir: Path | None = None
        self.cache_dir = Path(".cache/atlas")

    def on_startup(self, *, command, dirty):
        """Remember the mkdocs command: `serve` gets neither the service worker nor the policy.

        Defining on_startup also makes MkDocs keep this plugin object across serve's rebuilds; the
        managers are made anew in on_config all the same.
        """
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Wire the Obsidian extensions, our fences, the figures (where there is a data folder) and the
        theme overrides into the user's configuration, and start the managers."""
        project = Path(config.config_file_path or ".").resolve().parent
        beside = project / "data"
        self.data_dir = Path(self.config.data_dir) if self.config.data_dir else beside if beside.is_dir() else None
        cache = Path(self.config.cache_dir or ".cache/atlas")
        self.cache_dir = cache if cache.is_absolute() else project / cache
        self.data_json = None
        self.data = None
        if self.config.calculators is not False or self.data_dir is not None:
            self._load_data()
        self.obsidian = ObsidianManager(self.config)
        self.hosting = HostingManager(self.config)
        if self.command:
            self.hosting.on_startup(command=self.command)
        wiring.default_markdown_settings(config, self.obsidian.session.slug)
        fences = []
        if self.config.calculators is not False:
            # ```calculator blocks become live widgets; in Obsidian they stay readable code blocks.
            fences.append({"name": "calculator", "class": "calculator", "format": format_calculator})
        if self.data_dir is not None:
            # Build-time figures (`=...` code spans) and ```datatable blocks read the project's data/.
            wiring.add_extension(config, wiring.FIGURES, {"data_dir": str(self.data_dir)})
            fences.append({"name": "datatable", "class": "datatable", "format": format_datatable})
        if fences:
            wiring.add_fences(config, fences)
        wiring.add_theme_overrides(config)
        return self.hosting.on_config(self.obsidian.on_config(config))

    def _load_data(self) -> None:
        """Validate the facts once per build and hand them to the engine; stale prices are reported at
        info level, and so are the plugin's own facts' warnings (dated by its release, not by the project)."""
        folder = self.data_dir or BUNDLED_DATA
        try:
            data = load_data(folder, max_age_days=self.config.max_price_age_days)
        except DataError as error:
            problems = "\n  ".join(str(problem) for problem in error.problems)
            raise PluginError(f"atlas: {folder} has {len(error.problems)} problem(s):\n  {problems}") from None
        for warning in data.warnings:
            (log.warning if self.data_dir else log.info)(f"atlas: {warning}")
        for notice in data.stale:  # the plugin's own facts age with its release: not the project's to fix
            (log.info if self.data_dir else log.debug)(f"atlas: {notice}")
        self.data = data
        self.data_json = export_json(data)
        catalogue.use_catalogue(json.loads(self.data_json))

    # Runs after other plugins' on_files (priority -50): generated files must not be filtered out by a
    # plugin that drops files it does not recognise.
    @event_priority(-50)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Index the vault, give it a home page, and, if a published note holds a calculator, add the
        widget assets, the engine wheel with its lock file, and the Pyodide runtime."""
        files = self.hosting.on_files(self.obsidian.on_files(files, config, self._catalogue()), config)
        index = self.obsidian.index
        titles = {str(path): note.title for path, note in index.notes.items()} if index else {}
        moved = ensure_home(files, config, self.config.home, titles)
        if moved is not None:  # links resolved to final URLs (inside embeds) must find it at the root
            self.obsidian.session.urls[VaultPath(moved.src_uri)] = moved.url
        self.calculators = self._ships_calculators()
        if self.calculators or self.data_dir is not None:  # the calculators' and the data tables' charts
            if f"{SITE_ASSETS}/atlas.css" not in config.extra_css:
                config.extra_css.append(f"{SITE_ASSETS}/atlas.css")
            if files.get_file_from_path(f"{SITE_ASSETS}/atlas.css") is None:
                files.append(File.generated(config, f"{SITE_ASSETS}/atlas.css", abs_src_path=str(ASSETS_DIR / "atlas.css")))
        if not self.calculators:
            self.search_gate = False
            return files
        script = c.ExtraScriptValue(f"{SITE_ASSETS}/widgets.js")
        script.type = "module"
        if all(str(existing) != script.path for existing in config.extra_javascript):
            config.extra_javascript.append(script)
        pyodide_dir = Path(self.config.pyodide_dir) if self.config.pyodide_dir else BUNDLED_PYODIDE
        engine_dir = Path(self.config.engine_dir) if self.config.engine_dir else ENGINE_DIR
        cache_dir = self.cache_dir
        try:
            runtime = pyodide_runtime_files(pyodide_dir)  # first: names any missing runtime file
            compiler = PyodideCompiler(pyodide_dir, cache_dir) if self.config.compile_bytecode else None
            bundle = build_engine_bundle(engine_dir, pyodide_dir, cache_dir, compiler)
            runtime = pyodide_runtime_files(pyodide_dir, compiler)
            snapshot = None
            if compiler is not None and self.config.startup_snapshot:
                stdlib = runtime[PYODIDE_RUNTIME_FILES.index("python_stdlib.zip")]
                snapshot = compiler.snapshot(stdlib, bundle.lock_file, bundle.wheel, self.data_json)
        except EngineBundleError as error:
            raise PluginError(f"atlas: {error}") from error
        # worker.js and search-gate.js are written in below, with what this build knows.
        generated = [(f"{SITE_ASSETS}/{asset.name}", asset) for asset in sorted(ASSETS_DIR.iterdir())
                     if asset.name not in ("worker.js", "search-gate.js")]
        generated += [(f"{SITE_ENGINE}/{bundle.wheel.name}", bundle.wheel),
                      (f"{SITE_ENGINE}/pyodide-lock.json", bundle.lock_file)]
        if snapshot is not None:
            generated.append((f"{SITE_ENGINE}/{snapshot.name}", snapshot))
            # The standard library the restored runtime mounts: empty, since every module the engine
            # imports is already in the snapshot's memory; 4.5 MB a reader need not download.
            files.append(File.generated(config, f"{SITE_ENGINE}/{SNAPSHOT_STDLIB}", content=EMPTY_ZIP))
        # Served under the npm package's own names: the compiled stdlib replaces python_stdlib.zip.
        generated += [(f"{SITE_PYODIDE}/{name}", path) for name, path in zip(PYODIDE_RUNTIME_FILES, runtime)]
        for src_uri, path in generated:
            if files.get_file_from_path(src_uri) is None:
                files.append(File.generated(config, src_uri, abs_src_path=str(path)))
        # The validated data, for the calculators in the browser (the worker loads it with the engine).
        files.append(File.generated(config, f"{SITE_ASSETS}/data.json", content=self.data_json))
        files.append(File.generated(config, SITE_WORKER,
                                    content=worker_script(snapshot.name if snapshot else None)))
        try:
            gate = gate_script(files)
        except MarkerError as error:
            raise PluginError(f"atlas: {error}") from error
        self.search_gate = gate is not None
        if gate is not None:
            files.append(File.generated(config, GATE, content=gate))
        return files

    def _catalogue(self):
        """The writer of the GPU and model pages, given the vault's notes; None without data/ of the project's
        own (a vault that quotes no facts gets no pages about them) or with `catalogue: false`."""
        folder = self.config.catalogue
        if self.data_dir is None or self.data is None or folder is False or not str(folder).strip("/ "):
            return None
        if folder is True:
            folder = "Catalogue"
        data = self.data

        def fits(model: str, gpu: str, quant: str) -> int | None:
            try:
                return calculate("sizing", {"model": model, "gpu": gpu, "quant": quant,
                                            "context_tokens": CONTEXT_TOKENS})["gpus_needed"]
            except EngineError:
                return None

        return lambda sources: catalogue_notes(data, sources, str(folder), fits)

    def _ships_calculators(self) -> bool:
        """Give back whether this site ships live calculators: always, never, or (auto) when a published
        note may hold a calculator block."""
        setting = self.config.calculators
        if setting is not True and setting is not False:
            index = self.obsidian.index
            found = next((path for path in (index.notes if index else ())
                          if may_hold_calculator(self.obsidian.sources.get(path) or "")), None)
            if found is None:
                log.info("atlas: no published note holds a calculator block; the site ships no calculator runtime")
                return False
            log.debug("atlas: '%s' holds a calculator block; the site ships the calculator runtime", found)
            return True
        return setting

    def on_nav(self, nav, config, files):
        return self.obsidian.on_nav(nav, config, files)

    def on_page_markdown(self, markdown, page, config, files):
        """Record which note renders next, so calculator and figure errors name its file and line."""
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8") if page.file.abs_src_path else markdown
        set_current_note(page.file.src_uri, source)
        return self.obsidian.on_page_markdown(markdown, page, config, files)

    def on_page_content(self, html, page, config, files):
        return self.obsidian.on_page_content(html, page, config, files)

    def on_env(self, env, config, files):
        """Give the theme's navigation (overrides/partials/nav-item.html) a cache for this build."""
        env.globals["atlas_nav_cache"] = NavCache()
        return self.obsidian.on_env(env, config, files)

    # Material's search reads each page in its on_page_context (priority 0). Just before, what it would
    # skip is held aside, and put back just after (build_scripts/search_excluded.py).
    @event_priority(50)
    def _on_page_context_hold(self, context, page, config, nav):
        if page.content and ("search" in config.plugins or "material/search" in config.plugins):
            page.content, self._held = hold_excluded(page.content)
        return context

    def _on_page_context_hosting(self, context, page, config, nav):
        return self.hosting.on_page_context(context, page, config, nav)

    @event_priority(-50)
    def _on_page_context_restore(self, context, page, config, nav):
        if self._held:
            page.content, self._held = restore_excluded(page.content, self._held), []
        return context

    # Before the hold: a calculator inside an embed would otherwise be out of sight.
    @event_priority(60)
    def _on_page_context_runtime(self, context, page, config, nav):
        """On a page with a calculator, name the runtime's worker for the theme's <head> (overrides/main.html),
        which starts it early on a visit the site's offline copy serves."""
        context["atlas_runtime_worker"] = (SITE_WORKER if self.calculators and CALCULATOR in (page.content or "")
                                           else None)
        return context

    on_page_context = CombinedEvent(_on_page_context_runtime, _on_page_context_hold, _on_page_context_hosting,
                                    _on_page_context_restore)

    def _on_post_page_obsidian(self, output, page, config):
        """Resolve what the Obsidian manager left for the finished page; on a page with a calculator,
        point Material's search worker at the gate (build_scripts/search_gate.py)."""
        output = self.obsidian.on_post_page(output, page, config)
        return gate_page(output, page.content or "") if self.search_gate else output

    # Last of every plugin's on_post_page: the policy's hashes are taken from the page as it is written.
    @event_priority(-100)
    def _on_post_page_hosting(self, output, page, config):
        return self.hosting.on_post_page(output, page, config)

    on_post_page = CombinedEvent(_on_post_page_obsidian, _on_post_page_hosting)

    # Last of all plugins, as for pages: the policy's hashes are taken from the template as written.
    @event_priority(-100)
    def on_post_template(self, output_content, template_name, config):
        return self.hosting.on_post_template(output_content, template_name, config)

    # Last (priority -100): sw.js lists every file the other plugins wrote.
    @event_priority(-100)
    def on_post_build(self, config):
        self.obsidian.on_post_build(config)
        self.hosting.on_post_build(config)

    def on_serve(self, server, config, builder):
        """Rebuild when the engine or the data changes, so a live preview shows the new figures."""
        server.watch(str(Path(self.config.engine_dir) if self.config.engine_dir else ENGINE_DIR))
        server.watch(str(ASSETS_DIR))
        if self.data_dir is not None:
            server.watch(str(self.data_dir))
        return server
