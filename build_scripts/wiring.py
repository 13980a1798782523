"""What `plugins: [atlas]` adds to a user's mkdocs.yml on its own: Markdown extensions, fences, theme overrides.

A user's own settings win: their `pymdownx.superfences` custom fences are kept and ours are added beside
them (a fence of the same name in mkdocs.yml stays theirs), their toc slug function and table alignment
are kept, and their `custom_dir` overrides ours. Nothing here points into the user's project: the
package's own files (overrides, fences) are found beside this module, wherever it is installed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

log = logging.getLogger("mkdocs.plugins.atlas")

PACKAGE_DIR = Path(__file__).resolve().parent
#: Theme overrides for every vault: the security policy, social metadata and the cached navigation.
OVERRIDES_DIR = PACKAGE_DIR / "overrides"
SUPERFENCES = "pymdownx.superfences"
FIGURES = "atlas_mkdocs.figures"


def bundled_dir(installed: str, checkout: str) -> Path:
    """Give back a folder the package carries: inside it once installed from the wheel, or in a checkout
    (an editable install) the repository folder that pyproject.toml maps to it."""
    inside = PACKAGE_DIR / installed
    return inside if inside.is_dir() else PACKAGE_DIR.parent / checkout


#: The facts calculators offer when a project has no data/ of its own (in a checkout: data/).
BUNDLED_DATA = bundled_dir("default_data", "data")


def add_fences(config: MkDocsConfig, fences: list[dict[str, Any]]) -> None:
    """Add our custom fences to the user's pymdownx.superfences settings, keeping theirs."""
    if SUPERFENCES not in config.markdown_extensions:
        config.markdown_extensions.append(SUPERFENCES)
    settings = config.mdx_configs.setdefault(SUPERFENCES, {})
    custom = list(settings.get("custom_fences") or [])
    names = {fence.get("name") for fence in custom}
    for fence in fences:
        if fence["name"] in names:
            log.debug("atlas: mkdocs.yml defines the '%s' fence itself; it is kept", fence["name"])
        else:
            custom.append(fence)
    settings["custom_fences"] = custom


def add_extension(config: MkDocsConfig, name: str, settings: dict[str, Any] | None = None) -> None:
    """Add a Markdown extension by name unless mkdocs.yml lists it (then its settings there stay)."""
    if name not in config.markdown_extensions:
        config.markdown_extensions.append(name)
        if settings:
            config.mdx_configs[name] = settings


def default_markdown_settings(config: MkDocsConfig, slug: Callable[..., str]) -> None:
    """Set what our pages rely on, where mkdocs.yml says nothing.

    - toc writes heading ids with the slug function the Obsidian links use for their fragments.
    - Tables align with the `align` attribute: the Content-Security-Policy blocks `style="..."`.
    - Footnotes are Obsidian syntax (`[^1]`), and so are task lists (`- [x] done`, shown as ticked boxes
      the reader cannot change, as Obsidian Publish shows them) and strikethrough (`~~gone~~`; a single
      `~` stays a tilde, as in Obsidian, not a subscript).
    """
    toc = config.mdx_configs.setdefault("toc", {})
    toc.setdefault("slugify", slug)
    config.mdx_configs.setdefault("tables", {}).setdefault("use_align_attribute", True)
    add_extension(config, "footnotes")
    add_extension(config, "pymdownx.tasklist", {"custom_checkbox": True, "clickable_checkbox": False})
    add_extension(config, "pymdownx.tilde", {"subscript": False})


def add_theme_overrides(config: MkDocsConfig) -> None:
    """Put our theme overrides after the user's `custom_dir` (theirs win) and before the theme's own.

    They fill blocks and partials of Material's templates, so another theme is left as it is (its pages
    then carry no Content-Security-Policy and no social previews).
    """
    dirs = config.theme.dirs
    if config.theme.name != "material":
        log.info("atlas: the theme is '%s', not Material: its templates are left as they are", config.theme.name)
        return
    if str(OVERRIDES_DIR) in dirs:
        return
    dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES_DIR))
