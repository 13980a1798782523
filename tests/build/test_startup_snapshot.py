"""The start-up snapshot: Pyodide's memory with the engine already running, made at build time under Node.

The browser's worker restores it instead of starting Python, installing the wheel and loading data/;
these tests check what the build serves and that the restored engine answers exactly as CPython does.
"""

import gzip
import json
import re
import shutil
import struct
import subprocess
import zipfile

import pytest

from atlas_mkdocs.runtime.manager import worker_script
from atlas_mkdocs.engine.catalogue import Catalogue
from atlas_mkdocs.engine.widgets import WIDGETS, run_widget_json
from tests.helpers import ROOT, build_site

SNAPSHOT_MAGIC = 1886286592  # Pyodide's snapshot header (pyodide.asm.mjs, restoreSnapshot)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = tmp_path_factory.mktemp("snapshot-site")
    result = build_site(ROOT / "docs", site)
    assert result.returncode == 0, result.stderr
    return site


def snapshot_name(site) -> str:
    worker = (site / "assets" / "atlas" / "worker.js").read_text(encoding="utf-8")
    match = re.search(r'^const SNAPSHOT = "(startup-[0-9a-f]{16}\.snapshot)";$', worker, re.M)
    assert match, "worker.js does not name a snapshot"
    return match[1]


def test_worker_names_the_snapshot_the_site_serves(site):
    """worker.js names one snapshot, which sits beside the wheel: gzip around Pyodide's memory image."""
    name = snapshot_name(site)
    engine = site / "assets" / "atlas" / "engine"
    assert sorted(p.name for p in engine.glob("*.snapshot")) == [name]
    sparse = gzip.decompress((engine / name).read_bytes())
    memory = unsparse(sparse)
    assert int.from_bytes(memory[:4], "little") == SNAPSHOT_MAGIC
    assert len(memory) > 16_000_000  # Python's heap with the engine imported, not a stub
    # Zero pages are left out, which is most of the memory: less for the reader's browser to inflate.
    assert len(sparse) < 0.6 * len(memory)
    # Beside it, the empty standard library it mounts; the wheel and data.json stay, for a browser that
    # cannot use the snapshot.
    with zipfile.ZipFile(engine / "snapshot-stdlib.zip") as stdlib:
        assert stdlib.namelist() == []
    assert list(engine.glob("atlas_calculators-*.whl"))
    assert (site / "assets" / "atlas" / "data.json").exists()


def unsparse(data: bytes) -> bytes:
    """Give back the memory a snapshot file holds: "ATLS", length, runs of (offset, length), their bytes."""
    assert data[:4] == b"ATLS"
    length, runs = struct.unpack_from("<II", data, 4)
    memory = bytearray(length)
    at = 12 + 8 * runs
    for index in range(runs):
        offset, size = struct.unpack_from("<II", data, 12 + 8 * index)
        assert offset % 4096 == 0 and offset + size <= length
        memory[offset:offset + size] = data[at:at + size]
        at += size
    assert at == len(data)
    return bytes(memory)


def test_a_new_snapshot_replaces_the_old_in_the_cache(site, tmp_path):
    """Another data/ gives another snapshot (the catalogue is in its memory), and the old one goes."""
    from atlas_mkdocs.runtime.engine_bundle import PyodideCompiler

    compiler = PyodideCompiler(ROOT / "node_modules" / "pyodide", tmp_path)
    stdlib = site / "assets" / "pyodide" / "python_stdlib.zip"
    engine = site / "assets" / "atlas" / "engine"
    wheel = next(engine.glob("atlas_calculators-*.whl"))
    data = (site / "assets" / "atlas" / "data.json").read_text(encoding="utf-8")
    first = compiler.snapshot(stdlib, engine / "pyodide-lock.json", wheel, data)
    second = compiler.snapshot(stdlib, engine / "pyodide-lock.json", wheel, data.replace("H100", "H101", 1))
    assert first.name != second.name
    assert sorted(p.name for p in second.parent.iterdir()) == [second.name]


