"""Page benchmark: the bundled vault in Chromium on 127.0.0.1, from navigation to a live calculator.

Per run, one fresh browser profile on disk (an empty cache) goes through, in order:

1. cold: first visit of the calculator page; time from navigation start to the status turning "live";
2. the recompute loop: N input changes, each timed from the input event to the widget's
   ``atlas:computed`` event (so including the widget's 120 ms debounce), and from the moment the page
   posted the request to the worker (Worker.prototype.postMessage is wrapped) to that event;
3. warm reload: the same page reloaded in the same profile (disk cache warm, new worker);
4. warm instant navigation: the home page (no calculator, so no worker yet), then a click that
   Material's instant navigation serves without a reload; timed from the click;
5. worker alive: back home and to the calculator again; the worker survived, so this is the floor.

The longest main-thread freeze while the runtime starts is the longest 'longtask' entry (>= 50 ms by
definition) between navigation start and live; a requestAnimationFrame gap monitor gives the longest
frame gap in the same window as a second view. Bytes are the served files' sizes on disk (the local
server sends them unchanged), gzipped here at level 6 for the compressed figure. They are split in two:
the page a reader reads and types into (its own requests: document, styles, scripts, search index), and
the calculator runtime the worker fetches in the background (Pyodide, the start-up snapshot). The first
is the "before the first interaction" figure; the service worker's offline precache counts in neither.
"""

from __future__ import annotations

import gzip
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bench.stats import figure, percentile
from tests.browser.conftest import CHROMIUM_ARGS, LocalSite
from tests.helpers import ROOT, build_site

COLD_GOAL_MS = 1500
WARM_GOAL_MS = 600
FREEZE_GOAL_MS = 50
P95_GOAL_MS = 20
BEFORE_INTERACTION_GOAL_KB = 400  # gzipped, KB = 1,000 bytes
DEBOUNCE_MS = 120  # form.js DEBOUNCE_MS: input events are batched for this long before a recompute
LIVE_TIMEOUT_MS = 60_000

INIT_SCRIPT = """
(() => {
  const bench = window.__bench = {live: null, navStart: 0, workerStart: null, longtasks: [], gaps: [],
                                  lastPost: null};
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longtasks.push([entry.startTime, entry.duration]);
    }).observe({type: "longtask", buffered: true});
  } catch (error) { bench.longtaskUnsupported = String(error); }
  let last = null;
  const frame = (now) => {
    if (last !== null && now - last > 20) bench.gaps.push([last, now - last]);
    last = now;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const mark = () => {
    if (bench.live === null && document.querySelector('.atlas-calculator__status[data-state="live"]'))
      bench.live = performance.now();
  };
  new MutationObserver(mark).observe(document, {subtree: true, childList: true, attributes: true,
                                                attributeFilter: ["data-state"]});
  // Note when the calculator worker is created, so a freeze can be placed in the runtime's start-up
  // window: worker.js, not Material's search worker or its gate (javascripts/atlas/search-gate.js), and
  // the first one only (once the offline copy takes over, a second starts to compile the runtime from it).
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      if (String(url).endsWith("/assets/atlas/worker.js") && bench.workerStart === null)
        bench.workerStart = performance.now();
    }
  };
  const post = NativeWorker.prototype.postMessage;
  NativeWorker.prototype.postMessage = function (...args) {
    bench.lastPost = performance.now();
    return post.apply(this, args);
  };
})();
"""

