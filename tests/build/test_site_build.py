"""Building a vault: the prerendered calculator, the served runtime, and bad blocks named by note."""

import json
import re
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT, build_site


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory) -> Path:
    """The bundled vault (docs/) built once into a temporary folder, strictly."""
    site = tmp_path_factory.mktemp("site")
    result = build_site(ROOT / "docs", site)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return site


def test_calculator_page_holds_prerendered_figures(bundled_site):
    """The seed 003 figures are in the HTML before any script runs."""
    page = (bundled_site / "Rented GPU cost" / "index.html").read_text()
    assert '<dd data-output="cost_per_million_tokens_at_full_use" data-value="9.722222222222223">$9.72</dd>' in page
    assert '<dd data-output="cost_per_million_tokens" data-value="32.40740740740741">$32.41</dd>' in page
    assert '<dd data-output="tokens_per_hour_at_full_use" data-value="360000.0">360,000</dd>' in page
    assert 'name="utilisation_percent" type="text" inputmode="decimal" value="30"' in page
    assert '<script src="../assets/atlas/widgets.js" type="module"></script>' in page


def test_runtime_and_engine_are_served_by_the_site(bundled_site):
    """Pyodide's runtime, the engine wheel and a lock file naming only that wheel are in the site."""
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        assert (bundled_site / "assets" / "pyodide" / name).stat().st_size > 1000, name
    engine = bundled_site / "assets" / "atlas" / "engine"
    lock = json.loads((engine / "pyodide-lock.json").read_text())
    assert lock["info"]["python"].startswith("3.14")
    assert list(lock["packages"]) == ["atlas-calculators"]
    package = lock["packages"]["atlas-calculators"]
    assert package["imports"] == ["atlas_mkdocs"]
    wheel = engine / package["file_name"]
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        widgets_pyc = archive.read("atlas_mkdocs/engine/widgets.pyc")
    # Compiled inside Pyodide: the bytecode's magic number is Python 3.14's (3627), not the host's.
    assert int.from_bytes(widgets_pyc[:2], "little") == 3627
    assert "atlas_mkdocs/engine/rental.pyc" in names
    assert "atlas_mkdocs/__init__.pyc" in names  # the engine alone, under its import name
    assert not [name for name in names if name.endswith(".py") or "__pycache__" in name]
    with zipfile.ZipFile(bundled_site / "assets" / "pyodide" / "python_stdlib.zip") as stdlib:
        assert "json/__init__.pyc" in stdlib.namelist()
        assert "json/__init__.py" not in stdlib.namelist()


def test_no_third_party_hosts_in_pages(bundled_site):
    """No page loads a script, stylesheet, font or image from another host."""
    pattern = re.compile(r'<(?:script|link|img|iframe|source)\b[^>]*(?:src|href)="(https?:)?//', re.I)
    for page in bundled_site.rglob("*.html"):
        text = page.read_text()
        offenders = [m.group(0) for m in pattern.finditer(text) if 'rel="canonical"' not in m.group(0)]
        assert offenders == [], f"{page.relative_to(bundled_site)}: {offenders}"
    assert "fonts.googleapis" not in "".join(p.read_text() for p in bundled_site.rglob("*.html"))


def test_wheel_is_byte_identical_between_builds(tmp_path):
    """Two builds of the same engine give the same wheel (and so the same sha256 in the lock file)."""
    from atlas_mkdocs.runtime.engine_bundle import PyodideCompiler, build_engine_wheel

    pyodide_dir = ROOT / "node_modules" / "pyodide"
    first = build_engine_wheel(ROOT / "calculators", tmp_path / "a", PyodideCompiler(pyodide_dir, tmp_path / "c1"))
    second = build_engine_wheel(ROOT / "calculators", tmp_path / "b", PyodideCompiler(pyodide_dir, tmp_path / "c2"))
    assert first.name == second.name
    assert first.name.endswith(".pyodide31407-py3-none-any.whl")
    assert first.read_bytes() == second.read_bytes()


