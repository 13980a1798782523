"""What the build adds for hosting, read from the built files: robots.txt, sitemap, 404, metadata, policy, sw.js."""

from __future__ import annotations

import base64
import gzip
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from atlas_mkdocs.hosting import csp, offline
from atlas_mkdocs.hosting.manager import REGISTER_SCRIPT, HostingManager, is_serving, page_metadata
from tests.helpers import ROOT, build_site

SITE_URL = "https://reader.example.org/atlas/"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    """The sample vault (drafts, unpublished notes, punctuated names) built for a sub-path address."""
    site = tmp_path_factory.mktemp("sample-site")
    result = build_site(ROOT / "tests" / "vaults" / "sample", site, site_url=SITE_URL, strict=False)
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def social_site(tmp_path_factory) -> Path:
    """A vault whose frontmatter holds quotes, ampersands and markup."""
    vault = tmp_path_factory.mktemp("social-vault")
    (vault / "index.md").write_text("# Home\n\nWelcome.\n", "utf-8")
    (vault / "Hostile.md").write_text(
        '---\ntitle: \'Q&A: "GPUs" <b>now</b>\'\n'
        'description: \'Costs "quoted" & <script>alert(1)</script> compared\'\n---\n# Hostile\n\nText.\n', "utf-8")
    (vault / "Plain & simple.md").write_text("# Plain & simple\n\nNo frontmatter.\n", "utf-8")
    site = tmp_path_factory.mktemp("social-site")
    result = build_site(vault, site, site_url=SITE_URL)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return site


def meta(page: str, key: str) -> list[str]:
    """Give back the (unescaped) content of every <meta name|property=key> in a page."""
    pattern = rf'<meta (?:name|property)="{re.escape(key)}" content="([^"]*)">'
    return [html.unescape(value) for value in re.findall(pattern, page)]


