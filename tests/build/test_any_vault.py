"""Any vault, built by a project's own short mkdocs.yml: what the plugin wires itself, what it leaves out
of a vault without calculators, its options, and the home page of a vault without index.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import ROOT, build_site


def project(tmp_path: Path, notes: dict[str, str], config: str = "") -> tuple[Path, Path]:
    """Write a vault of ``notes`` and a mkdocs.yml with ``theme: material``, ``plugins: [search, atlas]`` and
    ``config`` (extra YAML, e.g. plugin options); give back (vault, mkdocs.yml)."""
    vault = tmp_path / "docs"
    for name, text in notes.items():
        (vault / name).parent.mkdir(parents=True, exist_ok=True)
        (vault / name).write_text(text, encoding="utf-8")
    mkdocs_yml = tmp_path / "mkdocs.yml"
    mkdocs_yml.write_text("site_name: Garden\nsite_url: http://127.0.0.1:8000/\ntheme:\n  name: material\n"
                          "  font: false\n" + (config or "plugins:\n  - search\n  - atlas\n"), encoding="utf-8")
    return vault, mkdocs_yml


def problems(stderr: str) -> list[str]:
    """Give back the WARNING and ERROR lines of a build's log."""
    return [line for line in stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]


def site_files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


PLAIN = {"index.md": "# Garden\n\nSee [[Ferns]].\n", "Ferns.md": "# Ferns\n\nShade, water.\n"}


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory):
    """A vault without a calculator block, built strictly: (site folder, build result)."""
    base = tmp_path_factory.mktemp("plain")
    vault, config = project(base, PLAIN)
    result = build_site(vault, base / "site", config=config)
    return base / "site", result


def test_a_vault_without_calculators_gets_no_runtime(plain_site):
    """No runtime, engine, snapshot, worker or calculator script or stylesheet; the offline copy precaches
    the pages alone; the Obsidian layer is there."""
    site, result = plain_site
    assert result.returncode == 0, result.stderr
    assert problems(result.stderr) == []
    assert "INFO    -  atlas: no published note holds a calculator block; the site ships no calculator runtime" \
        in result.stderr
    # The plugin's bundled facts are not the project's: their prices' age is no news to this author.
    assert "days old" not in result.stderr and "data/gpus.yaml" not in result.stderr
    files = site_files(site)
    assert not [name for name in files if name.startswith(("assets/pyodide/", "assets/atlas/",
                                                           "assets/javascripts/atlas/", "Catalogue/"))]
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "widgets.js" not in page and "atlas.css" not in page and "atlasEarlyRuntime" not in page
    assert '<a class="obsidian-link" href="Ferns/">Ferns</a>' in page
    assert "assets/obsidian/obsidian.css" in page
    sw = (site / "sw.js").read_text(encoding="utf-8")
    precache = json.loads(sw[sw.index("const PRECACHE = ") + 17:sw.index("; // paths relative")])
    assert "Ferns/" in precache and "./" in precache
    assert not [path for path in precache if "pyodide" in path or "atlas/" in path or "snapshot" in path]


def test_a_vault_without_calculators_carries_no_atlas_branding(plain_site):
    """Title and description are the project's; nothing says Inference Cost Atlas."""
    site, _ = plain_site
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "Inference Cost Atlas" not in text and "What AI inference really costs" not in text, page
    assert "<title>Garden</title>" in (site / "index.html").read_text(encoding="utf-8")


def test_the_plugin_wires_its_fences_beside_the_users_own(tmp_path):
    """The user's pymdownx.superfences custom fence keeps working beside our calculator fence; the
    theme overrides are ours without a custom_dir (the policy in <head>)."""
    config = ("plugins:\n  - search\n  - atlas\nmarkdown_extensions:\n  - pymdownx.superfences:\n"
              "      custom_fences:\n        - name: diagram\n          class: diagram\n"
              "          format: !!python/name:pymdownx.superfences.fence_div_format\n")
    notes = {"index.md": "# Home\n\n```diagram\ngraph LR; a-->b\n```\n\n```calculator\nwidget: rental-cost\n```\n"}
    vault, mkdocs_yml = project(tmp_path, notes, config)
    # The project's cache: this project lives elsewhere, and a cold cache would make the snapshot again.
    mkdocs_yml.write_text(mkdocs_yml.read_text().replace(
        "  - atlas\n", f"  - atlas:\n      cache_dir: {ROOT / '.cache' / 'atlas'}\n"), encoding="utf-8")
    result = build_site(vault, tmp_path / "site", config=mkdocs_yml)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<div class="diagram">graph LR; a--&gt;b</div>' in page
    assert '<dd data-output="cost_per_million_tokens"' in page
    assert '<meta http-equiv="Content-Security-Policy" content="default-src' in page


