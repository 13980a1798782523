"""The site under a sub-path in Chromium: pages, search, tags, calculator, 404, policy, offline copy."""

from __future__ import annotations

import gzip
import re
import shutil
from urllib.parse import quote

from playwright.sync_api import expect

from tests.conftest import CHROMIUM_ARGS
from tests.hosting.conftest import PREFIX

CALCULATOR_PAGE = quote("Rented GPU cost") + "/"
LIVE_TIMEOUT_MS = 60_000  # shared CI machines are slow; the figure we care about is in bench


def compute_fifty_percent(page) -> None:
    """Utilisation 30% -> 50% gives $19.44: only the engine running in Pyodide can say so."""
    expect(page.locator(".atlas-calculator__status")).to_have_attribute("data-state", "live", timeout=LIVE_TIMEOUT_MS)
    page.fill("input[name=utilisation_percent]", "50")
    expect(page.locator('[data-output="cost_per_million_tokens"]')).to_have_text("$19.44")
    assert page.locator(".atlas-calculator").get_attribute("data-computed") == "browser"


def site_pages(hosted_site) -> list[str]:
    """Give back every page's address, from the sitemap (the redirect stubs of aliases are not pages)."""
    sitemap = (hosted_site.directory / "sitemap.xml").read_text("utf-8")
    return re.findall(r"<loc>([^<]+)</loc>", sitemap)


def test_pages_search_tags_and_calculator_under_a_sub_path(context, page, hosted_site):
    """Under /atlas/: a page, a search result, the tags index and the live calculator all work."""
    page.goto(hosted_site.url)
    expect(page.locator("h1").first).to_contain_text("Inference Cost Atlas")
    # Search: Material's worker fetches its index from the sub-path and lists the calculator page.
    page.click("input.md-search__input")
    page.keyboard.type("rented GPU")
    result = page.locator(f".md-search-result__item a[href*='{CALCULATOR_PAGE}']").first
    expect(result).to_be_visible(timeout=20_000)
    assert result.get_attribute("href").startswith(hosted_site.url + CALCULATOR_PAGE)
    result.click()
    expect(page).to_have_url(re.compile(re.escape(hosted_site.url + CALCULATOR_PAGE)))
    compute_fifty_percent(page)
    # Tags: the index lists tagged notes under each tag, and its links lead to them under the sub-path.
    tags_page = next(url for url in site_pages(hosted_site) if re.search(r"/tags/$", url, re.I))
    page.goto(tags_page)
    link = page.locator("article li a").first
    expect(link).to_be_visible()
    target = page.evaluate("(link) => link.href", link.element_handle())
    assert target.startswith(hosted_site.url), target
    link.click()
    expect(page).to_have_url(target)
    expect(page.locator("article h1").first).to_be_visible()
    fetched = " ".join(context.watch.requests)
    for served in ("assets/atlas/worker.js", "assets/pyodide/pyodide.asm.wasm", "assets/atlas/engine/pyodide-lock.json",
                   "atlas_calculators-", "search/search_index.json"):
        assert served in fetched, served
    assert hosted_site.outside_prefix == []
    assert hosted_site.not_found == []
    assert context.watch.foreign_requests() == []
    assert context.watch.console_errors == []


def test_missing_page_gets_the_styled_404_under_the_sub_path(context, page, hosted_site):
    """A missing address under /atlas/ shows Material's 404 with its stylesheet, icon and a home link."""
    response = page.goto(hosted_site.url + "no/such/note/")
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text("404 - Not found")
    # Styled: Material's stylesheet gives the header its fixed height.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    assert hosted_site.not_found == [PREFIX + "no/such/note/"]
    assert hosted_site.outside_prefix == []
    icon = page.evaluate("document.querySelector('link[rel=icon]').href")
    assert page.request.get(icon).status == 200
    page.click(".md-header__button.md-logo")
    expect(page).to_have_url(hosted_site.url)
    assert context.watch.foreign_requests() == []


def test_favicon_resolves_on_every_page_depth(page, hosted_site):
    """<link rel="icon"> on the home page and on a nested page both name a file the server has."""
    for url in (hosted_site.url, hosted_site.url + CALCULATOR_PAGE):
        page.goto(url)
        icon = page.evaluate("document.querySelector('link[rel=icon]').href")
        assert icon == hosted_site.url + "assets/images/favicon.png"
        assert page.request.get(icon).status == 200


