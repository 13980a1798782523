"""The search gate's two build steps: the page rewrite and the gate file (build_scripts/material/search_gate.py)."""

import pytest
from mkdocs.structure.files import File, Files

from atlas_mkdocs.material import search_gate
from atlas_mkdocs.material.fill_in import MarkerError

CONFIG = '<script id="__config" type="application/json">{"base": "../..", "search": "%s", "tags": null}</script>'
CALCULATOR = '<div class="atlas-calculator" id="calc-1" data-widget="rental-cost">'


@pytest.mark.parametrize("prefix", ["", "../", "../../", "/atlas/"])
def test_a_calculator_page_names_the_gate_at_its_own_depth(prefix):
    """The worker's address keeps the page's own prefix; only the file changes."""
    page = CALCULATOR + CONFIG % f"{prefix}assets/javascripts/workers/search.a7633da7.min.js"
    assert search_gate.gate_page(page, CALCULATOR) == CALCULATOR + CONFIG % f"{prefix}assets/javascripts/atlas/search-gate.js"


def test_other_pages_and_other_search_workers_are_left_alone():
    """No calculator, or a search worker of the site's own (not Material's), and the page is unchanged."""
    material = CONFIG % "../assets/javascripts/workers/search.a7633da7.min.js"
    assert search_gate.gate_page("<p>text</p>" + material, "<p>text</p>") == "<p>text</p>" + material
    own = CALCULATOR + CONFIG % "../js/my-search-worker.js"
    assert search_gate.gate_page(own, CALCULATOR) == own
    # The word in prose is not the prerendered form.
    prose = '<p>class="atlas-calculator"</p>' + material
    assert search_gate.gate_page(prose, '<p>class="atlas-calculator"</p>') == prose


def test_gate_names_materials_worker_or_is_left_out():
    """The gate is written with Material's worker relative to it; without that worker there is no gate."""
    worker = File("assets/javascripts/workers/search.0123abcd.min.js", "/theme", "/site", False)
    gate = search_gate.gate_script(Files([worker]))
    assert 'const WORKER = "../workers/search.0123abcd.min.js"; // written in by the build' in gate
    assert "atlas:search-worker" not in gate
    assert search_gate.gate_script(Files([])) is None
    other = File("assets/javascripts/workers/other.js", "/theme", "/site", False)
    assert search_gate.gate_script(Files([other])) is None


def test_a_template_without_its_marker_is_named(tmp_path, monkeypatch):
    """An edited gate template that lost the marker fails with the file and the marker to restore."""
    template = tmp_path / "search-gate.js"
    template.write_text("const WORKER = null;\n", encoding="utf-8")
    monkeypatch.setattr(search_gate, "GATE_TEMPLATE", template)
    worker = File("assets/javascripts/workers/search.0123abcd.min.js", "/theme", "/site", False)
    with pytest.raises(MarkerError) as error:
        search_gate.gate_script(Files([worker]))
    assert str(error.value) == (f"{template} must hold `/* atlas:search-worker */ null` once, where the build "
                                "writes the address of Material's search worker")
