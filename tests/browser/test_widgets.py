"""Every widget in a real browser: the figures Pyodide computes are the figures CPython computes."""

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from atlas_mkdocs.engine.widgets import WIDGETS, run_widget
from tests.engine.conftest import bundled_catalogue

PAGE = quote("Calculators") + "/"
LIVE_TIMEOUT_MS = 60_000


def _edited_value(spec) -> str:
    """A valid new value for a number input, different from its default."""
    value = spec.default * 2 if spec.default else (spec.minimum or 0) + 1
    if spec.maximum is not None and value > spec.maximum:
        value = (spec.default + (spec.minimum or 0)) / 2
    return f"{value:g}"


def _first_meaningful_edit(widget):
    """The first number input whose edited value the engine accepts and that changes the figures."""
    before = run_widget(widget.name, widget.defaults(), bundled_catalogue())["text"]
    for spec in widget.inputs:
        if spec.kind != "number":
            continue
        edited = _edited_value(spec)
        after = run_widget(widget.name, widget.defaults() | {spec.name: edited}, bundled_catalogue())
        if after["ok"] and after["text"] != before:
            return spec, edited
    raise AssertionError(f"no input of {widget.name} changes its figures")


def _root(page, name):
    return page.locator(f'.atlas-calculator[data-widget="{name}"]').first


def _shown(root):
    return {cell.get_attribute("data-output"): cell.inner_text() for cell in root.locator("[data-output]").all()}


def _expected(name, values):
    result = run_widget(name, values, bundled_catalogue())
    assert result["ok"], result
    return result["text"]


# rental-cost has a page and tests of its own (test_calculator.py); every other widget is on Calculators.
@pytest.mark.parametrize("name", sorted(set(WIDGETS) - {"rental-cost"}))
def test_widget_matches_cpython_round_trips_and_rejects(page, served_site, screenshots_dir, name):
    """Prerendered = CPython; an edit recomputed in Pyodide = CPython; the URL restores it; a bad value is named."""
    widget = WIDGETS[name]
    page.goto(served_site.url + PAGE)
    root = _root(page, name)
    assert _shown(root) == _expected(name, widget.defaults())
    expect(root.locator(".atlas-calculator__status")).to_have_attribute("data-state", "live", timeout=LIVE_TIMEOUT_MS)

    spec, edited = _first_meaningful_edit(widget)
    root.locator(f'[name="{spec.name}"]').fill(edited)
    expected = _expected(name, widget.defaults() | {spec.name: edited})
    first_output = widget.outputs[0].name
    expect(root.locator(f'[data-output="{first_output}"]')).to_have_text(expected[first_output])
    expect(root).to_have_attribute("data-computed", "browser")
    assert _shown(root) == expected

    dom_id = root.get_attribute("id")
    assert f"{dom_id}=" in page.url
    again = page.context.new_page()
    again.goto(page.url)
    restored = _root(again, name)
    assert restored.locator(f'[name="{spec.name}"]').input_value() == edited
    expect(restored).to_have_attribute("data-computed", "browser", timeout=LIVE_TIMEOUT_MS)
    assert _shown(restored) == expected
    again.close()

    bounded = next(spec for spec in widget.inputs if spec.minimum is not None)
    bad = f"{bounded.minimum - 1:g}"
    root.locator(f'[name="{bounded.name}"]').fill(bad)
    refusal = run_widget(name, widget.defaults() | {spec.name: edited, bounded.name: bad}, bundled_catalogue())
    assert refusal["ok"] is False and refusal["field"] == bounded.name
    error = root.locator(f"#{dom_id}-{bounded.name}-error")
    expect(error).to_have_text(refusal["message"])
    assert _shown(root) == expected, "the last good figures must stay"
    root.screenshot(path=str(screenshots_dir / f"widget-{name}-light.png"))
    assert page.watch.foreign_requests() == []
    assert page.watch.console_errors == []


def test_preset_buttons_load_the_persona(page, served_site):
    """The Enterprise preset of the API widget loads its values and the CPython figures for them."""
    page.goto(served_site.url + PAGE)
    root = _root(page, "api-cost")
    expect(root.locator(".atlas-calculator__status")).to_have_attribute("data-state", "live", timeout=LIVE_TIMEOUT_MS)
    root.get_by_role("button", name="Enterprise: steady 24/7 documents").click()
    expected = _expected("api-cost", WIDGETS["api-cost"].defaults() | dict(WIDGETS["api-cost"].preset("enterprise").values))
    expect(root.locator('[data-output="monthly_cost_usd"]')).to_have_text(expected["monthly_cost_usd"])
    assert root.locator('[name="requests_per_day"]').input_value() == "1000000"
    assert _shown(root) == expected


def test_choice_input_redraws_the_table(page, served_site):
    """Picking BF16 weights in the VRAM widget recomputes and redraws the GPU table."""
    page.goto(served_site.url + PAGE)
    root = _root(page, "vram-fit")
    expect(root.locator(".atlas-calculator__status")).to_have_attribute("data-state", "live", timeout=LIVE_TIMEOUT_MS)
    root.locator('select[name="quant"]').select_option("bf16")
    expected = _expected("vram-fit", WIDGETS["vram-fit"].defaults() | {"quant": "bf16"})
    expect(root.locator('[data-output="total_gb"]')).to_have_text(expected["total_gb"])
    assert "quant%3Dbf16" in page.url


def test_dark_mode_and_phone_width_screenshots(browser, served_site, screenshots_dir):
    """The calculators page in dark mode and at phone width is saved for a person to look at."""
    for scheme, width, label in (("dark", 1100, "dark"), ("light", 390, "phone")):
        context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900},
                                      service_workers="block")
        page = context.new_page()
        page.goto(served_site.url + PAGE)
        expect(page.locator(".atlas-calculator__status").first).to_have_attribute("data-state", "live",
                                                                                   timeout=LIVE_TIMEOUT_MS)
        for name in (sorted(WIDGETS) if label == "dark" else ("break-even", "uncertainty", "vram-fit")):
            if name != "rental-cost":
                _root(page, name).screenshot(path=str(screenshots_dir / f"widget-{name}-{label}.png"))
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert overflow is False, f"{label}: the page scrolls sideways"
        context.close()


def test_every_widget_works_after_instant_navigation(page, served_site):
    """Reached from the home page by Material's instant navigation, every widget goes live and recomputes."""
    page.set_viewport_size({"width": 1400, "height": 900})  # wide enough for Material's navigation sidebar
    page.goto(served_site.url)
    page.evaluate("window.__sameDocument = true")
    page.locator(f'.md-nav a[href$="{PAGE}"]').first.click()
    expect(page.locator(".atlas-calculator")).to_have_count(len(WIDGETS) - 1)
    assert page.evaluate("window.__sameDocument") is True, "navigation reloaded the page"
    for name in sorted(set(WIDGETS) - {"rental-cost"}):
        root = _root(page, name)
        expect(root.locator(".atlas-calculator__status")).to_have_attribute("data-state", "live",
                                                                            timeout=LIVE_TIMEOUT_MS)
        spec, edited = _first_meaningful_edit(WIDGETS[name])
        root.locator(f'[name="{spec.name}"]').fill(edited)
        expected = _expected(name, WIDGETS[name].defaults() | {spec.name: edited})
        expect(root).to_have_attribute("data-computed", "browser")
        first = WIDGETS[name].outputs[0].name
        expect(root.locator(f'[data-output="{first}"]')).to_have_text(expected[first])
    assert page.evaluate("window.__sameDocument") is True
    assert page.watch.console_errors == []
    assert page.watch.foreign_requests() == []
