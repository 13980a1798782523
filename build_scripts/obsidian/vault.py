"""The vault index, built once per build, and link resolution as one pure function over it.

Resolution follows Obsidian: an exact vault path (with or without ``.md``) wins; otherwise a file in
the linking note's own folder; otherwise the shortest path. Names match case-insensitively, an
exact-case match preferred; a partial path (``2024/Books``) narrows the candidates; a note's aliases
resolve when no file name does. Lookups go through dictionaries keyed by folded names, never a scan.
"""

from __future__ import annotations

import difflib
import functools
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from atlas_mkdocs.obsidian.paths import (
    NOTE_SUFFIX,
    LinkPath,
    VaultPath,
    WikiLink,
    folder_of,
    fold,
    is_note,
    note_name,
    parse_wikilink,
)
from atlas_mkdocs.obsidian.scan import Heading, LinkOccurrence, NoteSource, scan_note, tag_key

#: Folders Obsidian keeps beside the notes and never shows: settings, and deleted files.
IGNORED_FOLDERS = (".obsidian", ".trash")


@dataclass(frozen=True)
class Note:
    """A note of the vault as the index knows it."""

    path: VaultPath
    title: str
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    headings: tuple[Heading, ...] = ()
    block_ids: frozenset[str] = frozenset()
    links: tuple[LinkOccurrence, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    published: bool = True
    frontmatter_problem: tuple[int, str] | None = None
    #: Properties of a broken frontmatter block that could not be read, and whether they mention
    #: draft or publish (see scan.read_frontmatter).
    unreadable_properties: tuple[str, ...] = ()
    may_be_unpublished: bool = False
    rejected_tags: tuple[str, ...] = ()
    #: Where the body starts in the note's text (after the frontmatter MkDocs strips): embeds cut it
    #: there rather than parse the frontmatter again.
    body_start: int = 0

    @property
    def unpublished_reason(self) -> str | None:
        """Give back why the note is not published ("draft: true", "publish: false"), or None.

        Frontmatter that is not valid YAML may hold ``draft: true``: its properties are read one by one,
        and if one that cannot be read mentions draft or publish, the note is not published until it is
        fixed (MkDocs alone would publish it, frontmatter shown as text).
        """
        if _flag(self.meta.get("draft")) is True:
            return "draft: true"
        if _flag(self.meta.get("publish")) is False:
            return "publish: false"
        if self.may_be_unpublished:
            return "its frontmatter is not valid YAML"
        return None


def _flag(value: Any) -> bool | None:
    """Give back a frontmatter flag as a bool: true/false, and "true", "yes", "off", 1, 0 as people type them."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in ("true", "yes", "on", "1"):
            return True
        if word in ("false", "no", "off", "0"):
            return False
    return None


def note_from_source(path: VaultPath, source: NoteSource) -> Note:
    """Give back the index entry of a note from its scanned source."""
    meta = source.meta
    aliases = meta.get("aliases", meta.get("alias")) or []
    if isinstance(aliases, str):
        aliases = [a.strip() for a in aliases.split(",")]
    title = meta.get("title")
    note = Note(
        path=path,
        title=str(title) if title else note_name(path),
        aliases=tuple(str(a) for a in aliases if a and str(a).strip()),
        tags=tuple(source.tags),
        headings=tuple(source.headings),
        block_ids=frozenset(source.block_ids),
        links=tuple(source.links),
        meta=dict(meta),
        frontmatter_problem=source.frontmatter_problem,
        unreadable_properties=tuple(source.unreadable_properties),
        may_be_unpublished=source.may_be_unpublished,
        rejected_tags=tuple(source.rejected_tags),
        body_start=source.body_start,
    )
    return Note(**{**note.__dict__, "published": note.unpublished_reason is None})


def ignored(path: str) -> bool:
    """Give back whether a vault path lies in a folder Obsidian hides (.obsidian/, .trash/)."""
    return any(part in IGNORED_FOLDERS for part in path.split("/")[:-1])


@dataclass(frozen=True)
class Resolution:
    """Where a link lands: a vault file (or None when unresolved) and a fragment (heading slug or ^id)."""

    link: WikiLink
    target: VaultPath | None
    heading: str | None = None  # the last heading as written: its slug is the fragment
    block: str | None = None

    @property
    def resolved(self) -> bool:
        return self.target is not None


class VaultIndex:
    """Every published file of the vault, with lookups by path, name and alias."""

    def __init__(self, files: Iterable[str], notes: Mapping[str, Note] | None = None) -> None:
        notes = dict(notes or {})
        #: The text of each published note, where the index read it from a folder itself.
        self.texts: dict[VaultPath, str] = {}
        #: Notes not published (draft, publish: false): kept only to say so in messages.
        self.unpublished: dict[VaultPath, Note] = {
            VaultPath(p): n for p, n in notes.items() if not n.published
        }
        self.files: tuple[VaultPath, ...] = tuple(
            VaultPath(p) for p in files if not ignored(p) and p not in self.unpublished
        )
        self.notes: dict[VaultPath, Note] = {}
        for path in self.files:
            if is_note(path):
                self.notes[path] = notes.get(path) or Note(path=path, title=note_name(path))
        self._by_path: dict[str, list[VaultPath]] = {}
        self._by_name: dict[str, list[VaultPath]] = {}
        self._by_alias: dict[str, list[VaultPath]] = {}
        for path in self.files:
            self._by_path.setdefault(fold(path), []).append(path)
            self._by_name.setdefault(fold(posixpath.basename(path)), []).append(path)
        for note in self.notes.values():
            for alias in note.aliases:
                self._by_alias.setdefault(fold(alias), []).append(note.path)

    @classmethod
    def from_sources(cls, sources: Mapping[str, str | None],
                     scan: Callable[[str], NoteSource] = scan_note) -> "VaultIndex":
        """Give back the index of a vault given as {vault path: note text (None for attachments)}.

        ``scan`` reads one note's text (a live preview passes one that remembers the texts it has read)."""
        notes = {
            path: note_from_source(VaultPath(path), scan(text))
            for path, text in sources.items()
            if is_note(path) and text is not None and not ignored(path)
        }
        return cls(sources.keys(), notes)

    @classmethod
    def from_directory(cls, root: str | Path) -> "VaultIndex":
        """Give back the index of the vault in a folder (for the extensions used without the plugin).

        Hidden folders, files whose link leads out of the vault, and notes that are not UTF-8 text are
        left out: nothing outside the vault is read, and one bad file does not stop the rest.
        """
        root = Path(root)
        vault = root.resolve()
        sources: dict[str, str | None] = {}
        for file in sorted(root.rglob("*")):  # rglob enters no link to a folder
            relative = file.relative_to(root).as_posix()
            if any(part.startswith(".") for part in relative.split("/")) or not file.is_file() \
                    or not file.resolve().is_relative_to(vault):
                continue
            try:
                sources[relative] = file.read_text(encoding="utf-8-sig") if is_note(relative) else None
            except (OSError, UnicodeDecodeError):
                continue
        index = cls.from_sources(sources)
        index.texts = {VaultPath(path): text for path, text in sources.items() if path in index.notes and text is not None}
        return index

    @functools.cached_property
    def tag_spellings(self) -> dict[str, str]:
        """Give back {tag key: the spelling shown for it}: tags are one whatever their case (#Band is
        #band), shown as most published notes write them (the first note's spelling on a tie)."""
        counts: dict[str, Counter] = {}
        for path in sorted(self.notes):
            for tag in self.notes[path].tags:
                counts.setdefault(tag_key(tag), Counter())[tag] += 1
        return {key: spellings.most_common(1)[0][0] for key, spellings in counts.items()}

    def page_tags(self, note: Note) -> list[str]:
        """Give back the tags a note is listed under: its own, in the vault's spelling, then the parents
        of its nested tags (#a/b counts for #a), as Obsidian's tag pane counts them."""
        own = {tag_key(tag): self.tag_spelling(tag) for tag in note.tags}
        parents: dict[str, str] = {}
        for tag in own.values():
            parts = tag.split("/")
            for depth in range(1, len(parts)):
                prefix = "/".join(parts[:depth])
                if prefix and tag_key(prefix) not in own:
                    parents.setdefault(tag_key(prefix), prefix)
        return [*own.values(), *parents.values()]

    def tag_spelling(self, tag: str) -> str:
        """Give back a tag as the vault spells it, level by level (#MUSIC/Jazz is Music/Jazz if #Music is)."""
        parts = tag.split("/")
        spelled = []
        for depth in range(1, len(parts) + 1):
            known = self.tag_spellings.get(tag_key("/".join(parts[:depth])))
            spelled.append(known.split("/")[-1] if known and known.count("/") == depth - 1 else parts[depth - 1])
        return "/".join(spelled)

    def close_name(self, link_path: str) -> str | None:
        """Give back the published note name or alias closest to a name that resolved to nothing."""
        wanted = fold(posixpath.basename(link_path.strip()))
        if wanted.endswith(NOTE_SUFFIX):
            wanted = wanted[: -len(NOTE_SUFFIX)]
        # A file named with its extension (clip.mp4) is matched against files of that kind only.
        kind = posixpath.splitext(wanted)[1]
        kind = kind if re.fullmatch(r"\.[a-z0-9]{1,5}", kind) and not is_note(wanted) else ""
        names: dict[str, str] = {}
        for path in self.files:
            if not kind or fold(path).endswith(kind):
                names.setdefault(fold(note_name(path)), note_name(path))
        for note in self.notes.values():
            for alias in note.aliases if not kind else ():
                names.setdefault(fold(alias), alias)
        match = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.75)
        return names[match[0]] if match else None

    def unpublished_match(self, link_path: str, source: VaultPath | None) -> Note | None:
        """Give back the unpublished note a link would have reached, to name it in the warning."""
        if not self.unpublished or not link_path:
            return None
        target = resolve_path(self._with_unpublished, source, LinkPath(link_path))
        return self.unpublished.get(target) if target else None

    @functools.cached_property
    def _with_unpublished(self) -> "VaultIndex":
        """The index as it would be if every note were published (names and aliases), for messages."""
        notes = {**self.notes, **{p: replace(n, published=True) for p, n in self.unpublished.items()}}
        return VaultIndex(list(self.files) + list(self.unpublished), notes)


