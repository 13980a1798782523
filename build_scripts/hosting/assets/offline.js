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
  // After load: precaching must not compete with the first visit's own requests.
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
})();
