"""Notes whose URLs would be one: each gets its own page, or one wins with a warning naming both."""

from __future__ import annotations

import logging
import os

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from tests.obsidian.test_build import site_config
from tests.robustness.corpus import write


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A note beside a folder of its name (with an index), a permalink onto another note's URL."""
    tmp_path = tmp_path_factory.mktemp("collisions")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    vault = write(tmp_path / "vault", {
        "index.md": "# Home\n\n[[Band]] [[Band/index]] [[Member]] [[Perma]] [[Costs]] [[Shared]]\n",
        "Band.md": "# Band note\n",
        "Band/index.md": "# Band folder index\n",
        "Band/Member.md": "# Member\n\n[[Band]]\n",
        "Perma.md": "---\npermalink: Costs\n---\n# Perma\n",
        "Costs.md": "# Costs\n",
        "One.md": "---\npermalink: shared/place\n---\n# One\n",
        "Two.md": "---\ntitle: Two\npermalink: shared/place/\n---\n# Two\n",
        "Shared.md": "# Shared\n",
    })
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Collect(level=logging.INFO)
    logger = logging.getLogger("mkdocs")
    # setLevel, not the attribute: only setLevel clears the answers loggers cache for isEnabledFor, and an
    # earlier build in this process may have cached 'not INFO' for the plugin's logger.
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        build(load_config(str(site_config(tmp_path, vault))))
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return tmp_path / "site", [(r.levelno, r.getMessage()) for r in records if r.getMessage().startswith("Doc file")]


def heading(site, url: str) -> str:
    text = (site / url / "index.html").read_text(encoding="utf-8")
    return text.split("<h1", 1)[1].split(">", 1)[1].split("<", 1)[0]


def test_note_and_folder_of_one_name_get_a_page_each(built):
    """Band.md keeps Band/ (as [[Band]] names it); Band/index.md is at Band/index/; links land on each."""
    site, _ = built
    assert heading(site, "Band") == "Band note" and heading(site, "Band/index") == "Band folder index"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<a class="obsidian-link" href="Band/">Band</a>' in home
    assert '<a class="obsidian-link" href="Band/index/">Band/index</a>' in home
    member = (site / "Band" / "Member" / "index.html").read_text(encoding="utf-8")
    assert '<a class="obsidian-link" href="../">Band</a>' in member


def test_a_permalink_onto_another_notes_url_loses_with_a_warning(built):
    """Costs.md keeps Costs/; Perma.md keeps its own URL, and a second permalink onto the first is refused."""
    site, messages = built
    assert heading(site, "Costs") == "Costs" and heading(site, "Perma") == "Perma"
    assert heading(site, "shared/place") == "One" and heading(site, "Two") == "Two"
    assert messages == [
        (logging.INFO, "Doc files 'Band.md' and 'Band/index.md' would both be published at 'Band/': 'Band.md' "
                       "keeps it, 'Band/index.md' is at 'Band/index/'."),
        (logging.WARNING, "Doc file 'Perma.md', line 2: permalink 'Costs' is the URL of 'Costs.md'; the note keeps "
                          "its own URL 'Perma/'."),
        (logging.WARNING, "Doc file 'Two.md', line 3: permalink 'shared/place/' is the URL of 'One.md'; the note "
                          "keeps its own URL 'Two/'."),
    ]
