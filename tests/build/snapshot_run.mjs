// Restores a built site's start-up snapshot in Pyodide under Node, as the browser's worker does, and
// prints the engine's answers to the cases as JSON, for test_startup_snapshot.py.
// Usage: node snapshot_run.mjs <site dir> <snapshot file name> <cases.json>
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [site, snapshotName, casesPath] = process.argv.slice(2);

// The memory back from its non-zero pages, as worker.js rebuilds it (written here again on purpose:
// the test checks the format, not a shared helper).
function unsparse(sparse) {
  const view = new DataView(sparse.buffer, sparse.byteOffset, sparse.byteLength);
  if (String.fromCharCode(...sparse.subarray(0, 4)) !== "ATLS") throw new Error("no ATLS header");
  const memory = new Uint8Array(view.getUint32(4, true));
  const runs = view.getUint32(8, true);
  let at = 12 + 8 * runs;
  for (let index = 0; index < runs; index++) {
    const offset = view.getUint32(12 + 8 * index, true);
    const length = view.getUint32(16 + 8 * index, true);
    memory.set(sparse.subarray(at, at + length), offset);
    at += length;
  }
  if (at !== sparse.length) throw new Error("truncated");
  return memory;
}
const runtime = join(site, "assets", "pyodide");
const { loadPyodide } = await import(pathToFileURL(join(runtime, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: runtime + "/",
  lockFileURL: join(site, "assets", "atlas", "engine", "pyodide-lock.json"),
  _loadSnapshot: unsparse(gunzipSync(readFileSync(join(site, "assets", "atlas", "engine", snapshotName)))),
  stdLibURL: join(site, "assets", "atlas", "engine", "snapshot-stdlib.zip"),
});
const modules = () => JSON.parse(pyodide.runPython("import json, sys; json.dumps(sorted(sys.modules))"));
const before = modules();
const run = pyodide.globals.get("run_widget_json");
const cases = JSON.parse(readFileSync(casesPath, "utf8"));
const answers = cases.map(([widget, values]) => JSON.parse(run(widget, JSON.stringify(values))));
let crossed = null;
try {
  run("rental-cost", "{not json");
} catch (error) {
  crossed = String(error.message).trim().split("\n").pop();
}
const imported = modules().filter((name) => !before.includes(name));
const state = JSON.parse(pyodide.runPython(`
import json, sys
json.dumps({"path": sys.path, "engine_modules": sorted(m for m in sys.modules if m.startswith("atlas_mkdocs"))})
`));
process.stdout.write(JSON.stringify({ answers, crossed, imported, ...state }) + "\n");
