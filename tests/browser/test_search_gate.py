"""Material's search on a calculator page: held back while the runtime starts, then whole.

build_scripts/search_gate.py points such pages at a gate that loads Material's search worker only when
widgets.js says "open": once the runtime has answered, or once the reader turns to search.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import LocalSite, PageWatch
from tests.helpers import ROOT, build_site

CALCULATOR_PAGE = quote("Rented GPU cost") + "/"
LIVE_TIMEOUT_MS = 60_000
GATE = "/assets/javascripts/atlas/search-gate.js"
MATERIAL_WORKER = "/assets/javascripts/workers/search."
#: Records when runtime.js announced the runtime, on the same clock as Playwright's request timings.
ANNOUNCED = """document.addEventListener("atlas:runtime", (event) => {
  window.atlasAnnounced = [event.detail.state, Date.now()];
});"""


def _requests(context):
    """Give back a list that fills with (path, start time in ms since the epoch) of every finished request,
    workers' included."""
    seen = []
    context.on("requestfinished", lambda request: seen.append(
        (urlsplit(request.url).path, request.timing["startTime"])))
    return seen


def _started(seen, prefix):
    return [start for path, start in seen if path.startswith(prefix)]


def _search(page, query):
    field = page.locator("input[data-md-component=search-query]")
    field.click()
    field.press_sequentially(query)  # Material searches on keyup, which fill() does not send
    return page.locator(".md-search-result__item")


def test_search_worker_loads_after_the_runtime_and_finds_notes(page, served_site):
    """The gate is loaded at once; Material's worker only after the runtime is live; search then works."""
    seen = _requests(page.context)
    page.add_init_script(ANNOUNCED)
    page.goto(served_site.url + CALCULATOR_PAGE)
    expect(page.locator(".atlas-calculator__status")).to_have_attribute("data-state", "live", timeout=LIVE_TIMEOUT_MS)
    state, announced_ms = page.evaluate("window.atlasAnnounced")
    assert state == "live"
    for _ in range(100):
        if _started(seen, MATERIAL_WORKER):
            break
        page.wait_for_timeout(50)  # Playwright delivers events only while it is called
    gate, worker = _started(seen, GATE), _started(seen, MATERIAL_WORKER)
    assert len(gate) == 1 and len(worker) == 1, seen
    assert gate[0] < announced_ms <= worker[0], (gate, announced_ms, worker)
    results = _search(page, "break-even")
    # Material redraws the list on every keyup, so wait for the note the whole query finds, not any row.
    expect(results.filter(has_text="Break-even and payback").first).to_be_visible()
    assert page.watch.console_errors == []
    assert page.watch.foreign_requests() == []


def test_search_opens_the_gate_while_the_runtime_is_still_starting(page, served_site):
    """With the runtime held up, Material's worker waits; turning to search loads it and finds notes."""
    held = []
    page.route("**/pyodide.asm.wasm", lambda route: held.append(route))  # unanswered while the test looks
    seen = _requests(page.context)
    page.goto(served_site.url + CALCULATOR_PAGE)
    expect(page.locator(".atlas-calculator__status")).to_have_attribute("data-state", "starting")
    for _ in range(100):
        if _started(seen, GATE):
            break
        page.wait_for_timeout(50)  # Playwright delivers events only while it is called
    assert _started(seen, GATE), seen
    page.wait_for_timeout(1500)
    assert _started(seen, MATERIAL_WORKER) == [], "Material's worker loaded before the runtime or the reader"
    results = _search(page, "break-even")
    expect(results.first).to_be_visible()
    assert len(_started(seen, MATERIAL_WORKER)) == 1
    assert page.locator(".atlas-calculator__status").get_attribute("data-state") == "starting"
    for route in held:
        route.abort()


def test_other_pages_keep_materials_own_worker(page, served_site):
    """A page without a calculator names Material's worker itself, and its search works at once."""
    seen = _requests(page.context)
    page.goto(served_site.url)
    results = _search(page, "break-even")
    expect(results.first).to_be_visible()
    assert _started(seen, GATE) == []
    assert len(_started(seen, MATERIAL_WORKER)) == 1


def test_gate_keeps_materials_stemmers_for_other_languages(browser, tmp_path):
    """A German and English site: through the gate, Material's worker loads lunr's German stemmer from
    its own ../lunr folder, so "Grafikkarte" finds a note that only says "Grafikkarten"."""
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "index.md").write_text("# Start\n\nSiehe [[Rechner]].\n", encoding="utf-8")
    (vault / "Rechner.md").write_text(
        "# Rechner\n\nGemietete Grafikkarten kosten pro Stunde.\n\n"
        "```calculator\nwidget: rental-cost\n```\n", encoding="utf-8")
    config_text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\n  - search\n" in config_text and "\n  - atlas:\n" in config_text
    # The project's cache: this config lives elsewhere, and a cold cache would make the snapshot again.
    config_text = config_text.replace("\n  - atlas:\n", f"\n  - atlas:\n      cache_dir: {ROOT / '.cache' / 'atlas'}\n")
    config_text = config_text.replace("\n  - search\n", "\n  - search:\n      lang: [de, en]\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text(config_text, encoding="utf-8")
    site_dir = tmp_path / "site"
    server = LocalSite(site_dir)
    result = build_site(vault, site_dir, config=config, site_url=server.url)
    assert result.returncode == 0, result.stderr
    server.start()
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        watch = PageWatch(page, server)
        statuses = []
        context.on("response", lambda response: statuses.append((urlsplit(response.url).path, response.status)))
        page.goto(server.url + "Rechner/")
        results = _search(page, "Grafikkarte")
        expect(results.first).to_contain_text("Rechner")
        stemmers = [(path, status) for path, status in statuses if "/lunr/" in path]
        assert ("/assets/javascripts/lunr/min/lunr.de.min.js", 200) in stemmers, stemmers
        assert all(status == 200 for _, status in stemmers), stemmers
        assert watch.console_errors == []
    finally:
        context.close()
        server.stop()
