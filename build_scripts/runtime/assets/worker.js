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
// "ATLS", memory length, run count, (offset, length) per run, then the runs' bytes, gzip-compressed.
// It is inflated as it streams in, straight into zeroed memory of the stated length. The site's
// offline copy (sw.js) keeps it already inflated; its first byte ("A", not gzip's 0x1f) says so.
const PYODIDE_SNAPSHOT_MAGIC = 1886286592; // the first word of a memory snapshot (pyodide.asm.mjs)

class SparseSnapshot {
  constructor(url) {
    this.url = url;
    let announce;
    this.sized = new Promise((resolve) => (announce = resolve)); // the memory, once its length is read
    this.filled = this.fill(announce); // settles when every run is in place
  }

  async fill(announce) {
    const name = this.url.pathname.split("/").pop();
    const response = await fetch(this.url);
    if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
    let reader = response.body.getReader();
    const first = await reader.read();
    let pending = first.done ? new Uint8Array(0) : first.value; // bytes read but not yet placed
    if (pending[0] === 0x1f) {
      const compressed = reader;
      const replay = new ReadableStream({
        start(controller) {
          controller.enqueue(pending);
        },
        async pull(controller) {
          const { done, value } = await compressed.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel: (reason) => compressed.cancel(reason),
      });
      reader = replay.pipeThrough(new DecompressionStream("gzip")).getReader();
      pending = new Uint8Array(0);
    }
    const need = async (count) => {
      while (pending.length < count) {
        const { done, value } = await reader.read();
        if (done) throw new Error("start-up snapshot is truncated or corrupt");
        const joined = new Uint8Array(pending.length + value.length);
        joined.set(pending);
        joined.set(value, pending.length);
        pending = joined;
      }
      const taken = pending.subarray(0, count);
      pending = pending.subarray(count);
      return new DataView(taken.buffer, taken.byteOffset, taken.byteLength);
    };
    const header = await need(12);
    if (header.getUint32(0, false) !== 0x41544c53) throw new Error("not a start-up snapshot"); // "ATLS"
    const memory = new Uint8Array(header.getUint32(4, true));
    const runs = header.getUint32(8, true);
    const table = await need(8 * runs);
    // Memory starts with Pyodide's own snapshot header: check it before Pyodide sizes its memory by ours.
    const magic = await need(4);
    if (runs === 0 || table.getUint32(0, true) !== 0 || magic.getUint32(0, true) !== PYODIDE_SNAPSHOT_MAGIC)
      throw new Error("start-up snapshot is truncated or corrupt");
    memory.set(new Uint8Array(magic.buffer, magic.byteOffset, 4), 0);
    announce(memory);
    for (let index = 0; index < runs; index++) {
      let offset = table.getUint32(8 * index, true) + (index === 0 ? 4 : 0);
      const end = table.getUint32(8 * index, true) + table.getUint32(8 * index + 4, true);
      if (end > memory.length) throw new Error("start-up snapshot is truncated or corrupt");
      while (offset < end) {
        if (pending.length === 0) {
          const { done, value } = await reader.read();
          if (done) throw new Error("start-up snapshot is truncated or corrupt");
          pending = value;
        }
        const piece = pending.subarray(0, end - offset);
        memory.set(piece, offset);
        offset += piece.length;
        pending = pending.subarray(piece.length);
      }
    }
    if (pending.length || !(await reader.read()).done) throw new Error("start-up snapshot is truncated or corrupt");
  }
}

async function fromSnapshot() {
  const snapshot = new SparseSnapshot(new URL(`./engine/${SNAPSHOT}`, import.meta.url));
  let failure = null;
  const filled = snapshot.filled.catch((error) => {
    failure = error;
  });
  // Pyodide needs the memory's size before it instantiates WebAssembly, and its contents only when it
  // restores them; its fsInit hook holds the start-up until then. So the download and inflating run
  // while WebAssembly compiles, instead of before.
  const sized = Promise.race([snapshot.sized, filled.then(() => Promise.reject(failure))]);
  sized.catch(() => {}); // awaited by Pyodide later; its failure surfaces from loadPyodide
  try {
    const pyodide = await loadPyodide({
      ...options,
      _loadSnapshot: sized,
      fsInit: async () => {
        await filled;
        // A snapshot that broke half-way must not be restored: clear its magic number so Pyodide refuses it.
        if (failure) (await snapshot.sized).fill(0, 0, 4);
      },
      // Everything the engine imports is in the snapshot's memory: the standard library it mounts is empty.
      stdLibURL: new URL("./engine/snapshot-stdlib.zip", import.meta.url).href,
    });
    return pyodide.pyimport("atlas_mkdocs.engine.widgets").run_widget_json;
  } catch (error) {
    throw failure || error;
  }
}

async function fromWheel() {
  const pyodide = await loadPyodide({ ...options, packages: ["atlas-calculators"] });
  // The validated facts from data/ (GPU list, model shapes) that some widgets offer as choices.
  const response = await fetch(new URL("./data.json", import.meta.url));
  if (!response.ok) throw new Error(`data.json: HTTP ${response.status}`);
  pyodide.pyimport("atlas_mkdocs.engine.catalogue").use_catalogue_json(await response.text());
  return pyodide.pyimport("atlas_mkdocs.engine.widgets").run_widget_json;
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
