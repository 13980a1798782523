"""Obsidian properties that MkDocs or Material would act on, kept only where the theme can use them.

In a vault, properties are the author's own data: a reading list has `status: reading`, a template note
`template: Book`, a note made with an icon plugin `icon: trees`. MkDocs and Material read some of the same
names as instructions to the theme, and an ordinary value takes the whole build down: `template: Book`
makes MkDocs look for a template file "Book", `icon: trees` makes Material include `.icons/trees.svg`,
`hide: 3` and `search: no` break Material's templates and search plugin. So each such property reaches
the theme only when it is a value the theme can use; otherwise it is left out of the page's metadata
(the note keeps it, and nothing else changes) with one info line naming the note, the property and what
the theme would have needed. `subtitle` is printed by the navigation as HTML: it goes in as text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from markupsafe import Markup

#: What Material's `hide` property takes (base.html, content.html and the tags plugin test for these).
HIDE_VALUES = ("navigation", "toc", "footer", "feedback", "tags", "path")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*")


def _in_theme(dirs: Iterable[str | Path], name: str) -> bool:
    return ".." not in name.split("/") and any((Path(folder) / name).is_file() for folder in dirs)


def theme_safe_meta(meta: Mapping[str, object], theme_dirs: Iterable[str | Path]) -> tuple[dict, list[str]]:
    """Give back the page metadata with the theme's properties kept only where usable, and a notice for
    each property left out ("property 'icon: trees' ...; the page shows no icon")."""
    dirs = list(theme_dirs)
    kept = dict(meta)
    notices: list[str] = []

    def drop(key: str, needs: str, outcome: str) -> None:
        value = kept.pop(key)
        notices.append(f"property '{key}: {value}' {needs}; {outcome}")

    template = kept.get("template")
    if template is not None and not (isinstance(template, str) and template.endswith(".html")
                                     and _NAME.fullmatch(template) and _in_theme(dirs, template)):
        drop("template", "is not a template of the theme (an .html file in the theme or its overrides)",
             "the page uses the default template")
    icon = kept.get("icon")
    if icon is not None and not (isinstance(icon, str) and _NAME.fullmatch(icon)
                                 and _in_theme(dirs, f".icons/{icon}.svg")):
        drop("icon", "is not an icon of the theme (a name like material/tree, from its .icons folder)",
             "the page shows no icon")
    hide = kept.get("hide")
    if isinstance(hide, str) and hide in HIDE_VALUES:
        kept["hide"] = [hide]
    elif hide is not None and not (isinstance(hide, list) and hide and all(item in HIDE_VALUES for item in hide)):
        drop("hide", f"is not a list of what the theme can hide ({', '.join(HIDE_VALUES)})", "nothing is hidden")
    status = kept.get("status")
    if status is not None and not (isinstance(status, str) and _NAME.fullmatch(status)):
        drop("status", "is not a single word", "the navigation shows no status")
    search = kept.get("search")
    if search is not None and not isinstance(search, Mapping):
        drop("search", "is not a mapping (search: {exclude: true} leaves a page out of search)",
             "the page is in the search index")
    subtitle = kept.get("subtitle")
    if subtitle is not None:
        kept["subtitle"] = Markup(html.escape(str(subtitle)))
    return kept, notices
