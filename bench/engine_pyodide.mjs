// The engine benchmark in Pyodide under Node: the same bench/engine_work.py, on calculators/ as files.
// Usage: node engine_pyodide.mjs <repo root> <config.json>; prints one JSON object.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [root, configPath] = process.argv.slice(2);
const started = performance.now();
const { loadPyodide } = await import(pathToFileURL(join(root, "node_modules", "pyodide", "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: join(root, "node_modules", "pyodide") + "/", stdout: () => {} });
const loadMs = performance.now() - started;

const home = "/home/pyodide";
// Under the engine's import name (pyproject.toml maps calculators/ to atlas_mkdocs.engine).
pyodide.FS.mkdirTree(`${home}/atlas_mkdocs/engine`);
pyodide.FS.writeFile(`${home}/atlas_mkdocs/__init__.py`, "");
for (const name of readdirSync(join(root, "calculators"))) {
  if (name.endsWith(".py")) {
    pyodide.FS.writeFile(`${home}/atlas_mkdocs/engine/${name}`, readFileSync(join(root, "calculators", name), "utf8"));
  }
}
pyodide.FS.writeFile(`${home}/engine_work.py`, readFileSync(join(root, "bench", "engine_work.py"), "utf8"));
pyodide.globals.set("config_json", readFileSync(configPath, "utf8"));
const answer = JSON.parse(pyodide.runPython(`
import json, sys
sys.path.insert(0, "${home}")
from engine_work import run
json.dumps(run(json.loads(config_json)))
`));
answer.load_ms = loadMs;
process.stdout.write(JSON.stringify(answer) + "\n");
