"""The decision note in a real browser: its three calculators go live, recompute as one types, and keep the scenario in the URL."""

from urllib.parse import quote

from playwright.sync_api import expect

from atlas_mkdocs.engine.widgets import WIDGETS, run_widget
# Imported by the package, not the module path: tests/build/test_import_names.py reserves
# 'calculators.<module>' for the engine's old name.
from tests.calculators import test_decision as worked
from tests.engine.conftest import bundled_catalogue

PAGE = quote("Costs/Which option for my workload") + "/"
LIVE_TIMEOUT_MS = 60_000


def _expected(values):
    result = run_widget("decision", WIDGETS["decision"].defaults() | values, bundled_catalogue())
    assert result["ok"], result
    return result


def _shown(root):
    return {cell.get_attribute("data-output"): cell.inner_text() for cell in root.locator("[data-output]").all()}


def test_the_three_examples_are_prerendered_with_the_engines_figures(page, served_site):
    """Before any script runs, each example shows the figures CPython computes for its inputs."""
    page.goto(served_site.url + PAGE)
    roots = page.locator('.atlas-calculator[data-widget="decision"]')
    expect(roots).to_have_count(3)
    for index, example in enumerate((worked.CHAT, worked.DOCUMENTS, worked.RECORDS)):
        assert _shown(roots.nth(index)) == _expected(example)["text"]
    assert page.watch.foreign_requests() == []


def test_decision_goes_live_recomputes_and_keeps_its_state_in_the_url(page, served_site, screenshots_dir):
    """Typing a volume and picking a data rule recompute in Pyodide as CPython does; a copied link restores both."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(served_site.url + PAGE)
    root = page.locator('.atlas-calculator[data-widget="decision"]').first
    expect(root.locator(".atlas-calculator__status")).to_have_attribute("data-state", "live", timeout=LIVE_TIMEOUT_MS)

    root.locator('[name="tokens_per_day"]').fill("3000000000")
    edited = worked.CHAT | {"tokens_per_day": "3000000000"}
    expected = _expected(edited)
    expect(root.locator('[data-output="cheapest"]')).to_have_text(expected["text"]["cheapest"])
    expect(root).to_have_attribute("data-computed", "browser")
    expect(root.locator('[data-output="owned_monthly_usd"]')).to_have_text(expected["text"]["owned_monthly_usd"])
    assert _shown(root) == expected["text"]
    assert expected["text"]["cheapest"] == "Own hardware"  # at 3 billion tokens a day the answer has turned

    root.locator('select[name="data_rule"]').select_option("on-premises")
    edited |= {"data_rule": "on-premises"}
    expected = _expected(edited)
    expect(root.locator('[data-output="api_monthly_usd"]')).to_have_text("ruled out")
    expect(root.locator('[data-output="rented_monthly_usd"]')).to_have_text("ruled out")
    assert _shown(root) == expected["text"]
    figure = root.locator("[data-figure]")
    expect(figure).to_contain_text("out: the data may not leave our premises")
    expect(figure.locator("li").first).to_have_text(expected["figure"].split("<li>")[1].split("</li>")[0])

    dom_id = root.get_attribute("id")
    assert f"{dom_id}=" in page.url
    assert "tokens_per_day%3D3000000000" in page.url and "data_rule%3Don-premises" in page.url
    root.screenshot(path=str(screenshots_dir / "decision-live.png"))

    again = page.context.new_page()
    again.goto(page.url)
    restored = again.locator(f"#{dom_id}")
    assert restored.locator('[name="tokens_per_day"]').input_value() == "3000000000"
    assert restored.locator('[name="data_rule"]').input_value() == "on-premises"
    expect(restored).to_have_attribute("data-computed", "browser", timeout=LIVE_TIMEOUT_MS)
    assert _shown(restored) == expected["text"]
    again.close()

    root.locator('[name="peak_to_average"]').fill("0.5")
    error = root.locator(f"#{dom_id}-peak_to_average-error")
    expect(error).to_have_text("Peak over average must be at least 1 times the average; got 0.5")
    assert _shown(root) == expected["text"], "the last good figures must stay"
    assert page.watch.foreign_requests() == []
    assert page.watch.console_errors == []


def test_decision_page_screenshot(page, served_site, screenshots_dir):
    """The whole note, live, is saved for a person to read."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(served_site.url + PAGE)
    expect(page.locator(".atlas-calculator__status").first).to_have_attribute("data-state", "live",
                                                                             timeout=LIVE_TIMEOUT_MS)
    page.screenshot(path=str(screenshots_dir / "decision-page.png"), full_page=True)
