"""Every input of every widget at its edges, typed and from the page's address, on a 390 px phone.

Each value gets what CPython's run_widget says for it (the very function the browser runs in Pyodide):
a refusal shows its message at that field, which is marked aria-invalid and described by the message,
and the last good figures stay; an accepted value shows the figures formatted for people. The page
never scrolls sideways.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from atlas_mkdocs.engine.widgets import MAX_INPUT_CHARS, WIDGETS, run_widget
from tests.engine.conftest import bundled_catalogue

LIVE_TIMEOUT_MS = 60_000
PHONE = {"width": 390, "height": 844}
#: The issue's edge values: empty, -0, 0, negative, a subnormal, a near-overflow, text, a decimal comma,
#: Arabic-Indic digits (fifteen) and whitespace alone.
EDGES = ["", "-0", "0", "-1", "1e-320", "1e308", "abc", "1,5", "\u0661\u0665", " \u00a0 "]
PAGES = {"rental-cost": quote("Rented GPU cost") + "/"}  # every other widget is on Calculators
CALCULATORS = quote("Calculators") + "/"


def page_of(name: str) -> str:
    return PAGES.get(name, CALCULATORS)


def expected(outcome: dict) -> dict:
    """What the engine, in CPython, says for the block's starting values with the one edited in place."""
    form = {name: str(value) for name, value in outcome["defaults"].items()}
    return run_widget(outcome["widget"], form | {outcome["input"]: outcome["typed"]}, bundled_catalogue())


#: In the page: each widget's number inputs, in turn, take each value, as typed (an input event);
#: after each the page's answer is read back. The widgets go in parallel, each one field at a time.
TYPE_EDGES = """async ([edges]) => {
  const settle = (root) => new Promise((resolve) => {
    const done = (event) => resolve(event.type);
    root.addEventListener("atlas:computed", done, {once: true});
    root.addEventListener("atlas:rejected", done, {once: true});
    setTimeout(() => resolve("timeout"), 15000);
  });
  const state = (root) => ({
    errors: [...root.querySelectorAll(".atlas-error")].filter((e) => !e.hidden)
      .map((e) => ({id: e.id, text: e.textContent})),
    message: [...root.querySelectorAll(".atlas-calculator__message")].filter((e) => !e.hidden).map((e) => e.textContent),
    invalid: [...root.querySelectorAll("[aria-invalid=true]")].map((e) => ({name: e.name, describedby: e.getAttribute("aria-describedby")})),
    outputs: Object.fromEntries([...root.querySelectorAll("[data-output]")].map((c) => [c.dataset.output, c.textContent])),
    sideways: document.documentElement.scrollWidth > window.innerWidth,
  });
  const outcomes = [];
  await Promise.all([...document.querySelectorAll(".atlas-calculator")].map(async (root) => {
    for (const input of root.querySelectorAll("input[name]")) {
      const original = input.value;
      for (const typed of [...edges, original]) {
        const before = state(root).outputs;
        const settled = settle(root);
        input.value = typed;
        input.dispatchEvent(new Event("input", {bubbles: true}));
        const kind = await settled;
        outcomes.push({widget: root.dataset.widget, id: root.id, input: input.name, typed, kind, before,
                       defaults: JSON.parse(root.dataset.defaults), ...state(root)});
      }
    }
  }));
  return outcomes;
}"""


def check(outcome: dict, want: dict) -> None:
    """The page shows what the engine says: the message at its field, or the figures."""
    where = json.dumps({key: outcome[key] for key in ("widget", "input", "typed")}, ensure_ascii=False)
    assert outcome["sideways"] is False, f"{where}: the page scrolls sideways at 390 px"
    if want["ok"]:
        assert outcome["kind"] == "atlas:computed", where
        assert outcome["errors"] == [] and outcome["invalid"] == [] and outcome["message"] == [], where
        assert outcome["outputs"] == want["text"], where
        for text in outcome["outputs"].values():
            assert "e-" not in text and "e+" not in text and "$-" not in text and "inf" not in text, (where, text)
        return
    assert outcome["kind"] == "atlas:rejected", where
    assert outcome["outputs"] == outcome["before"], f"{where}: the last good figures must stay"
    if want["field"] is None:
        assert outcome["message"] == [want["message"]] and outcome["errors"] == [], where
        return
    error_id = f"{outcome['id']}-{want['field']}-error"
    assert outcome["errors"] == [{"id": error_id, "text": want["message"]}], where
    assert [entry["name"] for entry in outcome["invalid"]] == [want["field"]], where
    assert error_id in outcome["invalid"][0]["describedby"].split(), where
    # The message is in the field's own words: its label, never the engine's internal name.
    label = WIDGETS[outcome["widget"]].input(want["field"]).label
    assert want["message"].startswith(label), (where, want["message"])


