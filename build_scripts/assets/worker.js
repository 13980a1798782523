// One module Web Worker per tab holds Pyodide and answers every calculator on every page.
// Everything it loads comes from this site: the runtime from ../pyodide/, our engine wheel through
// the lock file in ./engine/, which registers that wheel and nothing else.
import { loadPyodide } from "../pyodide/pyodide.mjs";

const started = performance.now();

const runtime = (async () => {
  const pyodide = await loadPyodide({
    indexURL: new URL("../pyodide/", import.meta.url).href,
    lockFileURL: new URL("./engine/pyodide-lock.json", import.meta.url).href,
    packages: ["atlas-calculators"],
    // The engine prints nothing; anything printed is a bug worth seeing in the console.
    stdout: (text) => console.log(text),
    stderr: (text) => console.warn(text),
  });
  // The validated facts from data/ (GPU list, model shapes) that some widgets offer as choices.
  const response = await fetch(new URL("./data.json", import.meta.url));
  if (!response.ok) throw new Error(`data.json: HTTP ${response.status}`);
  pyodide.pyimport("calculators.catalogue").use_catalogue_json(await response.text());
  return pyodide.pyimport("calculators.widgets").run_widget_json;
})();

runtime.then(
  () => postMessage({ type: "ready", ms: Math.round(performance.now() - started) }),
  (error) => postMessage({ type: "failed", message: String(error && error.message ? error.message : error) }),
);

onmessage = async (event) => {
  const { id, widget, values } = event.data;
  let run;
  try {
    run = await runtime;
  } catch (error) {
    return; // "failed" was already posted; the page keeps its prerendered results.
  }
  try {
    const result = JSON.parse(run(widget, JSON.stringify(values)));
    postMessage({ type: "result", id, result });
  } catch (error) {
    postMessage({ type: "result", id, result: { ok: false, field: null, message: String(error) } });
  }
};