RECOMPUTE_LOOP = """
async ([changes, settleMs]) => {
  const root = document.querySelector(".atlas-calculator");
  const inputs = [...root.querySelectorAll("input[name]")];
  const input = inputs.find((i) => i.name === "utilisation_percent")
    || inputs.find((i) => i.min !== "" && i.max !== "") || inputs[0];
  const low = input.min !== "" ? Number(input.min) + 1 : 1;
  const high = input.max !== "" ? Number(input.max) : low + 100;
  const results = [];
  for (let i = 0; i < changes; i++) {
    const value = low + ((i * 37) % Math.max(1, Math.floor(high - low)));
    const done = new Promise((resolve) => {
      const finish = (event) => {
        root.removeEventListener("atlas:computed", finish);
        root.removeEventListener("atlas:rejected", finish);
        resolve([performance.now(), event.type]);
      };
      root.addEventListener("atlas:computed", finish);
      root.addEventListener("atlas:rejected", finish);
      setTimeout(() => resolve([performance.now(), "timeout"]), 10000);
    });
    input.value = String(value);
    const started = performance.now();
    input.dispatchEvent(new Event("input", {bubbles: true}));
    const [ended, kind] = await done;
    results.push({total: ended - started, afterPost: ended - window.__bench.lastPost, kind});
    await new Promise((resolve) => setTimeout(resolve, settleMs));
  }
  return {input: input.name, results};
}
"""

CLICK_TO = """
(path) => {
  const target = new URL(path, location.href).href;
  let link = [...document.querySelectorAll("a[href]")].find(
    (a) => a.href.split("#")[0] === target && a.closest("article, .md-content, .md-nav"));
  window.__bench.injectedLink = !link;
  if (!link) {
    // The home page does not link the calculator page: a link in the article, as a note would hold.
    link = document.createElement("a");
    link.href = target;
    link.textContent = "calculator";
    (document.querySelector("article") || document.body).append(link);
  }
  window.__sameDocument = true;
  window.__bench.live = null;
  window.__bench.navStart = performance.now();
  link.click();
}
"""


def _calculator_page(site_dir: Path) -> str:
    """Give back the site-relative URL of the first page with a calculator (the bundled note first)."""
    pages = sorted(p for p in site_dir.rglob("index.html") if "assets" not in p.relative_to(site_dir).parts)
    pages.sort(key=lambda p: "Rented GPU cost" not in str(p))
    for page in pages:
        if 'class="atlas-calculator"' in page.read_text(encoding="utf-8", errors="replace"):
            relative = page.parent.relative_to(site_dir).as_posix()
            return "" if relative == "." else relative + "/"
    raise RuntimeError(f"no page under {site_dir} holds a calculator")


#: What the calculator worker fetches in the background: Pyodide, the engine (snapshot, or wheel and lock
#: file), the worker itself with its snapshot reader, and data.json. Everything else is the page a reader reads and types into.
RUNTIME_PATHS = ("/assets/pyodide/", "/assets/atlas/engine/", "/assets/atlas/worker.js", "/assets/atlas/snapshot.js",
                 "/assets/atlas/data.json")


def is_runtime(url: str) -> bool:
    """Tell whether ``url`` is part of the calculator runtime rather than of the page."""
    path = urlsplit(url).path
    return any(part in path if part.endswith("/") else path.endswith(part) for part in RUNTIME_PATHS)


