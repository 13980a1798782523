// Offline after one visit: registers the site's service worker (sw.js, generated at the site's root),
// and once it has taken over a tab whose calculator runtime is live, has it keep the runtime compiled.
//
// This file is <site root>/assets/hosting/offline.js, so the root is two folders up from its own URL;
// that holds at a domain root and under a sub-path alike. Nothing is registered for a page opened from
// file://, in an insecure context, or in a browser without service workers: the site works as before.
(function () {
  const script = document.currentScript;
  if (!script || location.protocol === "file:" || !window.isSecureContext || !("serviceWorker" in navigator)) return;
  const root = new URL("../../", script.src);
  function register() {
    navigator.serviceWorker
      .register(new URL("sw.js", root).href, { scope: root.pathname })
      .catch((error) => console.warn(`Offline copy unavailable: ${error && error.message ? error.message : error}`));
  }
  // A page with a calculator starts its runtime (about 15 MB of Pyodide and engine) as it loads, and
  // the precache fetches and stores the whole site: once the runtime has answered ("live" or "failed":
  // the "atlas:runtime" event of build_scripts/runtime/assets/runtime.js), or after WAIT_MS, whichever
  // comes first, so the two do not share the first visit.
  const WAIT_MS = 20000;
  function afterRuntime(then) {
    const settled = () => /^(live|failed)$/.test(document.documentElement.dataset.atlasRuntime || "");
    if (!document.querySelector(".atlas-calculator") || settled()) return then();
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      document.removeEventListener("atlas:runtime", go);
      then();
    };
    document.addEventListener("atlas:runtime", go);
    setTimeout(go, WAIT_MS);
  }
  // After load: precaching must not compete with the first visit's own requests.
  const start = () => afterRuntime(register);
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start, { once: true });

  // --- The next visit: the offline copy's compiled code ---------------------------------------------
  // A browser keeps V8's compiled code for a script only from the script's second load on, and keeps it
  // with the copy the script came from. Once the offline copy holds the runtime, every later visit loads
  // Pyodide's 1.2 MB of JavaScript from that copy; left alone, the first of those visits compiles it all
  // again, and only the next one finds it compiled. So when the offline copy has just taken over this tab
  // (a first visit, or a new build) and the runtime is live here, a second worker starts the runtime from
  // the copy once, while the browser is idle, and is closed as soon as it is ready: the copy then holds
  // the compiled code, and the next visit's calculator is live sooner.
  // The state is in <html data-atlas-compiled>: "starting", then "kept" (or "failed").
  const COMPILE_WATCHDOG_MS = 20000;
  let copyIsNew = false;
  let liveWorker = null; // the runtime's worker script, once the runtime is live (runtime.js says where)
  let compiling = false;

  function compileForNextVisit() {
    if (compiling || !copyIsNew || !liveWorker) return;
    compiling = true;
    const html = document.documentElement;
    const compile = () => {
      html.dataset.atlasCompiled = "starting";
      let spare;
      try {
        spare = new Worker(liveWorker, { type: "module" });
      } catch (error) {
        html.dataset.atlasCompiled = "failed";
        return;
      }
      const close = (state) => {
        clearTimeout(watchdog);
        spare.terminate();
        html.dataset.atlasCompiled = state;
      };
      const watchdog = setTimeout(() => close("failed"), COMPILE_WATCHDOG_MS);
      spare.onmessage = (event) => close(event.data.type === "ready" ? "kept" : "failed");
      spare.onerror = (event) => {
        event.preventDefault();
        close("failed");
      };
    };
    if (window.requestIdleCallback) window.requestIdleCallback(compile, { timeout: 5000 });
    else setTimeout(compile, 200);
  }

  document.addEventListener("atlas:runtime", (event) => {
    if (event.detail && event.detail.state === "live" && event.detail.worker) liveWorker = event.detail.worker;
    compileForNextVisit();
  });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    copyIsNew = true;
    compileForNextVisit();
  });
})();
