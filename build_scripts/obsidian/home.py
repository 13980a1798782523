"""A home page for a vault that has none: the site's root never answers 404.

Obsidian vaults seldom hold an `index.md`. Without one MkDocs publishes no page at the root, and the
logo, the first link a reader follows, leads nowhere. So the root shows the note named by the plugin's
`home` option, or else a generated list of every published note, by folder.
"""

from __future__ import annotations

import html
import logging
import posixpath
from collections.abc import Mapping

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.plugins.atlas")

HOME_PAGE = "index.html"
GENERATED_HOME = "index.md"


def home_file(files: Files) -> File | None:
    """Give back the page published at the site's root (index.md, README.md, a permalink), or None."""
    for file in files.documentation_pages():
        if file.dest_uri == HOME_PAGE:
            return file
    return None


def find_note(files: Files, name: str) -> File | None:
    """Give back the published note ``name`` names ("Start", "Start.md", "folder/Start.md"), or None.

    Case is ignored, as Obsidian ignores it; a bare name matches a note in any folder when only one has it.
    """
    wanted = name.strip().strip("/").casefold()
    if not wanted.endswith(".md"):
        wanted += ".md"
    pages = list(files.documentation_pages())
    exact = [f for f in pages if f.src_uri.casefold() == wanted]
    if exact:
        return exact[0]
    by_name = [f for f in pages if posixpath.basename(f.src_uri).casefold() == wanted]
    return by_name[0] if len(by_name) == 1 else None


def publish_at_root(file: File, config: MkDocsConfig) -> None:
    """Publish ``file``'s page at the site's root instead of its own address."""
    file.dest_uri = HOME_PAGE
    for cached in ("url", "abs_dest_path"):  # File computes these once, from the old dest_uri
        file.__dict__.pop(cached, None)


def notes_index(config: MkDocsConfig, files: Files, titles: Mapping[str, str]) -> str:
    """Give back the Markdown of a page listing every published note by folder, each linked by its title.

    ``titles``: a note's title by its path in the vault (the Obsidian index's titles); a page not in it
    is listed under its file name. The list is HTML: titles are text, never Markdown or Obsidian syntax.
    """
    by_folder: dict[str, list[tuple[str, str]]] = {}
    written: list[tuple[str, str]] = []  # pages the build wrote (the data catalogue): their index only
    for file in files.documentation_pages():
        title = titles.get(file.src_uri) or posixpath.splitext(posixpath.basename(file.src_uri))[0]
        if file.generated_by:
            if posixpath.basename(file.src_uri) == "index.md":
                written.append((title, file.url or "./"))
            continue
        by_folder.setdefault(posixpath.dirname(file.src_uri), []).append((title, file.url or "./"))
    parts = []
    for folder in sorted(by_folder, key=lambda name: (name != "", name.casefold())):
        items = "".join(f'<li><a href="{html.escape(url)}">{html.escape(title)}</a></li>'
                        for title, url in sorted(by_folder[folder], key=lambda entry: entry[0].casefold()))
        heading = f"<h2>{html.escape(folder)}</h2>" if folder else ""
        parts.append(f'{heading}<ul class="atlas-home__notes">{items}</ul>')
    if written:
        links = ", ".join(f'<a href="{html.escape(url)}">{html.escape(title)}</a>' for title, url in sorted(written))
        parts.append(f"<p>Written from the site's data when it was built: {links}.</p>")
    count = sum(len(entries) for entries in by_folder.values())
    # Headed by the site's name; the page keeps MkDocs' title for a home page ("Home" in the navigation).
    return (f'<div class="atlas-home">\n<h1>{html.escape(config.site_name)}</h1>\n'
            f'<p>{count} note{"s" if count != 1 else ""} in this vault.</p>\n' + "\n".join(parts) + "\n</div>\n")


def ensure_home(files: Files, config: MkDocsConfig, home: str | None, titles: Mapping[str, str]) -> File | None:
    """Make sure a page is published at the site's root; give back the note moved there, if one was.

    The vault's own index.md (or README.md) stays the home page. Otherwise the note ``home`` names is
    published at the root, or, without one, a generated list of the notes.
    """
    existing = home_file(files)
    if existing is not None:
        if home:
            log.info("atlas: the vault has '%s', which stays the home page; the option home: '%s' is not used.",
                     existing.src_uri, home)
        return None
    if home:
        note = find_note(files, home)
        if note is not None:
            publish_at_root(note, config)
            return note
        log.warning("atlas: the option home names '%s', which is not a published note of the vault; the home "
                    "page lists the notes instead. Name a note by its path, e.g. home: 'Start here.md'.", home)
    else:
        log.info("atlas: the vault has no index.md; its home page lists the notes (set home: 'Some note.md' "
                 "under the atlas plugin to show a note there instead).")
    files.append(File.generated(config, GENERATED_HOME, content=notes_index(config, files, titles)))
    return None
