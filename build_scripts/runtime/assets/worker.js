// One module Web Worker per tab holds Pyodide and answers every calculator on every page.
// Everything it loads comes from this site: the runtime from ../pyodide/, and from ./engine/ either the
// start-up snapshot (Python already running the engine) or, without one, our engine wheel through the
// lock file, which registers that wheel and nothing else. The snapshot's reader is snapshot.js.
import { loadPyodide } from "../pyodide/pyodide.mjs";
import { loadFromSnapshot } from "./snapshot.js";

const started = performance.now();
let ready = false;
let reported = false;

function reportFailure(message) {
  if (reported) return;
  reported = true;
  postMessage({ type: "failed", message });
}

// A missing or blocked .wasm file makes Emscripten log "wasm instantiation failed!" and abort
// without ever settling loadPyodide's promise. Until the runtime is ready, watch the console for
// the loader's failure lines and report them at once, rather than when the page's watchdog gives up.
for (const level of ["warn", "error"]) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    original(...args);
    const text = args.map(String).join(" ");
    if (!ready && /failed|aborted\(/i.test(text)) reportFailure(text.split("\n")[0].replace(/!$/, ""));
  };
}

// The engine's start-up snapshot in ./engine/ (its non-zero pages, gzip), named by the build; null when
// the site was built without one. Restoring it skips starting Python, importing the engine and loading data/.
const SNAPSHOT = /* atlas:snapshot */ null;

const options = {
  indexURL: new URL("../pyodide/", import.meta.url).href,
  lockFileURL: new URL("./engine/pyodide-lock.json", import.meta.url).href,
  // The engine prints nothing; anything printed is a bug worth seeing in the console.
  stdout: (text) => console.log(text),
  stderr: (text) => console.warn(text),
};

async function fromSnapshot() {
  const pyodide = await loadFromSnapshot(new URL(`./engine/${SNAPSHOT}`, import.meta.url), {
    ...options,
    // Everything the engine imports is in the snapshot's memory: the standard library it mounts is empty.
    stdLibURL: new URL("./engine/snapshot-stdlib.zip", import.meta.url).href,
  });
  return pyodide.globals.get("run_widget_json");
}

async function fromWheel() {
  const pyodide = await loadPyodide({ ...options, packages: ["atlas-calculators"] });
  // The validated facts from data/ (GPU list, model shapes) that some widgets offer as choices.
  const response = await fetch(new URL("./data.json", import.meta.url));
  if (!response.ok) throw new Error(`data.json: HTTP ${response.status}`);
  return pyodide.pyimport("atlas_mkdocs.engine.protocol").json_runner(await response.text());
}

const runtime = (async () => {
  if (SNAPSHOT) {
    try {
      return await fromSnapshot();
    } catch (error) {
      // Slower, not broken: install the engine wheel and start Python the usual way.
      console.info(`atlas: starting without the start-up snapshot (${error && error.message ? error.message : error})`);
    }
  }
  return fromWheel();
})();

runtime.then(
  () => {
    ready = true;
    if (!reported) postMessage({ type: "ready", ms: Math.round(performance.now() - started) });
  },
  (error) => reportFailure(String(error && error.message ? error.message : error)),
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
