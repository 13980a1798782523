// Restores a built site's start-up snapshot in Pyodide under Node, as the browser's worker does, and
// prints the engine's answers to the cases as JSON, for test_startup_snapshot.py.
// Usage: node snapshot_run.mjs <site dir> <snapshot file name> <cases.json>
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [site, snapshotName, casesPath] = process.argv.slice(2);
const runtime = join(site, "assets", "pyodide");
const { loadPyodide } = await import(pathToFileURL(join(runtime, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: runtime + "/",
  lockFileURL: join(site, "assets", "atlas", "engine", "pyodide-lock.json"),
  _loadSnapshot: gunzipSync(readFileSync(join(site, "assets", "atlas", "engine", snapshotName))),
  stdLibURL: join(site, "assets", "atlas", "engine", "snapshot-stdlib.zip"),
});
const modules = () => JSON.parse(pyodide.runPython("import json, sys; json.dumps(sorted(sys.modules))"));
const before = modules();
const run = pyodide.pyimport("calculators.widgets").run_widget_json;
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
json.dumps({"path": sys.path, "engine_modules": sorted(m for m in sys.modules if m.startswith("calculators"))})
`));
process.stdout.write(JSON.stringify({ answers, crossed, imported, ...state }) + "\n");
