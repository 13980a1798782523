// One module Web Worker per tab holds Pyodide and answers every calculator on every page.
// Everything it loads comes from this site: the runtime from ../pyodide/, and from ./engine/ either the
// start-up snapshot (Python already running the engine) or, without one, our engine wheel through the
// lock file, which registers that wheel and nothing else.
import { loadPyodide } from "../pyodide/pyodide.mjs";

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

// The snapshot holds only the memory pages that are not all zeros (see pyodide_snapshot.mjs):
// "ATLS", memory length, run count, (offset, length) per run, then the runs' bytes.
async function inflate(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname.split("/").pop()}: HTTP ${response.status}`);
  const sparse = new Uint8Array(
    await new Response(response.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer(),
  );
  const view = new DataView(sparse.buffer);
  if (String.fromCharCode(...sparse.subarray(0, 4)) !== "ATLS") throw new Error("not a start-up snapshot");
  const memory = new Uint8Array(view.getUint32(4, true));
  const runs = view.getUint32(8, true);
  let at = 12 + 8 * runs;
  for (let index = 0; index < runs; index++) {
    const offset = view.getUint32(12 + 8 * index, true);
    const length = view.getUint32(16 + 8 * index, true);
    memory.set(sparse.subarray(at, at + length), offset);
    at += length;
  }
  if (at !== sparse.length) throw new Error("start-up snapshot is truncated or corrupt");
  return memory;
}

async function fromSnapshot() {
  // A promise: Pyodide fetches its runtime files while the snapshot downloads and inflates. Pyodide
  // awaits it only later, so a failure is marked handled here and surfaces from loadPyodide instead.
  const snapshot = inflate(new URL(`./engine/${SNAPSHOT}`, import.meta.url));
  snapshot.catch(() => {});
  const pyodide = await loadPyodide({
    ...options,
    _loadSnapshot: snapshot,
    // Everything the engine imports is in the snapshot's memory: the standard library it mounts is empty.
    stdLibURL: new URL("./engine/snapshot-stdlib.zip", import.meta.url).href,
  });
  return pyodide.pyimport("calculators.widgets").run_widget_json;
}

async function fromWheel() {
  const pyodide = await loadPyodide({ ...options, packages: ["atlas-calculators"] });
  // The validated facts from data/ (GPU list, model shapes) that some widgets offer as choices.
  const response = await fetch(new URL("./data.json", import.meta.url));
  if (!response.ok) throw new Error(`data.json: HTTP ${response.status}`);
  pyodide.pyimport("calculators.catalogue").use_catalogue_json(await response.text());
  return pyodide.pyimport("calculators.widgets").run_widget_json;
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