@pytest.fixture
def phone(browser, served_site):
    context = browser.new_context(viewport=PHONE, service_workers="block")
    page = context.new_page()
    yield page
    context.close()


def go_live(page, url: str) -> None:
    page.goto(url)
    page.focus(".atlas-calculator input")
    expect(page.locator(".atlas-calculator__status").first).to_have_attribute("data-state", "live",
                                                                               timeout=LIVE_TIMEOUT_MS)


@pytest.mark.parametrize("where", sorted(set(PAGES.values()) | {CALCULATORS}))
def test_every_input_typed_at_its_edges(phone, served_site, where):
    """Each edge value typed into each number input of each widget: the engine's answer, at the right field."""
    go_live(phone, served_site.url + where)
    outcomes = phone.evaluate(TYPE_EDGES, [EDGES])
    names = {name for name in WIDGETS if page_of(name) == where}
    fields = sum(1 for name in names for spec in WIDGETS[name].inputs if spec.kind == "number")
    assert len(outcomes) == fields * (len(EDGES) + 1)
    assert {outcome["widget"] for outcome in outcomes} == names
    refused = 0
    for outcome in outcomes:
        want = expected(outcome)
        check(outcome, want)
        refused += not want["ok"]
    # Most edge values are refused: "", -1, 1e308, "abc", "1,5" and whitespace in every field.
    assert refused >= fields * 6


#: Read back once the page has settled: the same state as above, for each widget.
READ_STATE = """() => [...document.querySelectorAll(".atlas-calculator")].map((root) => ({
  widget: root.dataset.widget, id: root.id, defaults: JSON.parse(root.dataset.defaults),
  errors: [...root.querySelectorAll(".atlas-error")].filter((e) => !e.hidden).map((e) => ({id: e.id, text: e.textContent})),
  message: [...root.querySelectorAll(".atlas-calculator__message")].filter((e) => !e.hidden).map((e) => e.textContent),
  notice: [...root.querySelectorAll(".atlas-calculator__notice")].filter((e) => !e.hidden).map((e) => e.textContent),
  invalid: [...root.querySelectorAll("[aria-invalid=true]")].map((e) => ({name: e.name, describedby: e.getAttribute("aria-describedby")})),
  outputs: Object.fromEntries([...root.querySelectorAll("[data-output]")].map((c) => [c.dataset.output, c.textContent])),
  before: JSON.parse(root.dataset.prerendered),
  sideways: document.documentElement.scrollWidth > window.innerWidth,
  kind: root.dataset.computed === "browser" ? "atlas:computed" : "atlas:rejected",
}))"""

REMEMBER_PRERENDERED = """() => document.querySelectorAll(".atlas-calculator").forEach((root) => {
  root.dataset.prerendered = JSON.stringify(Object.fromEntries(
    [...root.querySelectorAll("[data-output]")].map((c) => [c.dataset.output, c.textContent])));
})"""


def address_cases() -> list[tuple[str, int]]:
    """(value, k): the k-th edge value goes, from the address, into each widget's k-th input (wrapping)."""
    return [(value, k) for k, value in enumerate(EDGES + ["9" * (MAX_INPUT_CHARS + 1)])]


@pytest.mark.parametrize("value,k", address_cases())
def test_the_same_values_from_the_address(phone, served_site, value, k):
    """A hostile address gets the messages typing gets: each widget takes one edge value in one of its inputs."""
    phone.goto(served_site.url + CALCULATORS)
    ids = phone.eval_on_selector_all(".atlas-calculator", "roots => roots.map((r) => [r.dataset.widget, r.id])")
    assert sorted(name for name, _ in ids) == sorted(set(WIDGETS) - set(PAGES))
    chosen = {}
    query = []
    for name, dom_id in ids:
        specs = WIDGETS[name].inputs
        chosen[name] = specs[k % len(specs)].name
        query.append(f"{dom_id}=" + quote(f"{chosen[name]}={value}", safe=""))
    phone.add_init_script("document.addEventListener('DOMContentLoaded', () => {"
                          + REMEMBER_PRERENDERED.removeprefix("() => ") + "})")
    go_live(phone, served_site.url + CALCULATORS + "?" + "&".join(query))
    # Each widget has answered the engine once its runtime is live.
    phone.wait_for_function("""() => [...document.querySelectorAll('.atlas-calculator')].every((root) =>
        root.dataset.dirty === 'false')""", timeout=LIVE_TIMEOUT_MS)
    for outcome in phone.evaluate(READ_STATE):
        outcome["input"], outcome["typed"] = chosen[outcome["widget"]], value
        assert outcome["notice"] == []
        check(outcome, expected(outcome))


