"""The figures in a site: build-time expressions and data tables where the project has a data/ folder,
and the catalogue's pages (one per GPU and per model) written from it."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from atlas_mkdocs import wiring
from atlas_mkdocs.engine.errors import EngineError
from atlas_mkdocs.engine.models import calculate
from atlas_mkdocs.figures.catalogue import CONTEXT_TOKENS, catalogue_notes
from atlas_mkdocs.figures.tables import format_datatable
from atlas_mkdocs.session import BuildSession


class FiguresManager:
    """Wires the figures extension and the datatable fence over the build's session, and writes the catalogue."""

    def __init__(self, options: Any, session: BuildSession, data_dir: Path | None) -> None:
        self.options = options
        self.session = session
        #: The project's own data/ (None: it has none, and no figure, table or catalogue page is made).
        self.data_dir = data_dir

    def on_config(self, config: MkDocsConfig) -> list[dict[str, Any]]:
        """Add the figures extension (`=...` code spans) and give back the ```datatable fence, both reading
        the project's data/ through the session; nothing without a data/ of the project's own."""
        if self.data_dir is None:
            return []
        wiring.add_extension(config, wiring.FIGURES, {"data_dir": str(self.data_dir)})
        config.mdx_configs.setdefault(wiring.FIGURES, {})["session"] = self.session
        return [{"name": "datatable", "class": "datatable",
                 "format": functools.partial(format_datatable, session=self.session)}]

    def catalogue(self) -> Callable[[Mapping[Any, str]], Mapping[str, str]] | None:
        """The writer of the GPU and model pages, given the vault's notes; None without data/ of the project's
        own (a vault that quotes no facts gets no pages about them) or with `catalogue: false`."""
        folder = self.options.catalogue
        if self.data_dir is None or self.session.data is None or folder is False or not str(folder).strip("/ "):
            return None
        if folder is True:
            folder = "Catalogue"
        data = self.session.data

        def fits(model: str, gpu: str, quant: str) -> int | None:
            try:
                return calculate("sizing", {"model": model, "gpu": gpu, "quant": quant,
                                            "context_tokens": CONTEXT_TOKENS}, data.catalogue)["gpus_needed"]
            except EngineError:
                return None

        return lambda sources: catalogue_notes(data, sources, str(folder), fits)