def test_missing_node_is_named_with_a_fix(tmp_path):
    """Without Node the bytecode compile stops with what to install or which option to turn off."""
    from atlas_mkdocs.runtime.engine_bundle import EngineBundleError, PyodideCompiler

    compiler = PyodideCompiler(ROOT / "node_modules" / "pyodide", tmp_path, node="")
    compiler.node = None
    source = tmp_path / "src.zip"
    source.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    with pytest.raises(EngineBundleError, match=r"`node` is not on the PATH. Install Node 18\+, or set "
                       r"`compile_bytecode: false`"):
        compiler.compile_zip(source)


def test_unknown_widget_is_a_box_and_a_warning_and_fails_strict(tmp_path):
    """A calculator block naming an unknown widget: a lenient build publishes every note, the block's place
    showing what is wrong, and warns naming the note, the line and the known widgets; --strict fails."""
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "index.md").write_text("# Home\n")
    (vault / "Bad calc.md").write_text("# Bad\n\nBefore.\n\n```calculator\nwidget: nope\n```\n\nAfter.\n")
    message = ("Bad calc.md, line 5: calculator block names unknown widget 'nope'. Known widgets: "
               "api-cost, audio-cost, break-even, cache-savings, cascade-savings, decision, image-cost, "
               "own-hardware-cost, rental-cost, rental-month, throughput, uncertainty, utilisation-curve, vram-fit")
    result = build_site(vault, tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))] == [
        f"WARNING -  {message}"]
    page = (tmp_path / "site" / "Bad calc" / "index.html").read_text()
    assert ('<div class="admonition failure atlas-block-error" role="alert"><p class="admonition-title">This '
            f"calculator block could not be shown</p><p>{message}</p></div>") in page
    assert page.index("<p>Before.</p>") < page.index("atlas-block-error") < page.index("<p>After.</p>")
    assert (tmp_path / "site" / "index.html").exists()
    strict = build_site(vault, tmp_path / "site2")
    assert strict.returncode == 1
    assert f"WARNING -  {message}\n" in strict.stderr
    assert "Aborted with 1 warnings in strict mode!" in strict.stdout + strict.stderr
    assert "Traceback" not in strict.stderr


def test_out_of_bounds_default_is_named_with_its_bounds(tmp_path):
    """A default outside an input's bounds is named with the input, the value and the bounds."""
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "index.md").write_text(
        "# Home\n\n```calculator\nwidget: rental-cost\ninputs:\n  utilisation_percent: 130\n```\n"
    )
    result = build_site(vault, tmp_path / "site")
    assert result.returncode == 1
    assert "WARNING -  index.md, line 3: input 'utilisation_percent' of widget 'rental-cost' is 130, " \
           "outside its bounds [1, 100] %\n" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("widget: rental-cots", "calculator block names unknown widget 'rental-cots'. Did you mean 'rental-cost'?"),
        ("widget: rental-cost\ninputs:\n  utilisation: 30",
         "widget 'rental-cost' has no input 'utilisation'. Did you mean 'utilisation_percent'?"),
        ("widget: rental-cost\npreset: huge", "widget 'rental-cost' has no preset 'huge'; its presets: none"),
        ("widget: api-cost\npreset: startups", "widget 'api-cost' has no preset 'startups'; its presets: startup, enterprise"),
        ("widget: throughput\ninputs:\n  parallel: ring",
         "input 'parallel' of widget 'throughput' is 'ring'; choose one of: tensor, pipeline"),
        ("widget: rental-cost\ninputs:\n  hourly_price_usd: cheap",
         "input 'hourly_price_usd' of widget 'rental-cost' must be a number; got 'cheap'"),
        ("widget: rental-cost\noutputs: [nothing]", "'outputs' of widget 'rental-cost' must be a list drawn from: "
         "cost_per_million_tokens_at_full_use, cost_per_million_tokens, tokens_per_hour_at_full_use"),
        ("widget: rental-cost\ncolour: red", "calculator block has unknown key 'colour'; the keys are: "
         "widget, inputs, preset, outputs, chart"),
        ("widget: [rental-cost", "calculator block is not valid YAML at line 1 of the block: "
         "expected ',' or ']', but got '<stream end>'"),
        ("- rental-cost", "calculator block must be a YAML mapping such as 'widget: rental-cost'"),
    ],
)
def test_bad_blocks_name_the_problem_and_a_fix(block, message):
    """Each malformed calculator block is refused with what is wrong and, where one exists, a fix."""
    from atlas_mkdocs.runtime.calculator_fence import CalculatorBlockError, parse_block
    from tests.engine.conftest import bundled_catalogue

    with pytest.raises(CalculatorBlockError) as caught:
        parse_block(block, bundled_catalogue())
    assert str(caught.value) == message


