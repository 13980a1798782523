"""Package the cost engine for the browser: a wheel, a custom pyodide-lock.json, and the runtime files.

The reader's browser loads Pyodide from the site itself (copied from the pinned npm package), then
installs our engine wheel through a lock file that lists only that wheel, so nothing is fetched from a
CDN and no package index is consulted.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import shutil
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name

log = logging.getLogger("mkdocs.plugins.atlas")

ENGINE_DIST_NAME = "atlas-calculators"
#: The engine's import name, in CPython (pyproject.toml maps calculators/ to it) and in the browser alike.
ENGINE_PACKAGE = "atlas_mkdocs.engine"
#: Its top-level package: in the browser wheel an empty one, since the browser needs the engine alone.
TOP_LEVEL_PACKAGE = ENGINE_PACKAGE.partition(".")[0]

#: Files of the npm package `pyodide` that a module Web Worker needs at run time. The npm lock file
#: is not served: the site serves its own lock file beside the engine wheel.
PYODIDE_RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")

# Wheels are zips: a fixed timestamp keeps the wheel, its sha256 and the lock file byte-identical
# between builds of the same source, so a browser cache is not invalidated by a rebuild.
_ZIP_EPOCH = (2020, 1, 1, 0, 0, 0)


@contextmanager
def progress(what: str) -> Iterator[None]:
    """Say that a long step starts and, once it is done, how long it took (INFO lines: `make site` shows them).

    Only steps whose result is not cached yet are announced: a warm build prints none of them.
    """
    log.info("atlas: %s ...", what)
    started = time.perf_counter()
    yield
    log.info("atlas: %s: done in %.1f s", what, time.perf_counter() - started)


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


#: Engine modules the browser never runs: the command line reads files and parses arguments, and
#: __main__ starts it. They stay in the Python package, out of the wheel the pages load.
NOT_IN_BROWSER = ("cli.py", "__main__.py")


def _engine_sources(package_dir: Path) -> list[Path]:
    return sorted(p for p in package_dir.rglob("*.py")
                  if "__pycache__" not in p.parts and p.relative_to(package_dir).as_posix() not in NOT_IN_BROWSER)


def build_engine_wheel(package_dir: Path, out_dir: Path, compiler: "PyodideCompiler | None" = None) -> Path:
    """Give back the path of a pure-Python wheel of the engine package, built into ``out_dir``.

    The engine is stdlib-only, so its wheel is a zip of its modules plus three metadata files; writing
    it here takes milliseconds and needs no build backend in an isolated environment on every build.
    With a ``compiler`` the modules are shipped as .pyc for Pyodide's Python, so the browser does not
    compile them on every page load.
    """
    sources = _engine_sources(package_dir)
    if not sources:
        raise EngineBundleError(f"No Python files under {package_dir}: is the engine package missing?")
    version = engine_version(package_dir)
    if compiler is not None:
        version += f".{compiler.tag}"
    dist = ENGINE_DIST_NAME.replace("-", "_")
    wheel = out_dir / f"{dist}-{version}-py3-none-any.whl"
    if wheel.exists():  # named by the hash of its sources: an existing wheel is up to date
        return wheel
    folder = ENGINE_PACKAGE.replace(".", "/")
    files: dict[str, bytes] = {
        f"{TOP_LEVEL_PACKAGE}/__init__.py": b'"""The browser\'s copy: the cost engine alone, in atlas_mkdocs.engine."""\n',
        **{f"{folder}/{source.relative_to(package_dir).as_posix()}": source.read_bytes() for source in sources},
    }
    if compiler is not None:
        files = compiler.compile_files(files)
    dist_info = f"{dist}-{version}.dist-info"
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {ENGINE_DIST_NAME}\nVersion: {version}\n"
        "Summary: Inference Cost Atlas cost engine (pure Python, stdlib only)\n"
    ).encode()
    files[f"{dist_info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: inference-cost-atlas\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    ).encode()
    files[f"{dist_info}/top_level.txt"] = f"{TOP_LEVEL_PACKAGE}\n".encode()
    record_lines = [f"{name},sha256={_urlsafe_digest(data)},{len(data)}" for name, data in files.items()]
    record_lines.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record_lines) + "\n").encode()

    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(f"{dist}-*.whl"):
        if stale != wheel:  # another build of the same sources may have just written ours
            stale.unlink(missing_ok=True)
    _write_atomically(wheel, _zip_bytes(files))
    return wheel


def _write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a private temporary file, so that two builds sharing the
    cache (make bench, parallel tests) never read each other's half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", delete=False) as tmp:
        tmp.write(data)
    Path(tmp.name).replace(target)