def test_task_lists_and_strikethrough_render_as_in_obsidian(tmp_path):
    """`- [x]` is a ticked box the reader cannot change, `~~gone~~` is struck through, and a single `~` stays
    a tilde (Obsidian has no subscript); a user's own tasklist settings would win."""
    notes = {"index.md": "# Home\n\n- [ ] open\n- [x] done ~~gone~~, H~2~O\n"}
    vault, mkdocs_yml = project(tmp_path, notes)
    result = build_site(vault, tmp_path / "site", config=mkdocs_yml)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert ('<ul class="task-list">\n<li class="task-list-item"><label class="task-list-control"><input '
            'type="checkbox" disabled/><span class="task-list-indicator"></span></label> open</li>\n'
            '<li class="task-list-item"><label class="task-list-control"><input type="checkbox" disabled '
            'checked/><span class="task-list-indicator"></span></label> done <del>gone</del>, H~2~O</li>\n</ul>') in page


def test_calculators_false_and_offline_false(tmp_path):
    """calculators: false leaves a calculator block as code and ships no runtime; offline: false leaves
    out the service worker and its registration."""
    notes = {"index.md": "# Home\n\n```calculator\nwidget: rental-cost\n```\n"}
    vault, config = project(tmp_path, notes,
                            "plugins:\n  - search\n  - atlas:\n      calculators: false\n      offline: false\n")
    result = build_site(vault, tmp_path / "site", config=config)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "atlas-calculator" not in page and "widget: rental-cost" in page
    files = site_files(tmp_path / "site")
    assert "sw.js" not in files and "assets/hosting/offline.js" not in files
    assert not [name for name in files if name.startswith(("assets/pyodide/", "assets/atlas/"))]
    assert "offline.js" not in page


def test_a_vault_without_index_gets_a_list_of_its_notes(tmp_path):
    """No index.md: the root lists the notes by folder, linked by title (a frontmatter title wins)."""
    notes = {"Ferns.md": "# Ferns\n", "Trees/Oak.md": "---\ntitle: The <oak>\n---\nAcorns.\n",
             "Trees/Ash.md": "Keys.\n"}
    vault, config = project(tmp_path, notes)
    result = build_site(vault, tmp_path / "site", config=config)
    assert result.returncode == 0, result.stderr
    assert problems(result.stderr) == []
    assert "INFO    -  atlas: the vault has no index.md; its home page lists the notes" in result.stderr
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert ('<div class="atlas-home">\n<h1>Garden</h1>\n<p>3 notes in this vault.</p>\n'
            '<ul class="atlas-home__notes"><li><a href="Ferns/">Ferns</a></li></ul>\n'
            '<h2>Trees</h2><ul class="atlas-home__notes"><li><a href="Trees/Ash/">Ash</a></li>'
            '<li><a href="Trees/Oak/">The &lt;oak&gt;</a></li></ul>\n</div>') in home


def test_home_names_the_note_shown_at_the_root(tmp_path):
    """home: 'Start here' publishes that note at the root, and links to it land there."""
    notes = {"Start here.md": "# Welcome\n\nRead [[Ferns]].\n", "Ferns.md": "# Ferns\n\nBack to [[Start here]].\n"}
    vault, config = project(tmp_path, notes, "plugins:\n  - search\n  - atlas:\n      home: Start here\n")
    result = build_site(vault, tmp_path / "site", config=config)
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Welcome" in home and '<a class="obsidian-link" href="Ferns/">Ferns</a>' in home
    assert not (tmp_path / "site" / "Start here").exists()
    ferns = (tmp_path / "site" / "Ferns" / "index.html").read_text(encoding="utf-8")
    assert '<a class="obsidian-link" href="../">Start here</a>' in ferns


