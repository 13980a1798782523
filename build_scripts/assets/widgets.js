// Calculators in the page: each prerendered .atlas-calculator form becomes live once the engine runs.
//
// The worker is created once per tab, on first need (focus, scroll into view, or browser idle), and
// outlives Material's instant navigation, which swaps the page content but keeps this module alive.

const WATCHDOG_MS = 20000; // a runtime that has not answered by then is reported as failed
const DEBOUNCE_MS = 120;

let worker = null;
let runtimeState = "idle"; // idle -> starting -> live | failed
let runtimeMessage = "";
let nextId = 0;
const pending = new Map();
const mounted = new Set();

function setStatus(root, state, text) {
  const status = root.querySelector(".atlas-calculator__status");
  status.dataset.state = state;
  status.textContent = text;
}

function broadcast() {
  for (const root of mounted) {
    if (!root.isConnected) {
      mounted.delete(root);
      continue;
    }
    if (runtimeState === "starting") setStatus(root, "starting", "Starting the calculator…");
    if (runtimeState === "live") setStatus(root, "live", "Live: results update as you type.");
    if (runtimeState === "failed")
      setStatus(root, "error", `The live calculator could not start (${runtimeMessage}). The results shown were computed when this page was built.`);
  }
}

function startWorker() {
  if (worker) return worker;
  runtimeState = "starting";
  broadcast();
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  const watchdog = setTimeout(() => {
    if (runtimeState === "starting") fail(`no answer after ${WATCHDOG_MS / 1000} s`);
  }, WATCHDOG_MS);
  worker.onmessage = (event) => {
    const message = event.data;
    if (message.type === "ready") {
      clearTimeout(watchdog);
      runtimeState = "live";
      window.atlasRuntimeReadyMs = message.ms;
      broadcast();
      for (const root of mounted) if (root.dataset.dirty === "true") recompute(root);
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
    fail(event.message || "the worker script failed to load");
  };
  return worker;
}

function fail(message) {
  runtimeState = "failed";
  runtimeMessage = message;
  broadcast();
}

function ask(widget, values) {
  const id = ++nextId;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    startWorker().postMessage({ id, widget, values });
  });
}

function formValues(root) {
  const values = {};
  for (const input of root.querySelectorAll("input[name]")) values[input.name] = input.value;
  return values;
}

async function recompute(root) {
  root.dataset.dirty = "true";
  if (runtimeState !== "live") {
    startWorker();
    return; // recomputed when the runtime reports ready
  }
  const requested = ++root._atlasGeneration;
  const result = await ask(root.dataset.widget, formValues(root));
  if (requested !== root._atlasGeneration) return; // a newer edit is on its way
  root.dataset.dirty = "false";
  for (const error of root.querySelectorAll(".atlas-error")) {
    error.hidden = true;
    error.textContent = "";
  }
  for (const input of root.querySelectorAll("input[name]")) input.removeAttribute("aria-invalid");
  if (result.ok) {
    for (const [name, text] of Object.entries(result.text)) {
      const cell = root.querySelector(`[data-output="${name}"]`);
      if (cell) cell.textContent = text;
    }
    root.dataset.computed = "browser";
    root.dispatchEvent(new CustomEvent("atlas:computed", { bubbles: true }));
  } else {
    // Keep the last good results; show the engine's message at the field it rejected.
    const input = result.field && root.querySelector(`input[name="${result.field}"]`);
    const error = input ? root.querySelector(`#${input.id}-error`) : root.querySelector(".atlas-error");
    if (input) input.setAttribute("aria-invalid", "true");
    if (error) {
      error.textContent = result.message;
      error.hidden = false;
    }
    root.dispatchEvent(new CustomEvent("atlas:rejected", { bubbles: true }));
  }
}

function mount(root) {
  if (root.dataset.mounted) return;
  root.dataset.mounted = "true";
  root._atlasGeneration = 0;
  mounted.add(root);
  let timer = null;
  root.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => recompute(root), DEBOUNCE_MS);
  });
  root.addEventListener("focusin", () => startWorker(), { once: true });
  broadcast();
}

function mountAll() {
  const roots = document.querySelectorAll(".atlas-calculator");
  roots.forEach(mount);
  if (roots.length === 0 || worker) return;
  // Start the runtime when a calculator is in view, or when the browser has nothing else to do.
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) {
      observer.disconnect();
      startWorker();
    }
  });
  roots.forEach((root) => observer.observe(root));
  (window.requestIdleCallback || ((fn) => setTimeout(fn, 200)))(() => startWorker());
}

// Material's document$ emits on the first load and after every instant navigation.
if (window.document$) window.document$.subscribe(mountAll);
else mountAll();