def _zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


class PyodideCompiler:
    """Runs Pyodide under Node at build time: compiles Python sources to .pyc for Pyodide's own Python,
    and makes the engine's start-up snapshot.

    Results are cached in ``cache_dir`` by the hash of their input, so only the first build after a
    change pays the few seconds Pyodide takes to start under Node.
    """

    SCRIPT = Path(__file__).resolve().parent / "pyodide_compile.mjs"
    SNAPSHOT_SCRIPT = Path(__file__).resolve().parent / "pyodide_snapshot.mjs"

    def __init__(self, pyodide_dir: Path, cache_dir: Path, node: str | None = None) -> None:
        self.pyodide_dir = pyodide_dir
        self.cache_dir = cache_dir / "pyc"
        self.node = node or shutil.which("node")
        version = json.loads((pyodide_dir / "package.json").read_text())["version"]
        #: Part of every compiled artefact's name: bytecode is only valid for this runtime.
        self.tag = "pyodide" + version.replace(".", "")
        self._key_salt = version.encode() + self.SCRIPT.read_bytes()

    def compile_zip(self, source: Path) -> Path:
        """Give back a zip like ``source`` with each .py replaced by its .pyc (cached)."""
        data = source.read_bytes()
        key = hashlib.sha256(self._key_salt + data).hexdigest()[:16]
        target = self.cache_dir / f"{source.stem}-{key}.zip"
        if not target.exists():
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=self.cache_dir) as private, \
                    progress(f"compiling {source.name} to bytecode for Pyodide under Node"):
                output = Path(private) / target.name
                self._run(source, output)
                output.replace(target)
        return target

    def compile_files(self, files: dict[str, bytes]) -> dict[str, bytes]:
        """Give back ``files`` (name to bytes) with each .py compiled to a .pyc of the same stem."""
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        data = _zip_bytes(files)
        # A private folder per call: the source's name must stay stable (it names the cached output).
        with tempfile.TemporaryDirectory(dir=self.cache_dir) as private:
            source = Path(private) / f"engine-src-{hashlib.sha256(data).hexdigest()[:16]}.zip"
            source.write_bytes(data)
            with zipfile.ZipFile(self.compile_zip(source)) as compiled:
                return {name: compiled.read(name) for name in compiled.namelist()}

    def snapshot(self, stdlib: Path, lock_file: Path, wheel: Path, data_json: str) -> Path:
        """Give back the engine's start-up snapshot, gzip-compressed (cached by its inputs).

        It is Pyodide's memory after Python started with ``stdlib``, imported the engine from ``wheel``,
        loaded ``data_json`` and ran every widget once; the browser restores it instead of doing all
        that again. Made under Node with the runtime the site serves, so it fits that runtime only.
        """
        digest = hashlib.sha256(self._key_salt + self.SNAPSHOT_SCRIPT.read_bytes())
        for part in (stdlib.read_bytes(), lock_file.read_bytes(), wheel.read_bytes(), data_json.encode()):
            digest.update(hashlib.sha256(part).digest())
        target = self.cache_dir.parent / "snapshot" / f"startup-{digest.hexdigest()[:16]}.snapshot"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=target.parent) as private:
                data = Path(private) / "data.json"
                data.write_text(data_json, encoding="utf-8")
                output = Path(private) / target.name
                with progress("making the calculators' start-up snapshot in Pyodide under Node"):
                    self._node(self.SNAPSHOT_SCRIPT, [self.pyodide_dir, stdlib, lock_file, wheel, data, output],
                               f"Making the start-up snapshot from {wheel.name}")
                output.replace(target)
            # 5 MB each: one per edit of data/ or the engine would pile up. Keep the newest, as the wheel does.
            for stale in target.parent.glob("startup-*.snapshot"):
                if stale != target:
                    stale.unlink(missing_ok=True)
        return target

    def _run(self, source: Path, target: Path) -> None:
        self._node(self.SCRIPT, [self.pyodide_dir, source, target], f"Compiling {source.name}")

    def _node(self, script: Path, arguments: list[Path], what: str) -> None:
        if not self.node:
            raise EngineBundleError(
                "Node.js is needed to compile the engine and the standard library for Pyodide, and "
                "`node` is not on the PATH. Install Node 18+, or set `compile_bytecode: false` under "
                "the atlas plugin in mkdocs.yml (the calculators then start more slowly)."
            )
        command = [self.node, str(script), *map(str, arguments)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            raise EngineBundleError(
                f"{what} inside Pyodide under Node failed (exit {result.returncode}):\n{_node_error(result.stderr)}"
            )


def _node_error(stderr: str) -> str:
    """Give back the part of Node's error output a person can act on: the Python traceback if there is one.

    Node prints the line of the failing script first, and Pyodide's script is minified onto one line of
    a megabyte, so the last lines of the output alone would be minified source.
    """
    start = stderr.find("PythonError: Traceback")
    if start >= 0:
        return stderr[start:].split("\n    at ", 1)[0].strip()[-2000:]
    lines = [line for line in stderr.splitlines() if len(line) < 500]
    return "\n".join(lines).strip()[-2000:]


def _urlsafe_digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def write_lock_file(wheel: Path, pyodide_dir: Path, out_file: Path) -> Path:
    """Write a pyodide-lock.json that registers ``wheel`` (and nothing else) for Pyodide's runtime, and
    give back its path: ``out_file``'s name with a key of its inputs (the site serves it as
    pyodide-lock.json).

    `pyodide_lock`'s add_wheels (what `pyodide lockfile add-wheels` runs) checks the wheel against the
    runtime's Python and platform and records its sha256 and imports; we then keep only our package,
    so the browser downloads a lock file of a few hundred bytes instead of every Pyodide package.
    """
    npm_lock = pyodide_dir / "pyodide-lock.json"
    if not npm_lock.exists():
        raise EngineBundleError(
            f"{npm_lock} not found: the Pyodide runtime is missing. Run `npm ci` (make does this for you)."
        )
    # Named by its inputs, so a later build with the same wheel and runtime reuses it without importing
    # pyodide-lock (and pydantic), which is most of the time this step takes.
    key = hashlib.sha256(npm_lock.read_bytes() + wheel.name.encode() + wheel.read_bytes()).hexdigest()[:16]
    out_file = out_file.with_name(f"{out_file.stem}-{key}{out_file.suffix}")
    if out_file.exists():
        return out_file

    with progress(f"registering {wheel.name} in a pyodide-lock.json"):
        _add_wheel(wheel, npm_lock, out_file)
    return out_file


def _add_wheel(wheel: Path, npm_lock: Path, out_file: Path) -> None:
    """Write ``out_file``: the runtime's lock file ``npm_lock`` with ``wheel`` as its one package."""
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    # pyodide-lock guesses import names from .py files; our wheel holds only .pyc, so it would warn
    # and record none. We know the one import name, so say it and keep that warning quiet.
    utils_log = logging.getLogger("pyodide_lock.utils")
    level = utils_log.level
    utils_log.setLevel(logging.ERROR)
    try:
        spec = add_wheels_to_spec(PyodideLockSpec.from_json(npm_lock), [wheel], base_path=wheel.parent)
    finally:
        utils_log.setLevel(level)
    ours = canonicalize_name(ENGINE_DIST_NAME)
    spec.packages = {name: package for name, package in spec.packages.items() if name == ours}
    spec.packages[ours].imports = [TOP_LEVEL_PACKAGE]
    out_file.parent.mkdir(parents=True, exist_ok=True)
    data = spec.to_dict()
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    _write_atomically(out_file, text.encode())
    for stale in out_file.parent.glob("pyodide-lock*.json"):
        if stale != out_file:  # a build of other inputs; removing it only means that build writes it again
            stale.unlink(missing_ok=True)


def build_engine_bundle(
    package_dir: Path, pyodide_dir: Path, out_dir: Path, compiler: PyodideCompiler | None = None
) -> EngineBundle:
    """Give back the engine wheel and its lock file, both written into ``out_dir``."""
    wheel = build_engine_wheel(package_dir, out_dir, compiler)
    lock_file = write_lock_file(wheel, pyodide_dir, out_dir / "pyodide-lock.json")
    return EngineBundle(wheel=wheel, lock_file=lock_file)


def pyodide_runtime_files(pyodide_dir: Path, compiler: PyodideCompiler | None = None) -> list[Path]:
    """Give back the runtime files to serve, or raise EngineBundleError naming what is missing.

    With a ``compiler``, the standard library is served compiled (same file name, .pyc inside): that
    roughly halves the time from page load to a live calculator, cold and warm.
    """
    missing = [name for name in PYODIDE_RUNTIME_FILES if not (pyodide_dir / name).is_file()]
    if missing:
        raise EngineBundleError(
            f"The Pyodide runtime in {pyodide_dir} lacks {', '.join(missing)}. "
            "Run `npm ci` in the project folder (make does this for you) to install the pinned "
            "npm package `pyodide`."
        )
    files = [pyodide_dir / name for name in PYODIDE_RUNTIME_FILES]
    if compiler is None:
        return files
    return [compiler.compile_zip(path) if path.name == "python_stdlib.zip" else path for path in files]