def test_presets_outputs_and_chart_options(tmp_path):
    """A block can start from a preset, show chosen outputs and drop the chart; the page says so."""
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "index.md").write_text(
        "# Home\n\n```calculator\nwidget: utilisation-curve\npreset: enterprise\n"
        "outputs: [cost_per_million_tokens]\nchart: false\n```\n\n"
        "```calculator\nwidget: break-even\n```\n"
    )
    result = build_site(vault, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "index.html").read_text()
    assert 'name="utilisation_percent" type="text" inputmode="decimal" value="90"' in page
    assert '<dd data-output="cost_per_million_tokens" data-value="10.80246913580247">$10.80</dd>' in page
    assert page.count("data-output=") == 1 + 6
    assert '<svg class="atlas-chart"' in page and page.count('<svg class="atlas-chart"') == 1
    assert '<title id="calc-2-title">Monthly cost against daily volume</title>' in page
    assert "Start from:" in page and ">Enterprise: steady 24/7 documents</button>" in page


def test_stale_prices_are_info_with_file_line_and_fix(tmp_path):
    """A price older than max_price_age_days is reported at info level naming file, line, row and field, so
    time passing never fails a build, --strict included; rows marked historical are dated records and stay quiet."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    gpus = (data / "gpus.yaml").read_text()
    (data / "gpus.yaml").write_text(gpus.replace("as_of: 2026-09", "as_of: 2019-01", 1), encoding="utf-8")
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "index.md").write_text("# Home\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"site_name: Stale\nsite_url: http://127.0.0.1:8000/\ndocs_dir: {vault}\ntheme:\n  name: material\n  font: false\n"
        f"plugins:\n  - atlas:\n      data_dir: {data}\n      max_price_age_days: 365\n"
    )
    result = build_site(vault, tmp_path / "site", config=config, strict=True)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    stale = [line for line in lines if "field as_of: price is" in line]
    assert any(line.startswith("INFO") and "data/gpus.yaml" in line and "the limit is 365 days)" in line
               and line.endswith("Check the source again and update the figure and as_of") for line in stale), stale
    assert all(line.startswith("INFO") for line in stale), stale
    assert not any(line.startswith("WARNING") for line in lines), lines
    assert not any("gpt-3.5-turbo-2023-03" in line for line in stale), "a historical row was flagged"


def test_concurrent_builds_share_the_cache_safely(tmp_path):
    """Four threads building the engine bundle into one cold cache all get the same, whole wheel."""
    from concurrent.futures import ThreadPoolExecutor

    from atlas_mkdocs.runtime.engine_bundle import PyodideCompiler, build_engine_bundle

    pyodide_dir = ROOT / "node_modules" / "pyodide"
    cache = tmp_path / "cache"

    def build(_):
        bundle = build_engine_bundle(ROOT / "calculators", pyodide_dir, cache, PyodideCompiler(pyodide_dir, cache))
        return bundle.wheel.name, bundle.wheel.read_bytes(), json.loads(bundle.lock_file.read_text())

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(build, range(4)))
    assert len({(name, data) for name, data, _ in results}) == 1
    assert all(lock["packages"]["atlas-calculators"]["file_name"] == results[0][0] for _, _, lock in results)
    with zipfile.ZipFile(cache / results[0][0]) as wheel:
        assert wheel.testzip() is None
    assert [p.name for p in (cache / "pyc").iterdir() if p.name.startswith(".") or p.suffix == ".tmp"] == []


def test_calculator_pages_name_the_search_gate(bundled_site):
    """Pages with a calculator give Material the search gate, every other page Material's own worker, and
    the gate names Material's worker, which is in the site."""
    config = re.compile(r'"search": "([^"]*)"')
    gated, plain = [], []
    for page in sorted(bundled_site.rglob("*.html")):
        text = page.read_text()
        if '<meta http-equiv="refresh"' in text:
            continue  # an alias's redirect: no theme, no search
        (address,) = config.findall(text)
        relative = page.relative_to(bundled_site)
        root = "/" if relative.name == "404.html" else "../" * (len(relative.parts) - 1)  # 404: any depth
        if '<div class="atlas-calculator" id="' in text:
            gated.append(relative)
            assert address == root + "assets/javascripts/atlas/search-gate.js", relative
        else:
            plain.append(relative)
            assert address == root + "assets/javascripts/workers/search.a7633da7.min.js", relative
    assert len(gated) >= 10 and len(plain) >= 10, (len(gated), len(plain))
    gate = (bundled_site / "assets/javascripts/atlas/search-gate.js").read_text()
    assert 'const WORKER = "../workers/search.a7633da7.min.js";' in gate
    assert (bundled_site / "assets/javascripts/workers/search.a7633da7.min.js").is_file()
    assert not (bundled_site / "assets/atlas/search-gate.js").exists()