def test_every_page_is_private_and_keeps_its_security_policy(context, page, hosted_site):
    """Every page and the 404 load with no request to another host and no policy violation."""
    pages = site_pages(hosted_site)
    assert len(pages) >= 4
    for url in [*pages, hosted_site.url + "missing/"]:
        # "load", not "networkidle": each calculator page would start Pyodide just to be left; the
        # calculator's own requests are counted below and in the offline test.
        response = page.goto(url, wait_until="load")
        policy = page.locator("meta[http-equiv=Content-Security-Policy]").get_attribute("content")
        assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy, url
        assert page.evaluate("window.__violations") == [], url
        if response.status == 404:
            # The browser logs the 404 itself; nothing else may be logged.
            assert context.watch.console_errors.pop().endswith("404 (Not Found)")
    # Instant navigation runs the next page's inline scripts under the first page's policy.
    page.goto(hosted_site.url)
    page.click(f"article a[href*='{CALCULATOR_PAGE}']")
    compute_fifty_percent(page)
    assert page.evaluate("window.__violations") == []
    assert context.watch.foreign_requests() == []
    assert context.watch.console_errors == []
    assert hosted_site.outside_prefix == []
    assert hosted_site.not_found == [PREFIX + "missing/"]


def test_policy_is_enforced(page, hosted_site):
    """The policy is live: an injected inline script does not run and a fetch to another host is refused."""
    page.goto(hosted_site.url)
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__injected = true";
        document.head.append(script);
    }""")
    refused = page.evaluate("fetch('https://example.com/').then(() => 'sent', () => 'refused')")
    assert page.evaluate("window.__injected") is None
    assert refused == "refused"
    violations = page.evaluate("window.__violations")
    assert any(v.startswith("script-src-elem blocked inline") for v in violations), violations
    assert any(v.startswith("connect-src blocked https://example.com") for v in violations), violations


def test_offline_after_one_visit(context, page, hosted_site):
    """Visit once, go offline: the home page reloads, the calculator page opens and still computes."""
    page.goto(hosted_site.url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null",
                           timeout=LIVE_TIMEOUT_MS)
    # The worker is active only once its install has cached the whole manifest.
    cached = page.evaluate("""async () => {
        const keys = await caches.keys();
        const cache = await caches.open(keys.find((key) => key.startsWith("atlas-offline-")));
        return (await cache.keys()).map((request) => request.url);
    }""")
    for path in ("", CALCULATOR_PAGE, "assets/pyodide/pyodide.asm.wasm", "assets/pyodide/python_stdlib.zip",
                 "assets/atlas/engine/pyodide-lock.json", "assets/atlas/worker.js", "search/search_index.json"):
        assert hosted_site.url + path in cached, path
    assert any("atlas_calculators-" in url for url in cached)
    context.set_offline(True)
    page.reload()
    expect(page.locator("h1").first).to_contain_text("Inference Cost Atlas")
    page.goto(hosted_site.url + CALCULATOR_PAGE)
    compute_fifty_percent(page)
    context.set_offline(False)
    # The service worker's own requests (the precache) stay on this site and under its prefix too.
    assert context.watch.foreign_requests() == []
    assert hosted_site.outside_prefix == [] and hosted_site.not_found == []
    assert context.watch.console_errors == []


def test_offline_copy_waits_for_the_runtime_and_revalidates(browser, hosted_site, tmp_path):
    """On a calculator page the service worker is registered once the runtime is live, and its precache
    has the server confirm what the visit loaded (304) rather than download the runtime a second time.
    Once the copy has taken over, the runtime is started from it once more (so that the browser keeps
    its compiled code with the copy), and not again on the next visit."""
    hosted_site.served.clear()
    # A profile on disk: an off-the-record context keeps no 9.6 MB .wasm in its cache to revalidate.
    context = browser.browser_type.launch_persistent_context(
        tmp_path / "profile", executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS, headless=True)
    try:
        context.add_init_script("""
            const register = ServiceWorkerContainer.prototype.register;
            ServiceWorkerContainer.prototype.register = function (...args) {
              window.__registeredWhen = document.documentElement.dataset.atlasRuntime || "not started";
              return register.apply(this, args);
            };
            window.__runtimeWorkers = 0;
            window.__startedWhile = [];
            const NativeWorker = window.Worker;
            window.Worker = class extends NativeWorker {
              constructor(url, options) {
                super(url, options);
                if (String(url).endsWith("/assets/atlas/worker.js")) {
                  window.__runtimeWorkers += 1;
                  window.__startedWhile.push(document.readyState);
                }
              }
            };""")
        page = context.new_page()
        page.goto(hosted_site.url + CALCULATOR_PAGE)
        expect(page.locator(".atlas-calculator__status")).to_have_attribute(
            "data-state", "live", timeout=LIVE_TIMEOUT_MS)
        # (Not wait_for_function: in a profile on disk it evaluates with eval, which the site's policy refuses.)
        controlled = page.evaluate("""async () => {
            for (let i = 0; i < 1200 && !navigator.serviceWorker.controller; i++)
              await new Promise((resolve) => setTimeout(resolve, 50));
            return navigator.serviceWorker.controller !== null;
        }""")
        assert controlled
        assert page.evaluate("window.__registeredWhen") == "live"
        # No copy yet on a first visit: widgets.js starts the worker once the page is parsed.
        assert page.evaluate("window.__startedWhile[0]") != "loading"
        compiled = page.evaluate(WAIT_FOR_COMPILED)
        assert compiled == "kept"
        assert page.evaluate("window.__runtimeWorkers") == 2
        statuses = {name: [code for path, code in hosted_site.served if path.endswith(name)]
                    for name in ("pyodide.asm.wasm", ".snapshot", "assets/atlas/worker.js")}
        assert statuses == {"pyodide.asm.wasm": [200, 304], ".snapshot": [200, 304], "assets/atlas/worker.js": [200, 304]}
        # Files the visit did not load are downloaded once, by the precache.
        assert [code for path, code in hosted_site.served if path.endswith("/python_stdlib.zip")] == [200]
        # The copy keeps the start-up snapshot inflated ("ATLS", not gzip's 0x1f 0x8b), byte for byte.
        served = (hosted_site.directory / "assets/atlas/engine").glob("startup-*.snapshot")
        inflated = gzip.decompress(next(served).read_bytes())
        kept = page.evaluate(COPY_OF_SNAPSHOT)
        assert kept == {"first": list(inflated[:4]), "length": len(inflated),
                        "sum": sum(inflated[::4099]) % 1_000_003}
        # The second start was served by the copy: the server saw no request of it (statuses above).
        # The next visit finds the copy's code compiled and starts one worker only, from <head>, while
        # the page is still loading.
        page.reload()
        expect(page.locator(".atlas-calculator__status")).to_have_attribute(
            "data-state", "live", timeout=LIVE_TIMEOUT_MS)
        page.wait_for_timeout(1500)
        assert page.evaluate("[window.__runtimeWorkers, document.documentElement.dataset.atlasCompiled]") == [1, None]
        assert page.evaluate("[window.__startedWhile, window.atlasEarlyRuntime]") == [["loading"], None]
        # Still a live calculator: a change is computed by the adopted worker.
        page.locator("input[name=utilisation_percent]").fill("50")
        expect(page.locator('dd[data-output="cost_per_million_tokens"]')).to_have_text("$19.44", timeout=10_000)
    finally:
        context.close()


COPY_OF_SNAPSHOT = """async () => {
    const name = (await caches.keys()).find((key) => key.startsWith("atlas-offline-"));
    const cache = await caches.open(name);
    const key = (await cache.keys()).find((request) => request.url.endsWith(".snapshot"));
    const bytes = new Uint8Array(await (await cache.match(key)).arrayBuffer());
    let sum = 0;
    for (let i = 0; i < bytes.length; i += 4099) sum = (sum + bytes[i]) % 1000003;
    return { first: Array.from(bytes.subarray(0, 4)), length: bytes.length, sum };
}"""

WAIT_FOR_COMPILED = """async () => {
    for (let i = 0; i < 1200 && !/^(kept|failed)$/.test(document.documentElement.dataset.atlasCompiled || ""); i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    return document.documentElement.dataset.atlasCompiled || null;
}"""


def test_opened_from_disk_registers_nothing(context, page, hosted_site):
    """From file:// the registration script stands aside: no service worker, no warning, scripts still run."""
    messages = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.goto((hosted_site.directory / "index.html").as_uri())
    expect(page.locator("h1").first).to_contain_text("Inference Cost Atlas")
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)
    assert page.evaluate("document.querySelector('script[src$=\"offline.js\"]') !== null")
    assert page.evaluate("window.__violations") == []
    # (Chromium refuses module scripts from file://, widgets.js among them: that is not ours to test.)
    assert not [message for message in messages if "ffline" in message or "ervice" in message], messages
    # Material's bundle ran under the policy: it marks the document as scripted.
    assert "js" in page.evaluate("document.documentElement.className")