class _Transfers:
    """Responses seen by a browser context, sized from the served files."""

    def __init__(self, site_dir: Path, port: int) -> None:
        self.site_dir = site_dir
        self.own = f"127.0.0.1:{port}"
        self.urls: list[tuple[str, int]] = []
        self._sizes: dict[str, tuple[int, int]] = {}

    def record(self, response) -> None:
        # The offline service worker's precache (every page of the site, after load) is no page's transfer.
        if response.request.service_worker is None:
            self.urls.append((response.url, response.status))

    def _file(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc != self.own:
            return None
        path = self.site_dir / unquote(parts.path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        return path if path.is_file() else None

    def sizes(self, upto: int | None = None, runtime: bool | None = None) -> dict[str, tuple[int, int]]:
        """Give back raw and gzipped bytes per URL of the first ``upto`` responses (200s only): all of
        them, or only the calculator runtime's (``runtime=True``), or only the page's own (False)."""
        seen: dict[str, tuple[int, int]] = {}
        for url, status in self.urls[:upto]:
            file = self._file(url)
            if status != 200 or file is None or url in seen:
                continue
            if runtime is not None and is_runtime(url) != runtime:
                continue
            if url not in self._sizes:
                data = file.read_bytes()
                self._sizes[url] = (len(data), len(gzip.compress(data, compresslevel=6)))
            seen[url] = self._sizes[url]
        return seen


#: Waits, checking every 5 ms, until the named condition holds (true) or the timeout passes (false).
#: Not page.wait_for_function: in a persistent profile it evaluates its predicate with eval, which the
#: site's Content-Security-Policy refuses; a function passed to evaluate is not eval'd by the page.
POLL = """([name, timeout]) => new Promise((resolve) => {
  const conditions = {
    live: () => Boolean(window.__bench && window.__bench.live !== null),
    no_calculator: () => !document.querySelector(".atlas-calculator"),
  };
  const started = performance.now();
  const check = () => {
    if (conditions[name]()) resolve(true);
    else if (performance.now() - started > timeout) resolve(false);
    else setTimeout(check, 5);
  };
  check();
})"""


def _poll(page, condition: str, timeout_ms: int) -> None:
    if not page.evaluate(POLL, [condition, timeout_ms]):
        raise TimeoutError(f"{condition!r} did not hold within {timeout_ms} ms")


def _wait_live(page) -> float:
    _poll(page, "live", LIVE_TIMEOUT_MS)
    return page.evaluate("window.__bench.live - window.__bench.navStart")


def _freeze(page) -> dict[str, float]:
    """Give back the longest long task and frame gap (ms) while the runtime starts, and over the whole load.

    "While the runtime starts" is from the worker's creation to live; a task counts if it overlaps that
    window. "Whole load" is from navigation start to live, Material's own start-up included.
    """
    return page.evaluate("""() => {
      const b = window.__bench, end = b.live;
      const from = b.workerStart === null ? b.navStart : b.workerStart;
      const longest = (list, start) => Math.max(0, ...list
        .filter(([at, duration]) => at <= end && at + duration >= start).map(([, duration]) => duration));
      return {runtime_task: longest(b.longtasks, from), runtime_gap: longest(b.gaps, from),
              load_task: longest(b.longtasks, b.navStart), load_gap: longest(b.gaps, b.navStart),
              worker_start: b.workerStart === null ? -1 : b.workerStart};
    }""")


def bench_page(work: Path, runs: int, changes: int, say) -> dict[str, object]:
    """Give back the page figures: ``runs`` fresh contexts, ``changes`` input changes in each."""
    from playwright.sync_api import sync_playwright

    site_dir = work / "page-site"
    if site_dir.exists():
        shutil.rmtree(site_dir)
    server = LocalSite(site_dir)
    built = build_site(ROOT / "docs", site_dir, site_url=server.url, strict=False)
    if built.returncode != 0:
        return {"figures": [], "details": {}, "errors": [f"building docs/ failed: {built.stderr[-500:]}"]}
    calculator = _calculator_page(site_dir)
    executable = shutil.which("chromium")
    if executable is None:
        return {"figures": [], "details": {}, "errors": ["Debian's chromium is not installed"]}
    server.start()
    series: dict[str, list[float]] = {k: [] for k in (
        "cold", "cold_worker", "worker_created", "load_longtask", "load_frame_gap", "warm_reload", "warm_instant", "worker_alive", "freeze_longtask",
        "freeze_frame_gap", "p50_total", "p95_total", "p50_worker", "p95_worker",
        "before_raw", "before_gzip", "total_raw", "total_gzip", "requests_before",
        "live_raw", "live_gzip", "runtime_raw", "runtime_gzip")}
    errors: list[str] = []
    details: dict[str, object] = {"calculator_page": calculator}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
            details["chromium"] = browser.version
            browser.close()
            for run in range(runs):
                # A fresh profile on disk per run: an empty cache for the cold visit, then the disk cache
                # (and V8's compiled-WebAssembly cache) a returning reader's browser has. A new_context()
                # is off the record, keeps its cache in memory and does not hold the 9.6 MB .wasm at all,
                # so its "warm" reload would refetch and recompile the runtime as a first visit does.
                profile = Path(tempfile.mkdtemp(prefix="atlas-bench-profile-"))
                context = playwright.chromium.launch_persistent_context(
                    profile, executable_path=executable, args=CHROMIUM_ARGS, headless=True)
                transfers = _Transfers(site_dir, server.port)
                context.on("response", transfers.record)
                context.add_init_script(INIT_SCRIPT)
                page = context.new_page()
                try:
                    page.goto(server.url + calculator)
                    cold = _wait_live(page)
                    freeze = _freeze(page)
                    series["cold"].append(cold)
                    series["cold_worker"].append(page.evaluate("window.atlasRuntimeReadyMs || 0"))
                    series["worker_created"].append(freeze["worker_start"])
                    series["freeze_longtask"].append(freeze["runtime_task"])
                    series["freeze_frame_gap"].append(freeze["runtime_gap"])
                    series["load_longtask"].append(freeze["load_task"])
                    series["load_frame_gap"].append(freeze["load_gap"])
                    upto = len(transfers.urls)
                    for key, kind in (("before", False), ("runtime", True), ("live", None)):
                        sized = transfers.sizes(upto, runtime=kind)
                        series[f"{key}_raw"].append(sum(r for r, _ in sized.values()) / 1000)
                        series[f"{key}_gzip"].append(sum(g for _, g in sized.values()) / 1000)
                        if key == "before":
                            series["requests_before"].append(len(sized))
                    loop = page.evaluate(RECOMPUTE_LOOP, [changes, 10])
                    timed = [r for r in loop["results"] if r["kind"] == "atlas:computed"]
                    if len(timed) < len(loop["results"]):
                        errors.append(f"run {run + 1}: {len(loop['results']) - len(timed)} changes not computed")
                    if timed:
                        totals = [r["total"] for r in timed]
                        workers = [r["afterPost"] for r in timed]
                        series["p50_total"].append(percentile(totals, 0.5))
                        series["p95_total"].append(percentile(totals, 0.95))
                        series["p50_worker"].append(percentile(workers, 0.5))
                        series["p95_worker"].append(percentile(workers, 0.95))
                    page.wait_for_load_state("networkidle")
                    total = transfers.sizes()
                    series["total_raw"].append(sum(r for r, _ in total.values()) / 1000)
                    series["total_gzip"].append(sum(g for _, g in total.values()) / 1000)
                    if run == 0:
                        details["largest_transfers"] = [
                            {"path": urlsplit(url).path, "raw_kb": round(r / 1000, 1), "gzip_kb": round(g / 1000, 1)}
                            for url, (r, g) in sorted(total.items(), key=lambda item: -item[1][1])[:8]]
                        details["recompute_input"] = loop["input"]
                    # Whether the offline copy had taken over and compiled the runtime (offline.js) before
                    # the reload: what a returning reader's browser holds.
                    details.setdefault("compiled_before_reload", []).append(
                        page.evaluate("document.documentElement.dataset.atlasCompiled || null"))
                    page.reload()
                    series["warm_reload"].append(_wait_live(page))
                    # Material intercepts a click only once it has its sitemap: wait for the network.
                    page.goto(server.url, wait_until="networkidle")
                    page.evaluate(CLICK_TO, server.url + calculator)
                    instant = _wait_live(page)
                    if not page.evaluate("window.__sameDocument === true"):
                        raise RuntimeError("the click on the home page reloaded instead of navigating instantly")
                    series["warm_instant"].append(instant)
                    details["home_links_calculator"] = not page.evaluate("window.__bench.injectedLink")
                    page.go_back()
                    _poll(page, "no_calculator", 30_000)
                    page.wait_for_load_state("networkidle")
                    page.evaluate(CLICK_TO, server.url + calculator)
                    alive = _wait_live(page)
                    if page.evaluate("window.__sameDocument === true"):
                        series["worker_alive"].append(alive)
                except Exception as error:  # a failed run is reported, never raised: bench fails nothing
                    errors.append(f"run {run + 1}: {type(error).__name__}: {str(error)[:300]}")
                finally:
                    context.close()
                    shutil.rmtree(profile, ignore_errors=True)
                say(f"  run {run + 1}/{runs}: cold {_last(series['cold'])} ms, warm reload "
                    f"{_last(series['warm_reload'])} ms, instant nav {_last(series['warm_instant'])} ms, "
                    f"recompute p95 {_last(series['p95_worker'])} ms (+debounce {_last(series['p95_total'])})")
    finally:
        server.stop()

    s = series
    figures = [
        figure("page.cold.time_to_live", "ms", s["cold"], goal=COLD_GOAL_MS,
               note="fresh profile: navigation start to status 'live'"),
        figure("page.cold.worker_ready", "ms", s["cold_worker"],
               note="window.atlasRuntimeReadyMs: worker start to Pyodide and engine loaded"),
        figure("page.warm_reload.time_to_live", "ms", s["warm_reload"], goal=WARM_GOAL_MS,
               note="reload in the same profile: disk cache warm, new worker"),
        figure("page.warm_instant_nav.time_to_live", "ms", s["warm_instant"], goal=WARM_GOAL_MS,
               note="click on the home page to live; instant navigation, worker started by the new page"),
        figure("page.worker_alive_nav.time_to_live", "ms", s["worker_alive"],
               note="back home and to the calculator again: the worker survived navigation"),
        figure("page.cold.worker_created", "ms", s["worker_created"],
               note="navigation start to the calculator worker's creation (lazy: in view or idle)"),
        figure("page.cold.longest_freeze", "ms", s["freeze_longtask"], goal=FREEZE_GOAL_MS,
               note="longest 'longtask' (0 = none of 50 ms or more) overlapping worker creation to live"),
        figure("page.cold.longest_frame_gap", "ms", s["freeze_frame_gap"],
               note="longest requestAnimationFrame gap (over 20 ms) overlapping worker creation to live"),
        figure("page.cold.load_longest_freeze", "ms", s["load_longtask"],
               note="longest 'longtask' from navigation start to live: Material's own start-up included"),
        figure("page.cold.load_longest_frame_gap", "ms", s["load_frame_gap"],
               note="longest requestAnimationFrame gap from navigation start to live"),
        figure("page.recompute.p50", "ms", s["p50_worker"],
               note="postMessage to the worker -> atlas:computed (result in the DOM); debounce excluded"),
        figure("page.recompute.p95", "ms", s["p95_worker"], goal=P95_GOAL_MS,
               note="postMessage to the worker -> atlas:computed; debounce excluded"),
        figure("page.recompute_with_debounce.p50", "ms", s["p50_total"],
               note=f"input event -> atlas:computed, including the {DEBOUNCE_MS} ms debounce"),
        figure("page.recompute_with_debounce.p95", "ms", s["p95_total"],
               note=f"input event -> atlas:computed, including the {DEBOUNCE_MS} ms debounce"),
        figure("page.bytes.before_interaction.gzip", "KB", s["before_gzip"], goal=BEFORE_INTERACTION_GOAL_KB,
               note="the page a reader reads and types into, up to live: document, styles, scripts, search "
                    "index; not the runtime the worker fetches in the background (gzip level 6, KB = 1,000 bytes)"),
        figure("page.bytes.before_interaction.raw", "KB", s["before_raw"]),
        figure("page.bytes.runtime.gzip", "KB", s["runtime_gzip"],
               note="the calculator runtime, fetched by the worker in the background up to live: Pyodide, the "
                    "start-up snapshot, worker.js and snapshot.js"),
        figure("page.bytes.runtime.raw", "KB", s["runtime_raw"]),
        figure("page.bytes.to_live.gzip", "KB", s["live_gzip"], note="every response up to live, page and runtime"),
        figure("page.bytes.to_live.raw", "KB", s["live_raw"]),
        figure("page.bytes.total.gzip", "KB", s["total_gzip"], note="after the recompute loop"),
        figure("page.bytes.total.raw", "KB", s["total_raw"]),
        figure("page.requests.before_interaction", "requests", s["requests_before"],
               note="the page's own requests up to live, runtime excluded"),
    ]
    details["changes_per_run"] = changes
    return {"figures": figures, "details": details, "errors": errors}


def _last(values: list[float]) -> str:
    return f"{values[-1]:.0f}" if values else "-"