def test_search_index_holds_each_text_once(bundled_site):
    """Embedded text is indexed in the note that holds it only, and "Linked from" lists not at all."""
    docs = json.loads((bundled_site / "search" / "search_index.json").read_text())["docs"]
    embedded = [doc["location"] for doc in docs if "This paragraph is embedded just below." in doc["text"]]
    assert embedded == ["Obsidian%20syntax/#sections"]
    sections = next(doc for doc in docs if doc["location"] == "Obsidian%20syntax/#sections")
    assert sections["text"].count("This paragraph is embedded just below.") == 1
    assert "Obsidian syntax &gt; ^embed-me" not in sections["text"]  # the embed's title line
    assert [doc["location"] for doc in docs if "<p>Linked from</p>" in doc["text"]] == []
    page = (bundled_site / "Obsidian syntax" / "index.html").read_text()
    assert '<div class="obsidian-embed" data-embed="Obsidian syntax.md" data-search-exclude="">' in page
    assert '<aside class="obsidian-backlinks" data-search-exclude=""><p class="obsidian-backlinks__title">' in page
    # Material's search read those elements empty (build_scripts/material/search_excluded.py); pages have them whole.
    assert page.count("This paragraph is embedded just below.") == 2
    assert not [path for path in bundled_site.rglob("*.html") if "atlas-search-excluded" in path.read_text()]


def test_calculator_pages_start_the_runtime_from_their_head(bundled_site):
    """A page with a calculator names the runtime's worker in <head>, before Material's stylesheets and
    scripts, for the offline copy to start early; pages without one have no such script."""
    early = re.compile(r'<script>\(\(\) => \{\s*if \(!navigator\.serviceWorker \|\| !navigator\.serviceWorker\.controller\) '
                       r'return;.*?new Worker\("([^"]*)", \{ type: "module" \}\)', re.S)
    started, plain = [], []
    for page in sorted(bundled_site.rglob("*.html")):
        text = page.read_text()
        relative = page.relative_to(bundled_site)
        found = early.findall(text)
        if '<div class="atlas-calculator" id="' in text:
            started.append(relative)
            depth = len(relative.parts) - 1
            assert found == ["/".join([".."] * depth or ["."]) + "/assets/atlas/worker.js"], relative
            assert text.index("new Worker(") < text.index('<link rel="stylesheet"'), relative
            assert text.index('http-equiv="Content-Security-Policy"') < text.index("new Worker("), relative
        else:
            plain.append(relative)
            assert found == [] and "atlasEarlyRuntime" not in text, relative
    assert len(started) >= 10 and len(plain) >= 10, (len(started), len(plain))


def test_a_calculator_seen_only_through_an_embed_starts_the_runtime_early(tmp_path):
    """A note whose only calculator comes from an embedded note gets the early start too: the check runs
    before search's reading holds the embed's content aside."""
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / "index.md").write_text("# Home\n\nNo calculator here.\n")
    (vault / "Costs.md").write_text("# Costs\n\n```calculator\nwidget: rental-cost\n```\n")
    (vault / "Summary.md").write_text("# Summary\n\n![[Costs]]\n")
    result = build_site(vault, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    summary = (tmp_path / "site" / "Summary" / "index.html").read_text()
    assert '<div class="atlas-calculator" id="' in summary
    assert 'new Worker("../assets/atlas/worker.js", { type: "module" })' in summary
    assert "new Worker(" not in (tmp_path / "site" / "index.html").read_text()
