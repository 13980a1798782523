// Offline after one visit: registers the site's service worker (sw.js, generated at the site's root).
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
  // the precache fetches and stores the whole site: once the runtime has answered ("live" or "failed",
  // see widgets.js), or after WAIT_MS, whichever comes first, so the two do not share the first visit.
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
})();
