// Material's search, held back while the runtime starts: the page's side of the gate.
//
// On a page with a calculator, Material's search worker is a gate (material/assets/search-gate.js) that
// builds the search index only once told "open" on the "atlas-search" channel: when the runtime has
// answered ("live" or "failed", the "atlas:runtime" event of runtime.js), or as soon as the reader turns
// to search (the search field gets focus, or the search toggle changes), whichever comes first.

const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("atlas-search") : null;
const SEARCH_QUERY = "[data-md-component=search-query]";

const runtimeAnswered = () => /^(live|failed)$/.test(document.documentElement.dataset.atlasRuntime || "");

function searchWanted() {
  const toggle = document.getElementById("__search");
  return Boolean((toggle && toggle.checked) || document.activeElement?.matches(SEARCH_QUERY));
}

function openSearch() {
  channel.postMessage("open");
}

if (channel) {
  // The gate may start after the page said "open": it asks, and is told again.
  channel.onmessage = (event) => {
    if (event.data === "ask" && (runtimeAnswered() || searchWanted())) openSearch();
  };
  document.addEventListener("atlas:runtime", openSearch);
  document.addEventListener("focusin", (event) => {
    if (event.target.matches?.(SEARCH_QUERY)) openSearch();
  });
  document.addEventListener("change", (event) => {
    if (event.target.id === "__search") openSearch();
  });
  if (searchWanted()) openSearch();
}