def _best(candidates: list[VaultPath], wanted: str, folder: str) -> VaultPath:
    """Give back the candidate Obsidian picks: the linking note's folder, exact case, then shortest path."""
    relative = fold(posixpath.join(folder, wanted)) if folder else fold(wanted)

    def rank(path: VaultPath) -> tuple:
        return (
            fold(path) != relative,                # in (or under) the linking note's own folder
            not path.endswith(wanted),             # exact case preferred over a case-insensitive match
            path.count("/"),                       # shortest path
            len(path),
            path,                                  # a stable order, so builds are reproducible
        )

    return min(candidates, key=rank)


def resolve_path(index: VaultIndex, source: VaultPath | None, link: LinkPath) -> VaultPath | None:
    """Give back the vault file a link path names from the note ``source``, or None."""
    wanted = link.strip().replace("\\", "/")
    folder = folder_of(source)
    if not wanted:
        return source
    anchored = False
    if wanted.startswith(("./", "../")):
        wanted = posixpath.normpath(posixpath.join(folder, wanted))
        if wanted.startswith("../") or wanted == "..":
            return None  # outside the vault
        anchored = True
    elif wanted.startswith("/"):
        wanted, anchored = wanted.lstrip("/"), True
    names = [wanted] if is_note(wanted) else [wanted + NOTE_SUFFIX, wanted]
    for name in names:  # an exact vault path wins
        exact = index._by_path.get(fold(name))
        if exact:
            return _best(exact, name, "")
    if anchored:
        return None
    for name in names:
        candidates = index._by_name.get(fold(posixpath.basename(name)), [])
        if "/" in name:  # a partial path narrows the candidates to those ending with it
            suffix = "/" + fold(name)
            candidates = [c for c in candidates if fold("/" + c).endswith(suffix)]
        if candidates:
            return _best(candidates, name, folder)
    aliased = index._by_alias.get(fold(wanted))
    return _best(aliased, wanted, folder) if aliased else None


