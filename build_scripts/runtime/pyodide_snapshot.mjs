// Make the engine's start-up snapshot: Pyodide's memory once Python has started, the engine is
// imported, data/ is loaded and every widget has run once; the browser restores it instead of
// starting Python, importing and warming up on every page load.
//
// Usage: node pyodide_snapshot.mjs PYODIDE_DIR STDLIB_ZIP LOCK_FILE ENGINE_WHEEL DATA_JSON OUT
// The snapshot is written as its non-zero pages, gzip-compressed: the worker inflates it with
// DecompressionStream and puts the pages back in place.
import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [pyodideDir, stdlib, lockFile, wheel, dataJson, out] = process.argv.slice(2);
if (!out) {
  console.error("usage: node pyodide_snapshot.mjs PYODIDE_DIR STDLIB_ZIP LOCK_FILE ENGINE_WHEEL DATA_JSON OUT");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
// No `packages`: a loaded package is JavaScript-side state a snapshot cannot carry, so the engine is
// imported straight from its wheel, which the restored runtime never needs again.
const pyodide = await loadPyodide({
  indexURL: pyodideDir + path.sep,
  stdLibURL: stdlib,
  lockFileURL: lockFile,
  _makeSnapshot: true,
});
pyodide.FS.writeFile("/tmp/engine.whl", readFileSync(wheel));
pyodide.FS.writeFile("/tmp/data.json", readFileSync(dataJson));
const warm = pyodide.runPython(`
import importlib, json, pkgutil, sys, zipimport

sys.path.insert(0, "/tmp/engine.whl")
import atlas_mkdocs.engine
# Every engine module, not only those the widgets import first: none can be imported after restore.
# Not the command line (cli, and __main__, which runs it when imported): no page uses it.
for module in pkgutil.walk_packages(atlas_mkdocs.engine.__path__, "atlas_mkdocs.engine."):
    if module.name not in ("atlas_mkdocs.engine.__main__", "atlas_mkdocs.engine.cli"):
        importlib.import_module(module.name)
from atlas_mkdocs.engine import protocol, widgets

# The engine keeps no state: the worker's call, made from data.json, lives in __main__, and so in the snapshot.
with open("/tmp/data.json", encoding="utf-8") as data:
    run_widget_json = protocol.json_runner(data.read())

# Run what a reader can ask for, so every lazy import and cache is in memory: defaults, presets,
# and a rejected value in each field.
runs = 0
for name, widget in widgets.WIDGETS.items():
    scenarios = [{}] + [dict(preset.values) for preset in widget.presets]
    scenarios += [{spec.name: "not a number"} for spec in widget.inputs]
    for values in scenarios:
        json.loads(run_widget_json(name, json.dumps(values)))
        runs += 1
json.loads(run_widget_json("no-such-widget", "{}"))

sys.path.remove("/tmp/engine.whl")
# Forget every zip's index, the standard library's too: the restored runtime is served an empty one,
# as everything the engine imports is already in memory, and must read that zip afresh if asked.
sys.path_importer_cache.clear()
zipimport._zip_directory_cache.clear()
runs
`);
// A Python error crossing into JavaScript takes the same path as a bad message to the worker.
const run = pyodide.globals.get("run_widget_json");
try {
  run("rental-cost", "{not json");
} catch (error) {
  // expected: json.JSONDecodeError, formatted for JavaScript
}
run.destroy();
pyodide.FS.unlink("/tmp/engine.whl");
pyodide.FS.unlink("/tmp/data.json");

const snapshot = pyodide.makeMemorySnapshot();
const sparse = sparseSnapshot(snapshot);
writeFileSync(out, gzipSync(sparse, { level: 9 }));
console.log(`snapshot: ${snapshot.length} bytes of memory, ${sparse.length} not in zero pages, ` +
            `after ${warm} widget runs, Pyodide ${pyodide.version}`);

// Most of the memory is zero pages, which cost the reader's browser time to inflate though they
// compress to nothing. Keep only the runs of pages that hold data:
//   "ATLS", u32 memory length, u32 run count, count x (u32 offset, u32 length), then the runs' bytes
// (little-endian). worker.js puts them back into zeroed memory of the stated length.
function sparseSnapshot(memory, page = 4096) {
  const runs = [];
  for (let start = 0; start < memory.length; start += page) {
    const end = Math.min(start + page, memory.length);
    if (!memory.subarray(start, end).some((byte) => byte !== 0)) continue;
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === start) last[1] += end - start;
    else runs.push([start, end - start]);
  }
  const header = 12 + 8 * runs.length;
  const result = new Uint8Array(header + runs.reduce((sum, [, length]) => sum + length, 0));
  const view = new DataView(result.buffer);
  result.set([0x41, 0x54, 0x4c, 0x53]); // "ATLS"
  view.setUint32(4, memory.length, true);
  view.setUint32(8, runs.length, true);
  let at = header;
  runs.forEach(([offset, length], index) => {
    view.setUint32(12 + 8 * index, offset, true);
    view.setUint32(16 + 8 * index, length, true);
    result.set(memory.subarray(offset, offset + length), at);
    at += length;
  });
  return result;
}
