"""The live calculators' runtime in a site: the fence, the engine wheel, the lock file, the snapshot, Pyodide.

When a published note holds a calculator (or the `calculators` option says always), the site gets the
calculator assets, the engine as a wheel with its Pyodide lock file, the start-up snapshot and the
Pyodide runtime, all from the site itself, so `mkdocs serve` and `mkdocs build` both serve them. A vault
without a calculator gets none of it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

import atlas_mkdocs.engine
from atlas_mkdocs import wiring
from atlas_mkdocs.material.fill_in import MarkerError, fill_in
from atlas_mkdocs.material.markers import CALCULATOR
from atlas_mkdocs.runtime.calculator_fence import format_calculator, may_hold_calculator
from atlas_mkdocs.runtime.engine_bundle import (
    PYODIDE_RUNTIME_FILES,
    EngineBundleError,
    PyodideCompiler,
    build_engine_bundle,
    pyodide_runtime_files,
)
from atlas_mkdocs.session import BuildSession

log = logging.getLogger("mkdocs.plugins.atlas")

#: The calculators' scripts and stylesheet.
ASSETS_DIR = Path(__file__).resolve().parent / "assets"
#: The cost engine package, bundled into a wheel for the browser: this package's own, wherever installed.
ENGINE_DIR = Path(atlas_mkdocs.engine.__file__).resolve().parent
#: The Pyodide runtime the wheel carries (in a checkout: node_modules/pyodide, from `npm ci`).
BUNDLED_PYODIDE = wiring.bundled_dir("pyodide", "node_modules/pyodide")

#: Where the runtime's files land in the site: the widget scripts, the engine, and Pyodide's runtime.
SITE_ASSETS = "assets/atlas"
SITE_ENGINE = f"{SITE_ASSETS}/engine"
SITE_PYODIDE = "assets/pyodide"
SITE_STYLESHEET = f"{SITE_ASSETS}/atlas.css"
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


class RuntimeManager:
    """Decides whether a site ships live calculators, and ships them: the fence, the assets, the runtime."""

    def __init__(self, options: Any, session: BuildSession, cache_dir: Path) -> None:
        self.options = options
        self.session = session
        #: Where built wheels, compiled bytecode and the start-up snapshot are kept between builds.
        self.cache_dir = cache_dir
        #: Whether this build ships live calculators (decided in on_files, from the published notes).
        self.calculators = False

    def on_config(self, config: MkDocsConfig) -> list[dict[str, Any]]:
        """Give back the ```calculator fence (none with `calculators: false`): in Obsidian the blocks stay
        readable code blocks; here they become live widgets."""
        if self.options.calculators is False:
            return []
        return [{"name": "calculator", "class": "calculator",
                 "format": functools.partial(format_calculator, session=self.session)}]

    def on_files(self, files: Files, config: MkDocsConfig, sources: Mapping[str, str], charts: bool) -> Files:
        """If a published note holds a calculator, add the widget assets, the engine wheel with its lock
        file, the start-up snapshot and the Pyodide runtime; the stylesheet also where ``charts`` (the data
        tables draw them) asks for it."""
        self.calculators = self._ships_calculators(sources)
        if self.calculators or charts:  # the calculators' and the data tables' charts
            if SITE_STYLESHEET not in config.extra_css:
                config.extra_css.append(SITE_STYLESHEET)
            if files.get_file_from_path(SITE_STYLESHEET) is None:
                files.append(File.generated(config, SITE_STYLESHEET, abs_src_path=str(ASSETS_DIR / "atlas.css")))
        if not self.calculators:
            return files
        script = c.ExtraScriptValue(f"{SITE_ASSETS}/widgets.js")
        script.type = "module"
        if all(str(existing) != script.path for existing in config.extra_javascript):
            config.extra_javascript.append(script)
        pyodide_dir = Path(self.options.pyodide_dir) if self.options.pyodide_dir else BUNDLED_PYODIDE
        try:
            runtime = pyodide_runtime_files(pyodide_dir)  # first: names any missing runtime file
            compiler = PyodideCompiler(pyodide_dir, self.cache_dir) if self.options.compile_bytecode else None
            bundle = build_engine_bundle(self.engine_dir, pyodide_dir, self.cache_dir, compiler)
            runtime = pyodide_runtime_files(pyodide_dir, compiler)
            snapshot = None
            if compiler is not None and self.options.startup_snapshot:
                stdlib = runtime[PYODIDE_RUNTIME_FILES.index("python_stdlib.zip")]
                snapshot = compiler.snapshot(stdlib, bundle.lock_file, bundle.wheel, self.session.data_json)
        except EngineBundleError as error:
            raise PluginError(f"atlas: {error}") from error
        # worker.js and search-gate.js are written in by the build, with what it knows.
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
        files.append(File.generated(config, f"{SITE_ASSETS}/data.json", content=self.session.data_json))
        files.append(File.generated(config, SITE_WORKER,
                                    content=worker_script(snapshot.name if snapshot else None)))
        return files

    @property
    def engine_dir(self) -> Path:
        """The cost engine package bundled for the browser (the `engine_dir` option, or this package's)."""
        return Path(self.options.engine_dir) if self.options.engine_dir else ENGINE_DIR

    def _ships_calculators(self, sources: Mapping[str, str]) -> bool:
        """Give back whether this site ships live calculators: always, never, or (auto) when a published
        note (``sources``: the published notes' texts) may hold a calculator block."""
        setting = self.options.calculators
        if setting is not True and setting is not False:
            found = next((path for path, text in sources.items() if may_hold_calculator(text or "")), None)
            if found is None:
                log.info("atlas: no published note holds a calculator block; the site ships no calculator runtime")
                return False
            log.debug("atlas: '%s' holds a calculator block; the site ships the calculator runtime", found)
            return True
        return setting

    def on_page_context(self, context, page, config, nav):
        """On a page with a calculator, name the runtime's worker for the theme's <head> (overrides/main.html),
        which starts it early on a visit the site's offline copy serves."""
        context["atlas_runtime_worker"] = (SITE_WORKER if self.calculators and CALCULATOR in (page.content or "")
                                           else None)
        return context

    def on_serve(self, server, config, builder):
        """Rebuild when the engine or the calculators' scripts change."""
        server.watch(str(self.engine_dir))
        server.watch(str(ASSETS_DIR))
        return server