def test_instant_navigation_where_the_site_was_not_built_for(browser, hosted_site):
    """Served from another port than its site_url says (a copy on another server, a preview), a click still
    swaps the page in place, as Material's instant navigation does where it was built for: the page's
    own state (a marker set on window) survives it, and the policy blocks nothing."""
    from tests.hosting.conftest import PrefixedSite, Watch

    elsewhere = PrefixedSite(hosted_site.directory)
    elsewhere.start()
    context = browser.new_context()
    watch = Watch(context, elsewhere)
    try:
        page = context.new_page()
        page.goto(elsewhere.url)
        expect(page.locator("h1").first).to_contain_text("Inference Cost Atlas")
        page.wait_for_function("() => performance.getEntriesByType('resource').some(e => e.name.endsWith('sitemap.xml'))")
        page.evaluate("window.__stillHere = true")
        link = page.locator("article a.obsidian-link").first
        target = page.evaluate("(link) => link.href", link.element_handle())
        assert target.startswith(elsewhere.url) and target != elsewhere.url, target
        link.click()
        expect(page).to_have_url(target)
        expect(page.locator("article h1").first).to_be_visible()
        assert page.evaluate("window.__stillHere === true"), "the click reloaded the whole page"
        assert page.evaluate("window.__violations") == []
        assert watch.foreign_requests() == [] and watch.console_errors == []
    finally:
        context.close()
        elsewhere.stop()
