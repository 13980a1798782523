"""The validated data/ the figures read, loaded once per build and again only when a file changes."""

from __future__ import annotations

from pathlib import Path

from atlas_mkdocs.data import DataError, load_data
from atlas_mkdocs.data.loader import AtlasData
from atlas_mkdocs.figures.errors import FigureError

_cache: dict[Path, tuple[tuple[tuple[str, int], ...], AtlasData]] = {}


def resolve_data_dir(data_dir: str | Path) -> Path:
    """Give back ``data_dir`` as an absolute folder: as given, else from the working folder (the project's,
    where MkDocs or Zensical runs; the atlas plugin gives an absolute one, from beside mkdocs.yml)."""
    return Path(data_dir).resolve()


def atlas_data(data_dir: str | Path) -> AtlasData:
    """Give back the validated data of ``data_dir``; raise FigureError listing every problem in it."""
    folder = resolve_data_dir(data_dir)
    if not folder.is_dir():
        raise FigureError(f"figures: the data folder {str(data_dir)!r} does not exist (looked in {folder}); "
                          "set the data_dir option of atlas_mkdocs.figures in mkdocs.yml")
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.yaml")))
    cached = _cache.get(folder)
    if cached and cached[0] == stamp:
        return cached[1]
    try:
        data = load_data(folder)
    except DataError as error:
        raise FigureError(f"figures: cannot read {folder.name}/: {error}") from None
    _cache[folder] = (stamp, data)
    return data