def test_unknown_and_overlong_address_values_are_reported(phone, served_site):
    """An unknown key is named in a notice; a value over 64 characters is refused at its field, not cut;
    a second wrong value is refused at its own field at the same time."""
    long = "1" + "0" * MAX_INPUT_CHARS  # 65 characters: cut to 64 it would be a valid, wrong number
    go_live(phone, served_site.url + PAGES["rental-cost"] + "?calc-1="
            + quote(f"hourly_price_usd={long};nonsense=3;tokens_per_second=50;utilisation_percent=1,5", safe=""))
    phone.wait_for_function("document.querySelector('.atlas-calculator').dataset.dirty === 'false'",
                            timeout=LIVE_TIMEOUT_MS)
    notice = phone.locator(".atlas-calculator__notice")
    expect(notice).to_have_text("The page address sets “nonsense”, which this calculator does not have; left out.")
    field = phone.locator("input[name=hourly_price_usd]")
    assert field.input_value() == long
    expect(field).to_have_attribute("aria-invalid", "true")
    want = run_widget("rental-cost", {"hourly_price_usd": long, "tokens_per_second": "50", "utilisation_percent": "1,5"}, bundled_catalogue())
    assert want == {"ok": False, "field": "hourly_price_usd",
                    "message": "Rental price is 65 characters long; a value has at most 64. From 0 to 1,000 $/hour.",
                    "others": {"utilisation_percent": "Utilisation: write decimals with a point, as in 1.5, and no "
                                                      "thousands separators; got '1,5'"}}
    expect(phone.locator("#calc-1-hourly_price_usd-error")).to_have_text(want["message"])
    expect(phone.locator("#calc-1-utilisation_percent-error")).to_have_text(want["others"]["utilisation_percent"])
    expect(phone.locator("input[name=utilisation_percent]")).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("input[name=tokens_per_second]")).not_to_have_attribute("aria-invalid", "true")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("locale", ["de-DE", "en-US"])
def test_a_point_the_reader_may_mean_as_thousands_is_not_guessed(browser, served_site, locale):
    """Where the reader's numbers group thousands with points, '1.500' is refused with both readings; in
    English it is one and a half. '0.5' and '1500' read the same everywhere."""
    context = browser.new_context(locale=locale, viewport=PHONE, service_workers="block")
    page = context.new_page()
    go_live(page, served_site.url + PAGES["rental-cost"])
    field = page.locator("input[name=hourly_price_usd]")
    error = page.locator("#calc-1-hourly_price_usd-error")
    result = page.locator('[data-output="cost_per_million_tokens_at_full_use"]')
    field.fill("1.500")
    if locale == "de-DE":
        expect(error).to_have_text("Rental price: “1.500” could be 1.5 or 1500; this page writes decimals with a "
                                   "point. Write 1500 without the points, or 1.5 for the decimal.")
        expect(field).to_have_attribute("aria-invalid", "true")
        assert result.inner_text() == "$9.72"  # the last good figure stays
    else:
        expect(result).to_have_text(run_widget("rental-cost", {"hourly_price_usd": "1.500"}, bundled_catalogue())["text"][
            "cost_per_million_tokens_at_full_use"])
    field.fill("0.5")
    expect(result).to_have_text(run_widget("rental-cost", {"hourly_price_usd": "0.5"}, bundled_catalogue())["text"][
        "cost_per_million_tokens_at_full_use"])
    expect(field).not_to_have_attribute("aria-invalid", "true")
    field.fill("1500")  # read as fifteen hundred everywhere, and refused as past the field's bound
    expect(error).to_have_text("Rental price must be at most 1,000 $/hour; got 1500")
    context.close()
