// The calculators' runtime in the page: one Web Worker per tab (worker.js), which holds Pyodide and the
// engine and answers every calculator on every page.
//
// The worker is created once per tab, on first need (focus, scroll into view, or browser idle), and
// outlives Material's instant navigation, which swaps the page content but keeps this module alive.
// Its protocol: the worker posts {type: "ready", ms} or {type: "failed", message} once, then answers
// each {id, widget, values} with {type: "result", id, result}.
//
// The runtime's state goes idle -> starting -> live | failed. The calculator form follows every change
// (onRuntime); the rest of the site hears only the answer, "live" or "failed": <html data-atlas-runtime>
// and an "atlas:runtime" event on the document, whose detail names the state and the worker's address.
// The search gate (search.js) and the offline copy (hosting's offline.js) listen for that event.

const WATCHDOG_MS = 20000; // a runtime that has not answered by then is reported as failed
export const WORKER_URL = new URL("./worker.js", import.meta.url).href;

let worker = null;
let state = "idle";
let failure = "";
let nextId = 0;
const pending = new Map();
const listeners = [];

/** The runtime's state: "idle", "starting", "live" or "failed". */
export const runtimeState = () => state;
/** Why the runtime failed, in a few words (empty unless it did). */
export const runtimeFailure = () => failure;
/** Call listener(state) on every change of state, after the site has been told of live or failed. */
export const onRuntime = (listener) => listeners.push(listener);

// Run fn when the browser has nothing else to do (or after timeout ms, where the browser says so).
const whenIdle = (fn, timeout) =>
  window.requestIdleCallback
    ? window.requestIdleCallback(fn, timeout ? { timeout } : undefined)
    : setTimeout(fn, 200);

function enter(next, message = "") {
  state = next;
  failure = message;
  if (next === "live" || next === "failed") {
    document.documentElement.dataset.atlasRuntime = next;
    document.dispatchEvent(new CustomEvent("atlas:runtime", { detail: { state: next, worker: WORKER_URL } }));
  }
  for (const listener of listeners) listener(next);
}

const fail = (message) => enter("failed", message);

/** Start the worker, if it is not started yet; give it back. */
export function startRuntime() {
  if (worker) return worker;
  enter("starting");
  // Started already by the page's <head> when the offline copy serves it (overrides/main.html).
  const early = window.atlasEarlyRuntime;
  window.atlasEarlyRuntime = null;
  try {
    worker = early ? early.worker : new Worker(WORKER_URL, { type: "module" });
  } catch (error) {
    worker = { postMessage() {} };
    fail(String(error.message || error));
    return worker;
  }
  const watchdog = setTimeout(() => {
    if (state === "starting") fail(`no answer after ${WATCHDOG_MS / 1000} s`);
  }, WATCHDOG_MS);
  worker.onmessage = (event) => {
    const message = event.data;
    if (message.type === "ready") {
      clearTimeout(watchdog);
      window.atlasRuntimeReadyMs = message.ms;
      enter("live");
    } else if (message.type === "failed") {
      clearTimeout(watchdog);
      fail(message.message);
    } else if (message.type === "result") {
      const resolve = pending.get(message.id);
      pending.delete(message.id);
      if (resolve) resolve(message.result);
    }
  };
  worker.onerror = (event) => {
    clearTimeout(watchdog);
    event.preventDefault();
    fail(event.message || "the worker script failed to load");
  };
  if (early) for (const event of early.early) (event.type === "error" ? worker.onerror : worker.onmessage)(event);
  return worker;
}

/** Start the runtime for these calculators: now if <head> started it already, else when one of them
 * is in view or the browser has nothing else to do. */
export function startWhenNeeded(roots) {
  if (roots.length === 0 || worker) return;
  if (window.atlasEarlyRuntime) {
    startRuntime(); // already running: take it over now
    return;
  }
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) {
      observer.disconnect();
      startRuntime();
    }
  });
  roots.forEach((root) => observer.observe(root));
  whenIdle(() => startRuntime());
}

/** Ask the engine to run a widget with the form's values; resolves to the engine's result. */
export function ask(widget, values) {
  const id = ++nextId;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    startRuntime().postMessage({ id, widget, values });
  });
}