def test_worker_script_without_a_snapshot():
    """With startup_snapshot off (or no Node), worker.js says so and the worker installs the wheel."""
    assert "const SNAPSHOT = null;" in worker_script(None)
    assert 'const SNAPSHOT = "startup-0123456789abcdef.snapshot";' in worker_script("startup-0123456789abcdef.snapshot")
    assert "/* atlas:snapshot */" not in worker_script(None)


def _cases() -> list[tuple[str, dict]]:
    """Every widget at its defaults, at each preset, with one changed and one rejected value."""
    cases: list[tuple[str, dict]] = []
    for name, widget in WIDGETS.items():
        cases.append((name, {}))
        cases += [(name, dict(preset.values)) for preset in widget.presets]
        number = next(spec for spec in widget.inputs if spec.kind != "choice")
        cases.append((name, {number.name: "-1"}))
        cases.append((name, {number.name: "oops"}))
    cases.append(("no-such-widget", {}))
    return cases


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed, so Pyodide cannot run")
def test_restored_engine_answers_as_cpython_does(site, tmp_path):
    """Restored under Node, the snapshot's engine gives CPython's exact answers, with data/ loaded."""
    cases = _cases()
    cases_file = tmp_path / "cases.json"
    cases_file.write_text(json.dumps(cases), encoding="utf-8")
    done = subprocess.run(["node", str(ROOT / "tests" / "build" / "snapshot_run.mjs"), str(site),
                           snapshot_name(site), str(cases_file)],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    restored = json.loads(done.stdout.strip().splitlines()[-1])
    data = Catalogue.from_json((site / "assets" / "atlas" / "data.json").read_text(encoding="utf-8"))
    expected = [json.loads(run_widget_json(name, json.dumps(values), data)) for name, values in cases]
    assert len(restored["answers"]) == len(expected) > 40
    for case, got, want in zip(cases, restored["answers"], expected):
        assert got == want, case
    # Spot checks that the comparison compares something: seed 003's rental at full use, and refusals.
    assert cases[0] == ("rental-cost", {})
    assert restored["answers"][0]["text"]["cost_per_million_tokens"] == "$9.72"
    assert {"ok": False, "field": "hourly_price_usd",
            "message": "Rental price must be at least 0 $/hour; got -1"} in restored["answers"]
    assert restored["answers"][-1] == {"ok": False, "field": None, "message": (
        "unknown widget 'no-such-widget'; known: rental-cost, api-cost, own-hardware-cost, rental-month, break-even, "
        "utilisation-curve, vram-fit, throughput, cascade-savings, cache-savings, uncertainty, image-cost, audio-cost, "
        "decision")}
    # Nothing was imported after the restore: the empty standard library the worker mounts is enough.
    assert restored["imported"] == []
    # A Python error still crosses into JavaScript readably.
    assert restored["crossed"] == "json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
    # The wheel the snapshot was made from is gone from the path; the engine is in memory.
    assert not [entry for entry in restored["path"] if entry.endswith(".whl")]
    assert {"atlas_mkdocs.engine.widgets", "atlas_mkdocs.engine.catalogue", "atlas_mkdocs.engine.rental"} <= set(restored["engine_modules"])
    assert "atlas_mkdocs.engine.cli" not in restored["engine_modules"]


def test_worker_script_without_its_marker_is_named(tmp_path, monkeypatch):
    """An edited worker.js that lost the snapshot's marker fails the build with the file and the marker."""
    import atlas_mkdocs.runtime.manager as runtime
    from mkdocs.exceptions import PluginError

    (tmp_path / "worker.js").write_text("const SNAPSHOT = null;\n", encoding="utf-8")
    monkeypatch.setattr(runtime, "ASSETS_DIR", tmp_path)
    with pytest.raises(PluginError) as error:
        worker_script(None)
    assert str(error.value) == (f"atlas: {tmp_path / 'worker.js'} must hold `/* atlas:snapshot */ null` once, "
                                "where the build writes the start-up snapshot's name")
