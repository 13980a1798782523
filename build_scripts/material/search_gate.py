"""Hold Material's search index back on pages with a calculator until the calculator's runtime is up.

Material builds its search index in a web worker as soon as a page opens: about 275 ms of CPU that, on
a two-core machine, competes with the Pyodide worker the reader is waiting for (a warm reload went from
603 to 523 ms with search turned off). Material lets a site bring its own search worker ("allows the
author to implement custom search functionality, by providing a custom web worker via configuration",
setupSearchWorker in Material's source) and reads its address from the page's `__config`. So a page
with a calculator names a small gate instead (build_scripts/material/assets/search-gate.js). The gate holds
Material's messages until the page says "open" (widgets.js: the runtime is live or has failed, or the
reader turned to search), then loads Material's own worker and hands the messages on. Other pages are
left as Material wrote them.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.structure.files import Files

from atlas_mkdocs.material.fill_in import fill_in
from atlas_mkdocs.material.markers import CALCULATOR

GATE_TEMPLATE = Path(__file__).resolve().parent / "assets" / "search-gate.js"
#: Beside Material's workers/ folder, not in our assets/atlas/: Material's worker loads its stemmers
#: for other languages from "../lunr", relative to the worker's own address, which is then the gate's.
GATE = "assets/javascripts/atlas/search-gate.js"
#: In search-gate.js, Material's worker relative to the gate, which the build writes in.
WORKER_MARKER = "/* atlas:search-worker */ null"

_WORKER = re.compile(r"assets/javascripts/workers/(search\.[0-9a-f]+\.min\.js)")
#: The worker's address in Material's `__config` (written by base.html's tojson), any page depth.
_CONFIG_SEARCH = re.compile(r'("search": ")([^"]*?)assets/javascripts/workers/search\.[0-9a-f]+\.min\.js"')


def gate_script(files: Files) -> str | None:
    """Give back the gate naming Material's search worker among the site's files, or None without one.

    None when the theme brings no such worker (not Material, or a layout this module does not know):
    pages then keep the theme's own address, and search works as the theme made it.
    """
    workers = sorted(match[1] for file in files if (match := _WORKER.fullmatch(file.src_uri)))
    if len(workers) != 1:
        return None
    return fill_in(GATE_TEMPLATE, WORKER_MARKER, f"../workers/{workers[0]}",
                   "the address of Material's search worker")


def gate_page(html: str, content: str) -> str:
    """Give back the page with Material's search worker replaced by the gate, if its content (the note's
    HTML, without the navigation every page carries) has a calculator."""
    if CALCULATOR not in content:
        return html
    return _CONFIG_SEARCH.sub(lambda m: f'{m[1]}{m[2]}{GATE}"', html, count=1)
