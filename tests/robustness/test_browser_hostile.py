"""In the browser: no payload in a note, a link, a title or the URL runs; random input gets a message or a result.

Every payload calls ``window.__xss`` (or sets it); an init script turns that into a record, so a test
sees any payload that ran, whichever way it ran.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from atlas_mkdocs.engine.widgets import WIDGETS
from tests.browser.conftest import LocalSite, PageWatch
from tests.helpers import build_site
from tests.robustness.corpus import write

CANARY_SCRIPT = """
window.__xssHits = [];
const record = (value) => window.__xssHits.push(String(value));
Object.defineProperty(window, "__xss", {get: () => record, set: record, configurable: false});
window.alert = record;
"""

HOSTILE_NOTE = """# Hostile

<script>window.__xss = "script"</script>

Inline <img src="x" onerror="window.__xss='img-onerror'"> and <svg onload="window.__xss('svg')"></svg>.

[markdown link](javascript:window.__xss('md-link')) [entity](javascript&#58;window.__xss('entity'))
[[javascript:window.__xss('wikilink')]] [[Other|<img src=x onerror=window.__xss('alias')>]]
[[Other|javascript:window.__xss('alias-text')]]

> [!note] <img src=x onerror="window.__xss('callout-title')">
> body

> [!tip]- <b onmouseover="window.__xss('fold-title')">fold</b>
> body

<div markdown="1">
<a href="javascript:window.__xss('md-in-html')" onclick="window.__xss('onclick')">click</a>
<iframe srcdoc="<script>parent.__xss('srcdoc')</script>"></iframe>
</div>

## Heading {onclick="window.__xss('attr-list')"}

<a href="  JaVaScRiPt:window.__xss('mixed-case')">mixed</a>
<form action="javascript:window.__xss('form')"><button>go</button></form>
<math><a xlink:href="javascript:window.__xss('math')">m</a></math>
"""


def vault_files() -> dict[str, str]:
    calculators = "".join(f"## {name}\n\n```calculator\nwidget: {name}\n```\n\n" for name in sorted(WIDGETS))
    return {
        "index.md": "# Home\n\n[[Hostile]] [[Calculators]] [[Described]]\n",
        "Hostile.md": HOSTILE_NOTE,
        "Other.md": "---\naliases: [\"<img src=x onerror=window.__xss('alias-dir')>\"]\n---\n# Other\n",
        "Described.md": "---\ndescription: \"\\\"><script>window.__xss('description')</script>\"\n---\n# Described\n",
        "Calculators.md": "# Calculators\n\n" + calculators,
    }


def serve(root, files):
    vault = write(root / "vault", files)
    server = LocalSite(root / "site")
    result = build_site(vault, root / "site", site_url=server.url, strict=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    server.start()
    return server


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    server = serve(tmp_path_factory.mktemp("hostile"), vault_files())
    yield server
    server.stop()


@pytest.fixture(scope="module")
def titled_site(tmp_path_factory):
    """A vault of its own: the hostile title is in every page's navigation."""
    server = serve(tmp_path_factory.mktemp("titled"), {
        "index.md": "# Home\n",
        "Titled.md": "---\ntitle: \"<img src=x onerror=window.__xss('title')>\"\n---\n# Titled\n",
    })
    yield server
    server.stop()


@pytest.fixture
def page(browser, hostile_site):
    # Without the site's security policy: what is proved here is that the markup itself cannot run (and
    # Playwright's evaluate needs eval, which the policy forbids).
    context = browser.new_context(bypass_csp=True)
    context.add_init_script(CANARY_SCRIPT)
    page = context.new_page()
    page.watch = PageWatch(page, hostile_site)
    yield page
    context.close()


#: Whatever the page's security policy blocks, the DOM itself must hold nothing that could run.
LIVE_MARKUP = """() => [...document.querySelectorAll("article *, .md-nav *, .md-header *")].flatMap((el) => [
  // Material's header holds inline scripts of its own: elements are checked in the note's article.
  ...(el.closest("article") && ["SCRIPT", "IFRAME", "OBJECT", "EMBED"].includes(el.tagName) ? [el.tagName] : []),
  ...(el.tagName === "IMG" && el.getAttribute("src") === "x" ? ["IMG src=x"] : []),
  ...[...el.attributes].filter((a) => /^on/i.test(a.name) || /^\\s*javascript:/i.test(a.value) || a.name === "srcdoc")
                       .map((a) => `${el.tagName} ${a.name}=${a.value}`),
])"""


def hits(page) -> list[str]:
    """Give back every payload that ran, after a moment for handlers and image errors to fire."""
    page.wait_for_timeout(300)
    for element in page.query_selector_all("article [onmouseover], article [onclick], article a, article b"):
        try:
            element.hover(timeout=200)
        except Exception:  # noqa: BLE001 - hidden elements cannot be hovered; they cannot be clicked either
            pass
    return page.evaluate("window.__xssHits")


def test_no_payload_in_a_note_runs(page, hostile_site):
    """Scripts, handlers, javascript: links, callout titles, md_in_html and attr_list payloads never run."""
    page.goto(hostile_site.url + "Hostile/")
    for link in page.query_selector_all("article a"):
        href = link.get_attribute("href") or ""
        assert "javascript" not in href.lower().replace(" ", ""), href
    assert hits(page) == []
    assert page.evaluate(LIVE_MARKUP) == []
    article = page.inner_text("article")
    assert '<script>window.__xss = "script"</script>' in article  # shown as written, as text


def test_hostile_description_and_alias_do_not_run(page, hostile_site):
    """A description breaking out of its meta tag, and an alias made of markup, run nothing."""
    for path in ("Described/", "Other/", "index.html"):
        page.goto(hostile_site.url + path)
        assert hits(page) == [], path
        assert page.evaluate(LIVE_MARKUP) == [], path


def test_hostile_frontmatter_title_is_text(page, titled_site):
    """A frontmatter title made of markup is shown as text in the nav and header, and runs nothing."""
    page.goto(titled_site.url)
    assert page.evaluate(LIVE_MARKUP) == []
    assert hits(page) == []


HOSTILE_STATES = [
    "hourly_price_usd=<img src=x onerror=window.__xss('state')>",
    "x=1;<script>window.__xss('state-name')</script>=1",
    "\"><svg onload=window.__xss('quote')>",
    "tokens_per_second=javascript:window.__xss('js')",
    "a" * 5000,
]


@pytest.mark.parametrize("state", HOSTILE_STATES)
def test_hostile_url_scenario_state_does_not_run(page, hostile_site, state):
    """Hostile ?calc-N= values reach the form as text at most; nothing runs and nothing breaks."""
    page.goto(f"{hostile_site.url}Calculators/?calc-1={quote(state)}&calc-2={quote(state)}")
    page.wait_for_function("document.querySelector('.atlas-calculator__status').dataset.state !== 'static'")
    assert hits(page) == []
    assert page.watch.console_errors == []


FUZZ = """async ([perWidget, seed]) => {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pool = ["", "-1", "0", "1e309", "NaN", "-0", "1e-320", "abc", "12abc", " ", "1,5", "Infinity",
                "99999999999999999999", "0.0000001", "-1e308", "3.5", "100", "1e3"];
  const value = () => random() < 0.5 ? pool[Math.floor(random() * pool.length)]
                                     : String((random() - 0.3) * 10 ** Math.floor(random() * 12 - 3));
  const outcomes = [];
  await Promise.all([...document.querySelectorAll(".atlas-calculator")].map(async (root) => {
    const inputs = [...root.querySelectorAll("input[name]")];
    for (let i = 0; i < perWidget; i++) {
      const input = inputs[Math.floor(random() * inputs.length)];
      const typed = value();
      const settled = new Promise((resolve) => {
        const done = (event) => resolve(event.type);
        root.addEventListener("atlas:computed", done, {once: true});
        root.addEventListener("atlas:rejected", done, {once: true});
        setTimeout(() => resolve("timeout"), 10000);
      });
      input.value = typed;
      input.dispatchEvent(new Event("input", {bubbles: true}));
      const kind = await settled;
      const shown = [...root.querySelectorAll(".atlas-error")].filter((e) => !e.hidden).map((e) => e.textContent);
      const outputs = [...root.querySelectorAll("[data-output]")].map((cell) => cell.textContent);
      outcomes.push({widget: root.dataset.widget, input: input.name, typed, kind, shown, outputs});
    }
  }));
  return outcomes;
}"""


def test_random_values_give_a_message_or_a_result(page, hostile_site):
    """Hundreds of random values typed into every widget: a result or a message at a field, no console error."""
    page.goto(hostile_site.url + "Calculators/")
    widgets = page.eval_on_selector_all(".atlas-calculator", "roots => roots.map(r => r.dataset.widget)")
    assert sorted(widgets) == sorted(WIDGETS)
    page.focus(".atlas-calculator input")
    page.wait_for_function("document.querySelector('.atlas-calculator__status').dataset.state === 'live'",
                           timeout=60_000)
    per_widget = max(20, -(-300 // len(widgets)))
    outcomes = page.evaluate(FUZZ, [per_widget, 20261122])
    assert len(outcomes) >= 300
    for outcome in outcomes:
        assert outcome["kind"] in ("atlas:computed", "atlas:rejected"), json.dumps(outcome)
        if outcome["kind"] == "atlas:rejected":
            assert any(text.strip() for text in outcome["shown"]), json.dumps(outcome)
        else:
            assert all(text.strip() for text in outcome["outputs"]), json.dumps(outcome)
            assert not any(word in " ".join(outcome["outputs"]) for word in ("nan", "inf", "NaN")), outcome
    assert page.watch.console_errors == []
    assert hits(page) == []
