// Runs the engine inside Pyodide under Node and prints its answers as JSON, for test_parity.py.
// Usage: node parity.mjs <repo root> <cases.json>
// The calculators/ package files are written straight into Pyodide's filesystem: no wheel needed here.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const [root, casesPath] = process.argv.slice(2);
const { loadPyodide } = await import(join(root, "node_modules", "pyodide", "pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL: join(root, "node_modules", "pyodide") + "/", stdout: () => {} });

// Under the engine's import name (pyproject.toml maps calculators/ to atlas_mkdocs.engine).
const target = "/home/pyodide/atlas_mkdocs/engine";
pyodide.FS.mkdirTree(target);
pyodide.FS.writeFile("/home/pyodide/atlas_mkdocs/__init__.py", "");
for (const name of readdirSync(join(root, "calculators"))) {
  if (name.endsWith(".py")) {
    pyodide.FS.writeFile(`${target}/${name}`, readFileSync(join(root, "calculators", name), "utf8"));
  }
}
pyodide.FS.writeFile("/home/pyodide/parity_runner.py",
  readFileSync(join(root, "tests", "engine", "parity_runner.py"), "utf8"));
pyodide.globals.set("cases_json", readFileSync(casesPath, "utf8"));
const answer = pyodide.runPython(`
import json, sys
sys.path.insert(0, "/home/pyodide")
from parity_runner import run_cases
json.dumps({"python": sys.version.split()[0], "results": run_cases(json.loads(cases_json))})
`);
process.stdout.write(answer + "\n");
