// Material's search worker, held back on a page with a calculator (see build_scripts/material/search_gate.py).
//
// Material posts its search index here as soon as the page opens. Building the index takes a core for a
// few hundred milliseconds, which the calculator's runtime needs more while it starts. So the messages
// wait until the page says "open" on the "atlas-search" channel (runtime/assets/search.js: the runtime is live or has
// failed, or the reader turned to search), or until HOLD_MS at the latest. Then Material's own worker is
// loaded into this one and gets the held messages in order, as if it had been there from the start.
// A classic worker, as Material's is: importScripts keeps its relative addresses (../lunr) working.

const WORKER = /* atlas:search-worker */ null; // written in by the build, relative to this file
const HOLD_MS = 10000;

const held = [];
function hold(event) {
  event.stopImmediatePropagation();
  held.push(event.data);
}
addEventListener("message", hold);

const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel("atlas-search") : null;
let opened = false;
function open() {
  if (opened) return;
  opened = true;
  clearTimeout(timer);
  if (channel) channel.close();
  removeEventListener("message", hold);
  importScripts(WORKER);
  for (const data of held.splice(0)) dispatchEvent(new MessageEvent("message", { data }));
}

const timer = setTimeout(open, HOLD_MS);
if (channel) {
  channel.onmessage = (event) => {
    if (event.data === "open") open();
  };
  // The page may have said "open" before this worker was listening: ask it to say so again.
  channel.postMessage("ask");
} else {
  open();
}
