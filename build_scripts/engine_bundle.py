"""Package the cost engine for the browser: a wheel, a custom pyodide-lock.json, and the runtime files.

The reader's browser loads Pyodide from the site itself (copied from the pinned npm package), then
installs our engine wheel through a lock file that lists only that wheel, so nothing is fetched from a
CDN and no package index is consulted.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

ENGINE_DIST_NAME = "atlas-calculators"
ENGINE_PACKAGE = "calculators"

#: Files of the npm package `pyodide` that a module Web Worker needs at run time. The npm lock file
#: is not served: the site serves its own lock file beside the engine wheel.
PYODIDE_RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")

# Wheels are zips: a fixed timestamp keeps the wheel, its sha256 and the lock file byte-identical
# between builds of the same source, so a browser cache is not invalidated by a rebuild.
_ZIP_EPOCH = (2020, 1, 1, 0, 0, 0)


class EngineBundleError(RuntimeError):
    """The engine or the Pyodide runtime could not be packaged; the message says what to do."""


@dataclass(frozen=True)
class EngineBundle:
    """Where the packaged engine lives: its wheel and the lock file that registers it."""

    wheel: Path
    lock_file: Path


def engine_version(package_dir: Path) -> str:
    """Give back the engine version: a short hash of its sources, so any change busts browser caches."""
    digest = hashlib.sha256()
    for source in _engine_sources(package_dir):
        digest.update(source.relative_to(package_dir).as_posix().encode())
        digest.update(source.read_bytes())
    return f"0.1.0+{digest.hexdigest()[:12]}"


def _engine_sources(package_dir: Path) -> list[Path]:
    return sorted(p for p in package_dir.rglob("*.py") if "__pycache__" not in p.parts)


def build_engine_wheel(package_dir: Path, out_dir: Path) -> Path:
    """Give back the path of a pure-Python wheel of the engine package, built into ``out_dir``.

    The engine is stdlib-only, so its wheel is a zip of its .py files plus three metadata files; writing
    it here takes milliseconds and needs no build backend in an isolated environment on every build.
    """
    sources = _engine_sources(package_dir)
    if not sources:
        raise EngineBundleError(f"No Python files under {package_dir}: is the engine package missing?")
    version = engine_version(package_dir)
    dist = ENGINE_DIST_NAME.replace("-", "_")
    dist_info = f"{dist}-{version}.dist-info"
    files: dict[str, bytes] = {
        f"{ENGINE_PACKAGE}/{source.relative_to(package_dir).as_posix()}": source.read_bytes()
        for source in sources
    }
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {ENGINE_DIST_NAME}\nVersion: {version}\n"
        "Summary: Inference Cost Atlas cost engine (pure Python, stdlib only)\n"
    ).encode()
    files[f"{dist_info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: inference-cost-atlas\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    ).encode()
    files[f"{dist_info}/top_level.txt"] = f"{ENGINE_PACKAGE}\n".encode()
    record_lines = [f"{name},sha256={_urlsafe_digest(data)},{len(data)}" for name, data in files.items()]
    record_lines.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record_lines) + "\n").encode()

    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"{dist}-{version}-py3-none-any.whl"
    for stale in out_dir.glob(f"{dist}-*.whl"):
        if stale != wheel:
            stale.unlink()
    if not wheel.exists():
        tmp = wheel.with_suffix(".tmp")
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        tmp.replace(wheel)
    return wheel


def _urlsafe_digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def write_lock_file(wheel: Path, pyodide_dir: Path, out_file: Path) -> Path:
    """Write a pyodide-lock.json that registers ``wheel`` (and nothing else) for Pyodide's runtime.

    `pyodide_lock`'s add_wheels (what `pyodide lockfile add-wheels` runs) checks the wheel against the
    runtime's Python and platform and records its sha256 and imports; we then keep only our package,
    so the browser downloads a lock file of a few hundred bytes instead of every Pyodide package.
    """
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    npm_lock = pyodide_dir / "pyodide-lock.json"
    if not npm_lock.exists():
        raise EngineBundleError(
            f"{npm_lock} not found: the Pyodide runtime is missing. Run `npm ci` (make does this for you)."
        )
    spec = add_wheels_to_spec(PyodideLockSpec.from_json(npm_lock), [wheel], base_path=wheel.parent)
    ours = canonicalize_name(ENGINE_DIST_NAME)
    spec.packages = {name: package for name, package in spec.packages.items() if name == ours}
    out_file.parent.mkdir(parents=True, exist_ok=True)
    data = spec.to_dict()
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    if not out_file.exists() or out_file.read_text() != text:
        out_file.write_text(text)
    return out_file


def build_engine_bundle(package_dir: Path, pyodide_dir: Path, out_dir: Path) -> EngineBundle:
    """Give back the engine wheel and its lock file, both written into ``out_dir``."""
    wheel = build_engine_wheel(package_dir, out_dir)
    lock_file = write_lock_file(wheel, pyodide_dir, out_dir / "pyodide-lock.json")
    return EngineBundle(wheel=wheel, lock_file=lock_file)


def pyodide_runtime_files(pyodide_dir: Path) -> list[Path]:
    """Give back the runtime files to serve, or raise EngineBundleError naming what is missing."""
    missing = [name for name in PYODIDE_RUNTIME_FILES if not (pyodide_dir / name).is_file()]
    if missing:
        raise EngineBundleError(
            f"The Pyodide runtime in {pyodide_dir} lacks {', '.join(missing)}. "
            "Run `npm ci` in the project folder (make does this for you) to install the pinned "
            "npm package `pyodide`."
        )
    return [pyodide_dir / name for name in PYODIDE_RUNTIME_FILES]
