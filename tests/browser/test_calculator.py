"""The walking skeleton in a real browser: prerendered figures, then the engine live in Pyodide."""

import gzip
import re
import struct
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

CALCULATOR_PAGE = quote("Rented GPU cost") + "/"
LIVE_TIMEOUT_MS = 60_000  # generous: shared CI machines are slow; the figure we care about is in bench


def wait_until_live(page):
    expect(page.locator(".atlas-calculator__status")).to_have_attribute("data-state", "live", timeout=LIVE_TIMEOUT_MS)


def test_prerendered_figures_without_scripts(browser, served_site):
    """With JavaScript off, the page still shows the seed 003 figures computed at build time."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site.url + CALCULATOR_PAGE)
    assert page.locator('[data-output="cost_per_million_tokens_at_full_use"]').inner_text() == "$9.72"
    assert page.locator('[data-output="cost_per_million_tokens"]').inner_text() == "$32.41"
    assert page.locator(".atlas-calculator__status").get_attribute("data-state") == "static"
    context.close()


def test_changing_an_input_recomputes_in_the_browser(page, served_site, screenshots_dir):
    """Utilisation 30% -> 50% gives $19.44, computed by the engine in Pyodide, with no foreign request."""
    page.goto(served_site.url + CALCULATOR_PAGE)
    calculator = page.locator(".atlas-calculator")
    wait_until_live(page)
    page.fill("input[name=utilisation_percent]", "50")
    expect(page.locator('[data-output="cost_per_million_tokens"]')).to_have_text("$19.44")
    assert calculator.get_attribute("data-computed") == "browser"
    page.fill("input[name=hourly_price_usd]", "7")
    expect(page.locator('[data-output="cost_per_million_tokens_at_full_use"]')).to_have_text("$19.44")
    expect(page.locator('[data-output="cost_per_million_tokens"]')).to_have_text("$38.89")
    page.screenshot(path=str(screenshots_dir / "rented-gpu-cost-live.png"), full_page=True)
    assert page.watch.foreign_requests() == []
    assert page.watch.console_errors == []
    fetched = " ".join(page.watch.requests)
    assert "assets/pyodide/pyodide.asm.wasm" in fetched
    assert "assets/atlas/engine/pyodide-lock.json" in fetched
    # The engine came running, in the start-up snapshot: neither its wheel nor data.json was needed.
    assert re.search(r"assets/atlas/engine/startup-[0-9a-f]{16}\.snapshot", fetched)
    assert "atlas_calculators-" not in fetched
    assert "assets/atlas/data.json" not in fetched
    # Nor the standard library: an empty one is mounted, as the engine's imports are all in memory.
    assert "assets/atlas/engine/snapshot-stdlib.zip" in fetched
    assert "python_stdlib.zip" not in fetched


def _cut_short(site_dir) -> bytes:
    """The site's own snapshot with its second half lost, as a dropped connection would leave it."""
    snapshot = next((site_dir / "assets" / "atlas" / "engine").glob("startup-*.snapshot"))
    sparse = gzip.decompress(snapshot.read_bytes())
    return gzip.compress(sparse[: len(sparse) // 2])


# A snapshot that is not there; one that is not ours (memory 256 bytes, no Pyodide header), refused
# before Pyodide sizes its memory by it; and ours cut short, refused once Pyodide has started with it.
BROKEN_SNAPSHOTS = {
    "missing": (r"startup-[0-9a-f]{16}\.snapshot: HTTP 404", lambda site_dir: {"status": 404}),
    "foreign": (r"start-up snapshot is truncated or corrupt", lambda site_dir: {
        "status": 200, "body": gzip.compress(b"ATLS" + struct.pack("<IIII", 256, 1, 0, 64) + b"\x01" * 64)}),
    "cut short": (r"start-up snapshot is truncated or corrupt",
                  lambda site_dir: {"status": 200, "body": _cut_short(site_dir)}),
}


@pytest.mark.parametrize("broken", BROKEN_SNAPSHOTS)
def test_without_the_snapshot_the_wheel_starts_the_engine(page, served_site, broken):
    """A snapshot that cannot be used costs speed, not the calculator: the worker installs the wheel."""
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    reason, respond = BROKEN_SNAPSHOTS[broken]
    response = respond(served_site.directory)
    page.route(re.compile(r".*/startup-[0-9a-f]{16}\.snapshot$"), lambda route: route.fulfill(**response))
    page.goto(served_site.url + CALCULATOR_PAGE)
    wait_until_live(page)
    page.fill("input[name=utilisation_percent]", "50")
    expect(page.locator('[data-output="cost_per_million_tokens"]')).to_have_text("$19.44")
    fetched = " ".join(page.watch.requests)
    assert "atlas_calculators-" in fetched and "assets/atlas/data.json" in fetched
    assert "assets/pyodide/python_stdlib.zip" in fetched
    fallback = [m for m in messages if m.startswith("atlas: starting without the start-up snapshot")]
    assert len(fallback) == 1 and re.fullmatch(
        rf"atlas: starting without the start-up snapshot \({reason}\)", fallback[0]), fallback
    assert page.watch.console_errors == []


def test_rejected_input_shows_engine_message_and_keeps_results(page, served_site):
    """Utilisation 150% is refused at that field; the last good figures stay."""
    page.goto(served_site.url + CALCULATOR_PAGE)
    wait_until_live(page)
    page.fill("input[name=utilisation_percent]", "150")
    error = page.locator("#calc-1-utilisation_percent-error")
    expect(error).to_have_text("Utilisation must be at most 100 %; got 150")
    expect(error).to_be_visible()
    assert page.locator("input[name=utilisation_percent]").get_attribute("aria-invalid") == "true"
    assert page.locator('[data-output="cost_per_million_tokens"]').inner_text() == "$32.41"
    page.fill("input[name=utilisation_percent]", "25")
    expect(page.locator('[data-output="cost_per_million_tokens"]')).to_have_text("$38.89")
    expect(error).to_be_hidden()
    assert page.watch.console_errors == []


def test_instant_navigation_then_live_calculator(page, served_site):
    """From the home page, Material's instant navigation reaches the calculator, which works."""
    page.goto(served_site.url)
    page.evaluate("window.__sameDocument = true")
    page.click(f"article a[href*='{CALCULATOR_PAGE}']")
    expect(page.locator(".atlas-calculator")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True, "navigation reloaded the page"
    wait_until_live(page)
    page.fill("input[name=tokens_per_second]", "200")
    expect(page.locator('[data-output="cost_per_million_tokens"]')).to_have_text("$16.20")
    # Back home and forth again: the worker survives, the calculator mounts again and recomputes.
    page.go_back()
    expect(page.locator(".atlas-calculator")).to_have_count(0)
    page.click(f"article a[href*='{CALCULATOR_PAGE}']")
    assert page.evaluate("window.__sameDocument") is True
    wait_until_live(page)
    page.fill("input[name=hourly_price_usd]", "1.75")
    expect(page.locator('[data-output="cost_per_million_tokens"]')).to_have_text("$16.20")
    page.fill("input[name=tokens_per_second]", "50")
    expect(page.locator('[data-output="cost_per_million_tokens"]')).to_have_text("$32.41")
    assert page.evaluate("window.__sameDocument") is True
    assert page.watch.foreign_requests() == []
    assert page.watch.console_errors == []


def test_scenario_round_trips_through_the_url(page, served_site):
    """Edits go into ?calc-1=...; opening that URL in a fresh page restores inputs and figures."""
    page.goto(served_site.url + CALCULATOR_PAGE)
    wait_until_live(page)
    page.fill("input[name=hourly_price_usd]", "7")
    expect(page.locator('[data-output="cost_per_million_tokens"]')).to_have_text("$64.81")
    assert page.url.endswith("?calc-1=hourly_price_usd%3D7")
    shared = page.url
    other = page.context.new_page()
    other.goto(shared)
    assert other.locator("input[name=hourly_price_usd]").input_value() == "7"
    expect(other.locator('[data-output="cost_per_million_tokens"]')).to_have_text("$64.81", timeout=LIVE_TIMEOUT_MS)
    assert other.locator(".atlas-calculator").get_attribute("data-computed") == "browser"
    other.close()
    page.click("button[data-action=reset]")
    expect(page.locator('[data-output="cost_per_million_tokens"]')).to_have_text("$32.41")
    assert page.locator("input[name=hourly_price_usd]").input_value() == "3.5"
    assert "?" not in page.url


def test_hostile_url_values_are_rejected_as_text(page, served_site):
    """Markup and unknown inputs in the URL never reach the DOM as HTML; the field says what is wrong."""
    page.on("dialog", lambda dialog: dialog.dismiss())
    hostile = quote("tokens_per_second=<img src=x onerror=window.__pwned=1>;evil=1;utilisation_percent=-5")
    page.goto(f"{served_site.url}{CALCULATOR_PAGE}?calc-1={hostile}")
    # The field holds the markup as text, and the engine quotes it, as text, cut short, at that field.
    error = page.locator("#calc-1-tokens_per_second-error")
    expect(error).to_have_text("Throughput must be a number in tokens/s; got '<img src=x onerror=windo…'",
                               timeout=LIVE_TIMEOUT_MS)
    assert page.locator("input[name=tokens_per_second]").input_value() == "<img src=x onerror=window.__pwned=1>"
    assert page.locator("input[name=utilisation_percent]").input_value() == "-5"
    expect(page.locator(".atlas-calculator__notice")).to_have_text(
        "The page address sets “evil”, which this calculator does not have; left out.")
    assert page.evaluate("window.__pwned") is None
    assert page.locator(".atlas-calculator img").count() == 0
    assert page.locator('[data-output="cost_per_million_tokens"]').inner_text() == "$32.41"
    assert page.watch.console_errors == []


def test_exports_hold_inputs_and_results(page, served_site, tmp_path):
    """CSV and JSON downloads list every input and output with label, unit and value."""
    page.goto(served_site.url + CALCULATOR_PAGE)
    wait_until_live(page)
    page.fill("input[name=utilisation_percent]", "50")
    expect(page.locator('[data-output="cost_per_million_tokens"]')).to_have_text("$19.44")
    with page.expect_download() as csv_download:
        page.click("button[data-action=csv]")
    csv_text = (tmp_path / "out.csv")
    csv_download.value.save_as(csv_text)
    lines = csv_text.read_text().splitlines()
    assert lines[0] == "kind,name,label,unit,value,shown"
    assert '"input","utilisation_percent","Utilisation","%","50",""' in lines
    assert '"output","cost_per_million_tokens","At this utilisation","$ per 1M tokens","19.444444444444446","$19.44"' in lines
    with page.expect_download() as json_download:
        page.click("button[data-action=json]")
    import json

    json_file = tmp_path / "out.json"
    json_download.value.save_as(json_file)
    data = json.loads(json_file.read_text())
    assert data["widget"] == "rental-cost"
    assert {"kind": "output", "name": "tokens_per_hour_at_full_use", "label": "Capacity", "unit": "tokens/hour",
            "value": "360000", "shown": "360,000"} in data["rows"]


def test_watchdog_reports_a_runtime_that_cannot_start(page, served_site):
    """With the WebAssembly file unreachable, the widget says so within seconds and keeps its figures."""
    page.route("**/pyodide.asm.wasm", lambda route: route.abort())
    page.goto(served_site.url + CALCULATOR_PAGE)
    status = page.locator(".atlas-calculator__status")
    # Well before the 20 s watchdog: the worker reports the loader's own failure as it happens.
    expect(status).to_have_attribute("data-state", "error", timeout=10_000)
    assert status.inner_text().startswith("The live calculator could not start (wasm instantiation failed). ")
    assert status.inner_text().endswith("The results shown were computed when this page was built.")
    assert page.locator('[data-output="cost_per_million_tokens"]').inner_text() == "$32.41"
    page.fill("input[name=utilisation_percent]", "50")  # still the prerendered figure: nothing to compute with
    page.wait_for_timeout(500)
    assert page.locator('[data-output="cost_per_million_tokens"]').inner_text() == "$32.41"
