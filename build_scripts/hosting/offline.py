"""The offline copy: a service worker whose precache manifest is the built site itself."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

SERVICE_WORKER_TEMPLATE = Path(__file__).resolve().parent / "assets" / "sw.js"
#: Where the service worker lands: the site's root, so its scope is the whole site (at / or /repo/).
SERVICE_WORKER = "sw.js"

#: Left out of the precache, never out of the site: lunr's stemmers for other languages (loaded only
#: for a non-English site, then cached as fetched), and files no reader's page asks for: compressed
#: copies of the sitemap and source maps for developer tools.
_NOT_PRECACHED = ("assets/javascripts/lunr/",)
_NOT_PRECACHED_SUFFIXES = (".gz", ".map")


def site_files(site_dir: Path) -> list[str]:
    """Give back every file of the built site, relative to its root with "/" between folders, sorted.

    One os.walk, sorted as strings: sorting Path objects from rglob and asking each whether it is a
    file took 50 ms a walk at 250 notes, and writing the service worker walked the site twice.
    """
    found: list[str] = []
    for folder, _, names in os.walk(site_dir):
        relative = Path(folder).relative_to(site_dir).as_posix()
        prefix = "" if relative == "." else relative + "/"
        found.extend(prefix + name for name in names)
    return sorted(found)


def precache_paths(site_dir: Path, files: list[str] | None = None) -> list[str]:
    """Give back the URL-encoded paths, relative to the site root, that the service worker caches.

    A page's index.html is listed as its folder ("Rented%20GPU%20cost/"), the URL its links use, encoded
    as MkDocs encodes links, so the cached request is the one a reader's browser makes. ``files``: the
    site's files as site_files gives them, if the caller has them already.
    """
    paths = []
    for relative in site_files(site_dir) if files is None else files:
        if (relative == SERVICE_WORKER or relative.startswith(_NOT_PRECACHED)
                or relative.endswith(_NOT_PRECACHED_SUFFIXES)
                or "/." in "/" + relative):  # a hidden file, or a file in a hidden folder
            continue
        if relative == "index.html":
            relative = "./"
        elif relative.endswith("/index.html"):
            relative = relative[: -len("index.html")]
        paths.append(quote(relative))
    return paths


def site_version(site_dir: Path, paths: list[str], known: Mapping[Path, bytes] | None = None,
                 files: list[str] | None = None) -> str:
    """Give back a digest of every precached file's name and bytes: a new build gets a new cache.

    ``known`` gives the SHA-256 of files the caller has just written, which are then not read again;
    ``files``: the site's files as site_files gives them, if the caller has them already.
    """
    known = known or {}
    digest = hashlib.sha256()
    for relative in site_files(site_dir) if files is None else files:
        if relative != SERVICE_WORKER:
            path = site_dir / relative
            digest.update(relative.encode("utf-8") + b"\0")
            digest.update(known.get(path) or hashlib.sha256(path.read_bytes()).digest())
    digest.update(json.dumps(paths).encode("utf-8"))
    digest.update(SERVICE_WORKER_TEMPLATE.read_bytes())
    return digest.hexdigest()[:16]


def write_service_worker(site_dir: Path, known: Mapping[Path, bytes] | None = None) -> Path:
    """Write sw.js at the site's root with the built site as its precache; give back its path.

    ``known``: the SHA-256 of files just written (see site_version)."""
    files = site_files(site_dir)
    paths = precache_paths(site_dir, files)
    script = (SERVICE_WORKER_TEMPLATE.read_text(encoding="utf-8")
              .replace("__ATLAS_VERSION__", site_version(site_dir, paths, known, files))
              .replace("__ATLAS_PRECACHE__", json.dumps(paths, indent=0)))
    target = site_dir / SERVICE_WORKER
    target.write_text(script, encoding="utf-8")
    return target
