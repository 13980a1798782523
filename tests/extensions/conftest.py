"""Golden tests of the Obsidian extensions: `<ext>/<case>.md` rendered and compared with `<case>.html`.

`pytest tests/extensions --update` rewrites the expected HTML from the current output, on purpose;
review the diff before committing it.
"""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from pymdownx.slugs import slugify

from atlas_mkdocs.obsidian.extensions import obsidian_extensions
from atlas_mkdocs.obsidian.session import ObsidianSession, PageContext
from atlas_mkdocs.obsidian.vault import VaultIndex

GOLDEN_DIR = Path(__file__).parent
VAULT_DIR = GOLDEN_DIR.parent / "vaults" / "golden"

#: The markdown_extensions of /work/main/mkdocs.yml (the calculator fence aside), so goldens show what
#: the site renders.
SITE_EXTENSIONS = ["toc", "admonition", "attr_list", "md_in_html", "tables", "footnotes", "pymdownx.details",
                   "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.superfences"]
SITE_CONFIGS = {"toc": {"slugify": slugify(case="lower")}}
#: Extensions a vault may add, for the golden cases of a folder: math where pymdownx.arithmatex is on.
CASE_EXTENSIONS = {"math": (["pymdownx.arithmatex"], {"pymdownx.arithmatex": {"generic": True}})}


def pytest_addoption(parser):
    parser.addoption("--update", action="store_true", default=False,
                     help="Rewrite the expected HTML of the golden tests from the current output.")


@pytest.fixture
def update(request) -> bool:
    return request.config.getoption("--update")


def make_session(**options) -> ObsidianSession:
    """Give back a session over the golden vault, rendering as its note Golden.md."""
    session = ObsidianSession(VaultIndex.from_directory(VAULT_DIR), slug=slugify(case="lower"), **options)
    session.sources = {path: (VAULT_DIR / path).read_text(encoding="utf-8") for path in session.index.notes}
    return session


def render(text: str, session: ObsidianSession | None = None, note: str = "Golden.md",
           line_breaks: bool = True, extra: tuple[list, dict] = ([], {})) -> str:
    """Give back the HTML of ``text`` rendered as the note ``note`` of the golden vault (``extra``:
    more extensions and their configs, as a vault's mkdocs.yml may add)."""
    session = session or make_session()
    extensions = SITE_EXTENSIONS + extra[0] + obsidian_extensions(session) + (["nl2br"] if line_breaks else [])
    configs = {**SITE_CONFIGS, **extra[1]}
    session.extensions, session.extension_configs = extensions, configs
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    with session.rendering(PageContext(note=note, page=note, source=text)):
        return md.convert(text)
