"""Obsidian properties MkDocs or Material would act on: a vault's own values never take the build down."""

from __future__ import annotations

from markupsafe import Markup

from tests.build.test_ordinary_vault import make_site
from tests.robustness.corpus import write
from atlas_mkdocs.obsidian.theme_meta import theme_safe_meta

NOTES = {
    "index.md": "# Home\n\n[[Book]], [[Hidden]], [[Icon]], [[Found]], [[Sub]]\n",
    "Book.md": "---\ntemplate: Book\nstatus: reading\n---\n# Book\n\nA reading note.\n",
    "Hidden.md": "---\nhide: 3\n---\n# Hidden\n\nNothing to hide.\n",
    "Icon.md": "---\nicon: \"📚\"\n---\n# Icon\n\nAn emoji icon from a plugin.\n",
    "Found.md": "---\nsearch: no\n---\n# Found\n\nStill found by search.\n",
    "Sub.md": "---\nsubtitle: \"<img src=x onerror=alert(1)>\"\nicon: material/tree\nhide: toc\n---\n# Sub\n\nText.\n",
}


def test_theme_properties_are_kept_only_where_the_theme_can_use_them(tmp_path):
    dirs = [str(p) for p in __import__("mkdocs.theme", fromlist=["Theme"]).Theme(name="material").dirs]
    kept, notices = theme_safe_meta({"template": "Book", "icon": "material/tree", "hide": "toc",
                                     "search": "no", "status": "new", "subtitle": "<b>x</b>"}, dirs)
    assert kept == {"icon": "material/tree", "hide": ["toc"], "status": "new", "subtitle": Markup("&lt;b&gt;x&lt;/b&gt;")}
    assert notices == [
        "property 'template: Book' is not a template of the theme (an .html file in the theme or its overrides); "
        "the page uses the default template",
        "property 'search: no' is not a mapping (search: {exclude: true} leaves a page out of search); "
        "the page is in the search index",
    ]
    assert theme_safe_meta({"template": "main.html", "icon": "../../etc/passwd"}, dirs)[0] == {"template": "main.html"}


def test_a_vault_with_such_properties_builds_every_note(tmp_path):
    vault = write(tmp_path / "vault", NOTES)
    result = make_site(vault, tmp_path / "site", strict=False)
    log = result.stdout + result.stderr
    assert result.returncode == 0 and "Traceback" not in log, log[-3000:]
    for name in ("Book", "Hidden", "Icon", "Found", "Sub"):
        page = (tmp_path / "site" / name / "index.html").read_text(encoding="utf-8")
        assert f'<h1 id="{name.lower()}">{name}</h1>' in page
    assert ("Doc file 'Hidden.md': property 'hide: 3' is not a list of what the theme can hide (navigation, toc, "
            "footer, feedback, tags, path); nothing is hidden.") in log
    assert "Doc file 'Icon.md': property 'icon: 📚' is not an icon of the theme" in log
    sub = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "<img src=x" not in sub and "&lt;img src=x onerror=alert(1)&gt;" in sub
    assert "Found" in (tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
