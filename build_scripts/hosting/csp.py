"""The Content-Security-Policy of the built site, delivered as a <meta http-equiv> in every page.

GitHub Pages cannot set response headers, so the policy travels in the page itself. A meta policy
cannot carry frame-ancestors, report-uri or sandbox; everything else below applies as a header would.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

#: Written by main.html where the policy goes (first in <head>, before any script); filled in after the build.
PLACEHOLDER = "atlas-content-security-policy"

# An inline element's content ends at the first "</script" ("</style"), as the HTML parser reads it, so
# this is exact for the serializer's output. The attributes are matched only to skip external scripts
# and data blocks, which no policy governs.
_INLINE = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.I | re.S)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
#: <script type> values a browser executes; any other type (application/json, ...) is a data block.
_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


def _attributes(text: str) -> dict[str, str]:
    return {match[1].lower(): next((v for v in match.groups()[1:] if v is not None), "")
            for match in _ATTRIBUTE.finditer(text)}


def source_hash(content: str) -> str:
    """Give back the CSP source expression ('sha256-...') that allows exactly this inline content."""
    digest = hashlib.sha256(content.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def inline_hashes(html: str) -> tuple[set[str], set[str]]:
    """Give back the hashes of a page's executable inline scripts and of its inline <style> elements."""
    scripts: set[str] = set()
    styles: set[str] = set()
    for match in _INLINE.finditer(html):
        tag, attributes, content = match[1].lower(), _attributes(match[2]), match[3]
        if tag == "style":
            styles.add(source_hash(content))
        elif "src" not in attributes and attributes.get("type", "").strip().lower() in _SCRIPT_TYPES:
            scripts.add(source_hash(content))
    return scripts, styles


def content_security_policy(script_hashes: Iterable[str], style_hashes: Iterable[str] = ()) -> str:
    """Give back the site's policy, allowing the given inline scripts and styles and nothing else inline."""
    directives = {
        # Anything not named below: this site only.
        "default-src": ["'self'"],
        # Our files, plus the inline scripts Material writes into every page (each by its hash).
        # 'wasm-unsafe-eval' lets WebAssembly compile (Pyodide) and nothing else: no eval, no new Function.
        # Chromium gives a same-origin worker its own (header) policy, but browsers that apply the page's
        # policy to its workers need it for Pyodide in the calculator worker.
        "script-src": ["'self'", "'wasm-unsafe-eval'", *sorted(script_hashes)],
        "style-src": ["'self'", *sorted(style_hashes)],
        # Material's icons are data: SVGs in its stylesheet; notes may embed their own images.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        # The calculator worker, Material's search worker and the offline service worker.
        "worker-src": ["'self'"],
        # Instant navigation, the search index, the engine and its runtime: all fetched from this site.
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())