def test_home_naming_no_note_warns_and_lists_the_notes(tmp_path):
    """A home that names no published note is a warning (naming it and the fix); the root lists the notes."""
    notes = {"Ferns.md": "# Ferns\n", "Secret.md": "---\npublish: false\n---\nHidden.\n"}
    vault, config = project(tmp_path, notes, "plugins:\n  - search\n  - atlas:\n      home: Secret.md\n")
    result = build_site(vault, tmp_path / "site", config=config, strict=False)
    assert result.returncode == 0, result.stderr
    assert problems(result.stderr) == [
        "WARNING -  atlas: the option home names 'Secret.md', which is not a published note of the vault; the "
        "home page lists the notes instead. Name a note by its path, e.g. home: 'Start here.md'."]
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<p>1 note in this vault.</p>' in home and "Secret" not in home and "Hidden" not in home


def test_a_real_vault_with_broken_blocks_and_no_index_is_published(tmp_path):
    """No index.md, a malformed calculator block, a malformed data table and a good calculator: a lenient
    build publishes every note and a home page, each broken block shown and reported once with its note
    and line; --strict fails on the same two warnings."""
    notes = {
        "Costs/Renting.md": "# Renting\n\n```calculator\nwidget: rental-cost\ninputs:\n  utilisation_percent: 130\n"
                            "```\n\n```calculator\nwidget: api-cost\n```\n",
        "Costs/Tables.md": "# Tables\n\nText.\n\n```datatable\ntable: gpus\ncolumns: [vram]\n```\n",
        "Ideas.md": "# Ideas\n\nSee [[Renting]].\n",
    }
    config = (f"plugins:\n  - search\n  - atlas:\n      data_dir: {ROOT / 'data'}\n"
              f"      cache_dir: {ROOT / '.cache' / 'atlas'}\n")
    vault, mkdocs_yml = project(tmp_path, notes, config)
    result = build_site(vault, tmp_path / "site", config=mkdocs_yml, strict=False)
    assert result.returncode == 0, result.stderr
    expected = [
        "WARNING -  Costs/Renting.md, line 3: input 'utilisation_percent' of widget 'rental-cost' is 130, "
        "outside its bounds [1, 100] %",
        "WARNING -  Costs/Tables.md, line 5: datatable block: column 1 names 'vram', which is not a field of "
        "gpus (did you mean 'vram_gb'?); its fields: id, name, vram_gb, memory_bandwidth_gbs, fp16_dense_tflops, "
        "fp8_dense_tflops, fp4_dense_tflops, board_watts, interconnect, purchase_usd, msrp_usd, launch, as_of, source, note, historical",
    ]
    assert problems(result.stderr) == expected
    site = tmp_path / "site"
    renting = (site / "Costs" / "Renting" / "index.html").read_text(encoding="utf-8")
    assert renting.count("atlas-block-error") == 1 and 'data-widget="api-cost"' in renting
    assert "Text." in (site / "Costs" / "Tables" / "index.html").read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<p>3 notes in this vault.</p>' in home and '<a href="Costs/Renting/">Renting</a>' in home
    # The data/ folder's GPU and model pages are not the vault's notes: the home links their index only.
    assert ('<p>Written from the site\'s data when it was built: <a href="Catalogue/">GPUs and models</a>.</p>'
            in home)
    strict = build_site(vault, tmp_path / "strict", config=mkdocs_yml)
    assert strict.returncode == 1
    assert problems(strict.stderr) == expected


def test_a_site_built_for_this_machine_says_where_its_canonical_links_point(plain_site):
    """Built for http://127.0.0.1:8000/ (make site's default): the log says the canonical links and the
    sitemap point at this machine and how to build for the real address; not a warning, so --strict holds."""
    site, result = plain_site
    assert ("INFO    -  atlas: site_url is http://127.0.0.1:8000/, an address of this machine: the pages' canonical "
            "links, sitemap.xml and social previews point there. Build with the address the site will be served from "
            "(SITE_URL=https://you.github.io/repo/); instant navigation works wherever it is served.") in result.stderr
    assert '<link rel="canonical" href="http://127.0.0.1:8000/Ferns/">' in (site / "Ferns" / "index.html").read_text()


@pytest.mark.parametrize(("url", "local"), [
    ("http://127.0.0.1:8000/", True), ("http://localhost/", True), ("http://app.localhost:3000/x/", True),
    ("http://[::1]:8000/", True), ("http://0.0.0.0/", True), ("https://you.github.io/repo/", False),
    ("https://127.example.com/", False), ("http://10.0.0.5/", False),
])
def test_which_addresses_are_this_machines(url, local):
    from atlas_mkdocs.hosting.manager import is_local
    assert is_local(url) is local