def resolve_markdown_path(index: VaultIndex, source: VaultPath | None, path: str) -> VaultPath | None:
    """Give back the vault file a Markdown link's path (URL-decoded, without scheme or fragment) lands on
    from the note ``source``: beside the note, else by Obsidian's rule (not for "./" and "../", which
    name a place). The one rule for Markdown links, rendered (mdlinks.py) or counted (backlinks)."""
    beside = posixpath.normpath(posixpath.join(folder_of(source), path))
    if not beside.startswith(".."):
        found = resolve_path(index, source, LinkPath("/" + beside))
        if found is not None:
            return found
    if path.startswith(("./", "../")):
        return None
    return resolve_path(index, source, LinkPath(path))


def resolve(index: VaultIndex, source: VaultPath | None, raw: str) -> Resolution:
    """Give back where ``[[raw]]`` written in ``source`` lands: the one resolution function.

    ``source`` None resolves as from the vault root. A name that contains ``#`` (``C# tips``) is tried
    when reading the first ``#`` as a heading names no file.
    """
    link = parse_wikilink(raw)
    target = resolve_path(index, source, link.path)
    hashes = 0
    while target is None and raw.split("|", 1)[0].count("#") > hashes:
        hashes += 1
        longer = parse_wikilink(raw, name_hashes=hashes)
        found = resolve_path(index, source, longer.path)
        if found is not None:
            link, target = longer, found
    heading = link.headings[-1] if link.headings else None
    return Resolution(link=link, target=target, heading=heading, block=link.block)
