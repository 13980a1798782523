"""The data/ the figures read without the plugin: a session over the folder, loaded once and again only
when a file of it changes (under the plugin, the figures read the build's session)."""

from __future__ import annotations

import functools
from pathlib import Path

from atlas_mkdocs.data import DataError
from atlas_mkdocs.data.loader import AtlasData
from atlas_mkdocs.figures.errors import FigureError
from atlas_mkdocs.session import BuildSession


def standalone_session(data_dir: Path) -> BuildSession:
    """Give back the session over ``data_dir`` (from the working folder, the project's, where MkDocs or
    Zensical runs): the same one until a file of the folder changes."""
    folder = data_dir.resolve()
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.yaml"))) if folder.is_dir() else ()
    return _session_over(folder, stamp)


@functools.lru_cache(maxsize=8)
def _session_over(folder: Path, stamp: tuple[tuple[str, int], ...]) -> BuildSession:
    return BuildSession(data_dir=folder)


def data_of(session: BuildSession, data_dir: str | Path) -> AtlasData:
    """Give back the session's validated data; raise FigureError listing every problem in it."""
    if session.data is not None:
        return session.data
    folder = session.data_dir
    if folder is None or not folder.is_dir():
        raise FigureError(f"figures: the data folder {str(data_dir)!r} does not exist (looked in "
                          f"{folder or Path(data_dir).resolve()}); set the data_dir option of atlas_mkdocs.figures "
                          "in mkdocs.yml")
    try:
        return session.facts()
    except DataError as error:
        raise FigureError(f"figures: cannot read {folder.name}/: {error}") from None