def test_robots_txt_names_the_sitemap_at_the_full_address(sample_site):
    """robots.txt allows everything and gives the sitemap's absolute URL under the sub-path."""
    assert (sample_site / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\nSitemap: {SITE_URL}sitemap.xml\n")


def test_sitemap_lists_published_notes_only(sample_site):
    """Drafts and publish: false notes are in no sitemap entry; every entry is a built page."""
    locations = re.findall(r"<loc>([^<]+)</loc>", (sample_site / "sitemap.xml").read_text())
    assert SITE_URL in locations and f"{SITE_URL}Costs/" in locations
    assert not [loc for loc in locations if "Draft" in loc or "Hidden" in loc]
    assert not (sample_site / "Draft").exists() and not (sample_site / "Hidden").exists()
    from urllib.parse import unquote
    for loc in locations:
        assert loc.startswith(SITE_URL)
        assert (sample_site / unquote(loc[len(SITE_URL):]) / "index.html").is_file(), loc


def test_404_page_links_from_the_sub_path_and_is_not_indexed(sample_site):
    """404.html is served at any depth, so its links start at /atlas/; it asks not to be indexed."""
    page = (sample_site / "404.html").read_text()
    # Every link into the site; the footer's "Made with Material" is a link out, not a request.
    links = [link for link in re.findall(r'(?:href|src)="([^"#]+)"', page) if not link.startswith("https://")]
    assert links and all(link.startswith("/atlas/") for link in links), links
    assert '<link rel="icon" href="/atlas/assets/images/favicon.png">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert (sample_site / "assets" / "images" / "favicon.png").is_file()


def test_social_metadata_from_frontmatter_is_escaped(social_site):
    """Frontmatter title and description reach description, og:* and twitter:* escaped, never as markup."""
    page = (social_site / "Hostile" / "index.html").read_text()
    # In <head>, escaped; the Obsidian manager also hands Material's header and navigation an escaped title.
    head = page[: page.index("</head>")]
    assert "<script>alert" not in page and "<b>now" not in head
    title, description = 'Q&A: "GPUs" <b>now</b>', 'Costs "quoted" & <script>alert(1)</script> compared'
    assert meta(page, "og:title") == meta(page, "twitter:title") == [title]
    assert meta(page, "description") == meta(page, "og:description") == meta(page, "twitter:description") == [description]
    assert meta(page, "og:url") == [f"{SITE_URL}Hostile/"]
    assert meta(page, "og:type") == ["article"]
    assert meta(page, "twitter:card") == ["summary"]
    assert html.unescape(re.search(r"<title>([^<]*)</title>", page)[1]) == f"{title} - Inference Cost Atlas"


def test_social_metadata_falls_back_to_page_and_site(social_site):
    """Without frontmatter: the heading's text and the site's description; the home page is a website."""
    plain = (social_site / "Plain & simple" / "index.html").read_text()
    assert meta(plain, "og:title") == ["Plain & simple"]
    assert meta(plain, "og:description")[0].startswith("What AI inference really costs")
    home = (social_site / "index.html").read_text()
    assert meta(home, "og:type") == ["website"] and meta(home, "og:url") == [SITE_URL]
    assert "<title>Inference Cost Atlas</title>" in home


def test_a_title_that_is_the_site_name_is_not_repeated():
    """Our home note's frontmatter title is the site's name: the tab says it once, not "Atlas - Atlas"."""
    config = SimpleNamespace(site_name="Inference Cost Atlas", site_description="")
    def page(title, home):
        return SimpleNamespace(meta={"title": title}, title=title, is_homepage=home, canonical_url="")
    assert page_metadata(page("Inference Cost Atlas", True), config)["document_title"] == "Inference Cost Atlas"
    assert page_metadata(page("Inference Cost Atlas", False), config)["document_title"] == "Inference Cost Atlas"
    assert page_metadata(page("Start here", True), config)["document_title"] == "Start here - Inference Cost Atlas"
    assert page_metadata(page("Glossary", False), config)["document_title"] == "Glossary - Inference Cost Atlas"


def test_every_page_carries_the_policy_before_any_script(sample_site):
    """The policy is the first thing after the charset, and allows each page's inline scripts by hash."""
    pages = [path for path in sample_site.rglob("*.html") if "<script" in path.read_text()]
    assert len(pages) >= 5
    for path in pages:
        text = path.read_text()
        policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
        assert policy and policy.start() < text.index("<script"), path
        assert csp.PLACEHOLDER not in text
        script_src = re.search(r"script-src ([^;]+)", policy[1])[1].split()
        for attributes, content in re.findall(r"<script([^>]*)>(.*?)</script>", text, re.S):
            if "src=" in attributes or "application/json" in attributes:
                continue
            digest = base64.b64encode(hashlib.sha256(content.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in script_src, (path, content[:60])
        assert "'unsafe-inline'" not in policy[1] and "'unsafe-eval'" not in policy[1]


def test_policy_directives():
    """The policy names this site only, WebAssembly but no eval, no plugins, no foreign base or form."""
    policy = csp.content_security_policy(["'sha256-abc='"])
    directives = dict(part.split(" ", 1) for part in policy.split("; "))
    assert directives == {
        "default-src": "'self'",
        "script-src": "'self' 'wasm-unsafe-eval' 'sha256-abc='",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "worker-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
    }


def test_inline_hashes_skip_external_scripts_and_data_blocks():
    """Only scripts a browser runs inline are hashed; inline <style> elements get their own list."""
    page = ('<script src="a.js"></script><script id="__config" type="application/json">{"a": 1}</script>'
            '<script>var x = "</scr" + "ipt>";</script><script type="module">import "./b.js"</script>'
            "<style>p{color:red}</style>")
    scripts, styles = csp.inline_hashes(page)
    assert scripts == {csp.source_hash('var x = "</scr" + "ipt>";'), csp.source_hash('import "./b.js"')}
    assert styles == {csp.source_hash("p{color:red}")}
    assert csp.source_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"


def precache(site: Path) -> list[str]:
    return json.loads(re.search(r"const PRECACHE = (\[.*?\]);", (site / "sw.js").read_text(), re.S)[1])


def test_service_worker_precaches_the_built_site(sample_site):
    """sw.js sits at the root; its manifest holds every page and asset, each a file of the site. The sample
    vault holds no calculator, so there is no runtime to precache (the bundled vault's is, in
    test_hosted_site.py)."""
    paths = precache(sample_site)
    for expected in ("./", "Costs/", "Q%26A%20100%25%20done%3F/", "404.html", "assets/obsidian/obsidian.css",
                     REGISTER_SCRIPT, "search/search_index.json"):
        assert expected in paths, expected
    # Built with our mkdocs.yml, whose data/ gives it the data tables' stylesheet (and the GPU and model pages).
    assert [path for path in paths if path.startswith(("assets/pyodide/", "assets/atlas/"))] == ["assets/atlas/atlas.css"]
    assert "Catalogue/GPUs/h100-sxm/" in paths
    assert not [path for path in paths if path.endswith((".gz", ".map")) or path == "sw.js"]
    from urllib.parse import unquote
    for path in paths:
        target = sample_site / unquote(path)
        assert (target / "index.html" if path.endswith("/") else target).is_file(), path
    assert f'<script src="../{REGISTER_SCRIPT}"></script>' in (sample_site / "Costs" / "index.html").read_text()


def test_a_new_build_gets_a_new_cache(tmp_path):
    """The cache version follows every file's bytes, so a changed file replaces the whole cache."""
    (tmp_path / "index.html").write_text("<p>one</p>")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.js").write_text("1")
    first = offline.write_service_worker(tmp_path).read_text()
    assert offline.write_service_worker(tmp_path).read_text() == first, "same site, same worker"
    (tmp_path / "assets" / "a.js").write_text("2")
    second = offline.write_service_worker(tmp_path).read_text()
    version = re.compile(r'const VERSION = "([0-9a-f]{16})";')
    assert version.search(first)[1] != version.search(second)[1]
    assert sorted(precache(tmp_path)) == ["./", "assets/a.js"]


def test_precache_lists_each_file_once_and_leaves_out_what_no_page_asks_for(tmp_path):
    """Pages as their folders, in the order of their files; hidden files and folders, source maps, compressed copies,
    lunr's other languages and sw.js itself are left out."""
    for relative in ("index.html", "a-b.txt", "a/index.html", "a/b/c.js", "a/.hidden.js", ".git/HEAD",
                     "x/.cache/y.js", "sw.js", "app.js.map", "sitemap.xml.gz",
                     "assets/javascripts/lunr/min/lunr.de.min.js", "Q&A 100% done?/index.html"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(relative, encoding="utf-8")
    assert offline.site_files(tmp_path)[:4] == [".git/HEAD", "Q&A 100% done?/index.html", "a-b.txt", "a/.hidden.js"]
    assert offline.precache_paths(tmp_path) == ["Q%26A%20100%25%20done%3F/", "a-b.txt", "a/b/c.js", "a/", "./"]


def test_cache_version_is_that_of_the_files_as_written(sample_site):
    """The build hashes the pages it fills in from memory; the version equals one read from the disk."""
    version = re.search(r'const VERSION = "([0-9a-f]{16})";', (sample_site / "sw.js").read_text())[1]
    assert offline.site_version(sample_site, offline.precache_paths(sample_site)) == version


def test_pages_written_before_a_new_inline_script_get_the_final_policy(tmp_path):
    """Each page is filled in as it renders; those written before a script first seen later (here the
    second page's, and 404.html's from its template) are written again, the others are left as they are."""
    manager = HostingManager(SimpleNamespace())
    manager.command = "build"
    config = SimpleNamespace(site_dir=str(tmp_path), extra={"atlas_csp": True})
    def page_html(script):
        return f'<meta http-equiv="Content-Security-Policy" content="{csp.PLACEHOLDER}"><script>{script}</script>'
    not_found = manager.on_post_template(page_html("missing()"), "404.html", config)
    (tmp_path / "404.html").write_text(not_found, encoding="utf-8")
    written = {}
    for name, script in (("a", "first()"), ("b", "second()"), ("c", "second()")):
        path = tmp_path / name / "index.html"
        path.parent.mkdir()
        page = SimpleNamespace(file=SimpleNamespace(abs_dest_path=str(path)))
        written[name] = manager.on_post_page(page_html(script), page, config)
        path.write_text(written[name], encoding="utf-8")
    assert csp.source_hash("second()") not in written["a"]  # not known yet when "a" was rendered
    for name in "bc":
        os.utime(tmp_path / name / "index.html", ns=(1, 1))
    manager.on_post_build(config)
    final = csp.content_security_policy({csp.source_hash(s) for s in ("missing()", "first()", "second()")})
    for path in (tmp_path / "404.html", tmp_path / "a" / "index.html", tmp_path / "b" / "index.html"):
        assert f'content="{final}"' in path.read_text(encoding="utf-8"), path
    # "b" and "c" already had the final policy: not written again.
    for name in "bc":
        assert (tmp_path / name / "index.html").stat().st_mtime_ns == 1, name
        assert (tmp_path / name / "index.html").read_text(encoding="utf-8") == written[name]
    version = re.search(r'const VERSION = "([0-9a-f]{16})";', (tmp_path / "sw.js").read_text())[1]
    assert offline.site_version(tmp_path, offline.precache_paths(tmp_path)) == version


def test_live_preview_gets_neither_worker_nor_policy(tmp_path):
    """Under `mkdocs serve` nothing is registered (stale pages) and no policy is set (livereload's script)."""
    def config(site_dir):
        return SimpleNamespace(site_dir=str(site_dir), site_url=SITE_URL, extra_javascript=[], extra={})

    import tempfile
    serve_dir = Path(tempfile.mkdtemp(prefix="mkdocs_"))
    try:
        assert is_serving(config(serve_dir)) and not is_serving(config(tmp_path))
        served = HostingManager({}).on_config(config(serve_dir))
        assert served.extra_javascript == [] and served.extra["atlas_csp"] is False
    finally:
        serve_dir.rmdir()
    manager = HostingManager({})
    manager.on_startup(command="serve")
    assert manager.on_config(config(tmp_path)).extra_javascript == []
    built = HostingManager({}).on_config(config(tmp_path))
    assert built.extra_javascript == [REGISTER_SCRIPT] and built.extra["atlas_csp"] is True


SW_INFLATED = r"""
const fs = require("fs");
const source = fs.readFileSync(process.argv[2], "utf8");
const inflated = eval("(" + source.slice(source.indexOf("async function inflated"), source.indexOf("// One key per file")) + ")");
(async () => {
  const results = {};
  for (const name of ["gzip", "inflated"]) {
    const data = fs.readFileSync(`${process.argv[3]}/${name}.bin`);
    const response = await inflated(new Response(data, {
      headers: { "content-length": String(data.length), "content-type": "application/octet-stream" } }));
    const kept = Buffer.from(await response.arrayBuffer());
    results[name] = { hex: kept.toString("hex"), length: response.headers.get("content-length"),
                      type: response.headers.get("content-type") };
  }
  console.log(JSON.stringify(results));
})();
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_offline_copy_keeps_the_snapshot_inflated_whatever_it_was_sent_as(tmp_path):
    """sw.js inflates a gzip snapshot for the copy, and keeps one a host already inflated as it came."""
    body = b"ATLS" + bytes(range(256)) * 40
    (tmp_path / "gzip.bin").write_bytes(gzip.compress(body))
    (tmp_path / "inflated.bin").write_bytes(body)
    (tmp_path / "check.js").write_text(SW_INFLATED)
    sw = ROOT / "build_scripts" / "hosting" / "assets" / "sw.js"
    done = subprocess.run(["node", str(tmp_path / "check.js"), str(sw), str(tmp_path)],
                          capture_output=True, text=True, check=True)
    results = json.loads(done.stdout)
    assert results["gzip"] == {"hex": body.hex(), "length": None, "type": "application/octet-stream"}
    assert results["inflated"] == {"hex": body.hex(), "length": str(len(body)), "type": "application/octet-stream"}
