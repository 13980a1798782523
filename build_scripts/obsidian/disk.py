"""The vault's files on disk, listed without following a symbolic link to a folder.

MkDocs lists ``docs_dir`` with ``os.walk(followlinks=True)`` and prunes nothing (its exclusions apply
to the files found), so a link to a folder outside the vault has that folder walked, and a loop
(``loop -> .``, or two links into each other's folders) is walked until the system gives up: with
two such links, for ever. MkDocs has no option against it (mkdocs/mkdocs#4028).

A link to a folder is never needed: the folder it names is either outside the vault (not the
vault's to publish), the vault itself or a folder holding the link (a loop), or another folder of
the vault (published already, under its own path). So every link to a folder is skipped, each with
one warning naming it; links to files are listed, and the manager drops those whose file lies
outside the vault. Only when a vault holds such a link does the build list it here instead of with
MkDocs' own function, once, for that build.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, _file_sort_key, set_exclusions

log = logging.getLogger("mkdocs.plugins.atlas")


@dataclass(frozen=True)
class FolderLink:
    """A symbolic link to a folder inside the vault: its vault path and where it points."""

    path: str
    target: Path
    vault: Path

    @property
    def outcome(self) -> str:
        """Give back why the link is skipped, as its warning says it."""
        if not self.target.is_relative_to(self.vault):
            return f"a symbolic link to '{self.target}', outside the vault"
        inside = self.target.relative_to(self.vault).as_posix()
        shown = f"'{inside}'" if inside != "." else "the vault's root"
        link_folder = (self.vault / self.path).parent.resolve()
        if link_folder == self.target or link_folder.is_relative_to(self.target):
            return f"a symbolic link to {shown}, a folder that holds it (a loop)"
        return f"a symbolic link to {shown}, a folder of the vault published under its own path"


def folder_links(docs_dir: str | Path) -> list[FolderLink]:
    """Give back every symbolic link to a folder in the vault, walking it without following any link."""
    root = Path(docs_dir)
    vault = root.resolve()
    links: list[FolderLink] = []
    for folder, dirnames, _ in os.walk(root):  # followlinks=False: a link to a folder is listed, not entered
        for name in sorted(dirnames):
            path = Path(folder, name)
            if path.is_symlink():
                links.append(FolderLink(path.relative_to(root).as_posix(), path.resolve(), vault))
    return links


def report(links: list[FolderLink]) -> None:
    """Log one warning per skipped link to a folder."""
    for link in links:
        log.warning("Doc folder '%s' is %s: it is skipped.", link.path, link.outcome)


def list_files(config: MkDocsConfig) -> Files:
    """Give back the vault's files as MkDocs' get_files lists them, without entering links to folders.

    The same listing otherwise: files sorted with index and README first, MkDocs' exclusions set, and
    a README left out beside an index of the same folder.
    """
    files: list[File] = []
    conflicts: list[tuple[File, File]] = []
    for folder, dirnames, filenames in os.walk(config.docs_dir):  # followlinks=False
        relative = os.path.relpath(folder, config.docs_dir)
        dirnames.sort()
        by_dest: dict[str, File] = {}
        for name in sorted(filenames, key=_file_sort_key):
            file = File(os.path.join(relative, name), config.docs_dir, config.site_dir, config.use_directory_urls)
            first = by_dest.setdefault(file.dest_uri, file)
            if first is not file:
                conflicts.append((first, file))
            files.append(file)
    set_exclusions(files, config)
    for first, second in conflicts:
        if second.inclusion.is_included():
            if first.inclusion.is_included():
                log.warning(f"Excluding '{first.src_uri}' from the site because it conflicts with '{second.src_uri}'.")
            if first in files:
                files.remove(first)
        elif second in files:
            files.remove(second)
    return Files(files)


def list_this_build_without_folder_links(config: MkDocsConfig) -> None:
    """Have MkDocs list this build's files with list_files rather than its own get_files, once.

    The build calls ``mkdocs.commands.build.get_files(config)`` right after ``on_pre_build``; that one
    call, for this config, is answered by list_files, and MkDocs' own function is put back at once.
    """
    from mkdocs.commands import build as build_module

    own = getattr(build_module.get_files, "mkdocs_get_files", build_module.get_files)

    def get_files(called_with: MkDocsConfig) -> Files:
        build_module.get_files = own
        return list_files(called_with) if called_with is config else own(called_with)

    get_files.mkdocs_get_files = own  # type: ignore[attr-defined]
    build_module.get_files = get_files
