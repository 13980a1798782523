// The start-up snapshot's reader: restores, in the runtime's worker (worker.js), the snapshot that
// build_scripts/runtime/pyodide_snapshot.mjs writes at build time: Pyodide's memory with the engine
// imported, data/ loaded and every widget run once, so the browser skips all three.
//
// The snapshot holds only the memory pages that are not all zeros (sparseSnapshot in pyodide_snapshot.mjs):
// "ATLS", memory length, run count, (offset, length) per run, then the runs' bytes, gzip-compressed.
// It is inflated as it streams in, straight into zeroed memory of the stated length. The site's
// offline copy (sw.js) keeps it already inflated; its first byte ("A", not gzip's 0x1f) says so.
//
// In the site this file sits beside worker.js, in assets/atlas/, and Pyodide in assets/pyodide/.
import { loadPyodide } from "../pyodide/pyodide.mjs";

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

/** Start Pyodide from the snapshot at `url` (loadPyodide's options as for a plain start); give it back.
 * A snapshot that cannot be read fails with the reason, and leaves the caller to start without it. */
export async function loadFromSnapshot(url, options) {
  const snapshot = new SparseSnapshot(url);
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
    return await loadPyodide({
      ...options,
      _loadSnapshot: sized,
      fsInit: async () => {
        await filled;
        // A snapshot that broke half-way must not be restored: clear its magic number so Pyodide refuses it.
        if (failure) (await snapshot.sized).fill(0, 0, 4);
      },
    });
  } catch (error) {
    throw failure || error;
  }
}
