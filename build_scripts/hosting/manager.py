"""The hosting side of the build, driven by the Atlas plugin's events.

Every method mirrors the MkDocs event of the same name and returns what that event returns. Together they
make the built site publishable anywhere (a domain root or a sub-path such as GitHub Pages' /repo/),
private by design (a Content-Security-Policy that allows this site only) and readable offline.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from atlas_mkdocs.hosting import csp, offline

log = logging.getLogger("mkdocs.plugins.atlas.hosting")

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
#: The script that registers the service worker; two folders below the root, as it assumes.
REGISTER_SCRIPT = "assets/hosting/offline.js"


def is_serving(config: MkDocsConfig) -> bool:
    """Give back whether this build is `mkdocs serve`'s, which builds into a fresh mkdtemp("mkdocs_") folder.

    A stopgap until the plugin forwards on_startup(command=...): a live preview must not get the service
    worker (it would serve stale pages) nor the policy (livereload injects an inline script per request).
    """
    site_dir = Path(config.site_dir).resolve()
    return site_dir.parent == Path(tempfile.gettempdir()).resolve() and site_dir.name.startswith("mkdocs_")


def is_local(url: str) -> bool:
    """Whether ``url`` is an address of the machine that opens it (localhost, 127.x, 0.0.0.0, ::1)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:  # a name
        return False
    return address.is_loopback or address.is_unspecified


class HostingManager:
    """Makes the built site publishable anywhere, private by design, and readable offline."""

    def __init__(self, options: Any) -> None:
        self.options = options
        #: The offline copy (plugin option `offline`): the service worker and the script registering it.
        self.offline = bool(getattr(options, "offline", True))
        #: The mkdocs command ("build", "serve", "gh-deploy"), when the plugin forwards on_startup.
        self.command: str | None = None
        self.serving = False
        #: Hashes of the inline scripts and styles of the pages seen so far.
        self.scripts: set[str] = set()
        self.styles: set[str] = set()
        #: Each page filled in as it was rendered: the policy it got and the SHA-256 of what was written.
        self.filled: dict[Path, tuple[str, bytes]] = {}

    def on_startup(self, *, command: str, dirty: bool = False) -> None:
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Register the service worker's script, except in a live preview or with `offline: false`."""
        self.serving = self.command == "serve" if self.command else is_serving(config)
        if not config.site_url:
            log.warning("site_url is not set: Material's instant navigation, the sitemap, robots.txt and "
                        "social previews need it. Set SITE_URL, e.g. SITE_URL=https://you.github.io/repo/.")
        elif not self.serving and is_local(config.site_url):
            log.info(f"atlas: site_url is {config.site_url}, an address of this machine: the pages' canonical links, "
                     "sitemap.xml and social previews point there. Build with the address the site will be served "
                     "from (SITE_URL=https://you.github.io/repo/); instant navigation works wherever it is served.")
        if self.offline and not self.serving and all(str(script) != REGISTER_SCRIPT
                                                     for script in config.extra_javascript):
            config.extra_javascript.append(REGISTER_SCRIPT)
        # main.html reads this: a live preview gets no policy, as livereload's script could not run under it.
        config.extra["atlas_csp"] = not self.serving
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the registration script (with the offline copy) and robots.txt (a vault's own robots.txt wins)."""
        generated = [File.generated(config, REGISTER_SCRIPT, abs_src_path=str(ASSETS_DIR / "offline.js"))
                     ] if self.offline else []
        if files.get_file_from_path("robots.txt") is None:
            generated.append(File.generated(config, "robots.txt", content=robots_txt(config.site_url)))
        for file in generated:
            if files.get_file_from_path(file.src_uri) is None:
                files.append(file)
        return files

    def on_page_context(self, context, page, config, nav):
        """Give main.html the page's description and social preview metadata (escaped there)."""
        context["atlas_meta"] = page_metadata(page, config)
        return context

    def on_post_template(self, output: str, template_name: str, config: MkDocsConfig) -> str:
        """Note the inline scripts of the theme's pages (404.html), which MkDocs renders before any note;
        their policy is filled in once every page is known."""
        if config.extra.get("atlas_csp") and csp.PLACEHOLDER in output:
            self._note_hashes(output)
        return output

    def on_post_page(self, output, page, config):
        """Fill in the page's Content-Security-Policy from the inline scripts of every page so far.

        Every page must allow the inline scripts of all pages: Material's instant navigation runs the
        scripts of each page it swaps in under the policy of the page first opened (they differ only in
        their relative root, "..", "../.."). A page that brings a script not seen before makes the pages
        already written stale; on_post_build writes those again, which is rare, as pages of one folder
        depth share their scripts. The atlas plugin calls this last of every plugin's on_post_page.
        """
        if not (config.extra.get("atlas_csp") and csp.PLACEHOLDER in output):
            return output
        self._note_hashes(output)
        policy = csp.content_security_policy(self.scripts, self.styles)
        output = output.replace(csp.PLACEHOLDER, policy, 1)
        self.filled[Path(page.file.abs_dest_path)] = (policy, hashlib.sha256(output.encode("utf-8")).digest())
        return output

    def _note_hashes(self, html: str) -> None:
        scripts, styles = csp.inline_hashes(html)
        self.scripts |= scripts
        self.styles |= styles

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Give every page the site's final policy, then write the service worker over the finished site.

        Pages filled in before the last new inline script are written again, and so are pages no
        on_post_page saw (404.html, from a template); the rest already hold the final policy.
        """
        site_dir = Path(config.site_dir)
        #: The SHA-256 of pages as written, so the service worker's version need not read them again.
        digests: dict[Path, bytes] = {path: digest for path, (_, digest) in self.filled.items()}
        if config.extra.get("atlas_csp"):
            unseen = []
            for path in site_dir.rglob("*.html"):
                if path not in self.filled and csp.PLACEHOLDER in (text := path.read_text("utf-8")):
                    self._note_hashes(text)
                    unseen.append(path)
            policy = csp.content_security_policy(self.scripts, self.styles)
            stale = [(path, old) for path, (old, _) in self.filled.items() if old != policy]
            stale += [(path, csp.PLACEHOLDER) for path in unseen]
            for path, old in stale:
                data = path.read_text("utf-8").replace(old, policy, 1).encode("utf-8")
                path.write_bytes(data)
                digests[path] = hashlib.sha256(data).digest()
            log.debug("Content-Security-Policy in %d pages (%d written again), %d inline scripts allowed",
                      len(self.filled) + len(unseen), len(stale), len(self.scripts))
        if self.offline and not self.serving:
            offline.write_service_worker(site_dir, digests)


def robots_txt(site_url: str | None) -> str:
    """Give back robots.txt: everything may be crawled, and the sitemap is at the site's full address.

    Crawlers read robots.txt only at a domain's root; under a sub-path it is harmless, and the Sitemap
    line (absolute, as the standard requires) still names the right file for a search console.
    """
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines.append(f"Sitemap: {site_url.rstrip('/')}/sitemap.xml")
    return "\n".join(lines) + "\n"


def page_metadata(page, config: MkDocsConfig) -> dict[str, str]:
    """Give back a page's title, description, address and kind as plain text, for meta tags and <title>.

    Frontmatter wins (title, description); then the page's own title and the site's description. Titles
    may carry markup or entities ("Q&amp;A"), so they are reduced to text here and escaped once, in main.html.
    """
    meta = page.meta or {}
    title = Markup(meta.get("title") or page.title or "").striptags() or config.site_name
    description = str(meta.get("description") or config.site_description or "")
    return {
        "title": title,
        # Material's <title>: "Page - Site", or the site's name alone on the home page.
        # A title that is the site's name is not repeated ("Atlas - Atlas").
        "document_title": config.site_name if (page.is_homepage and not meta.get("title"))
                          or title == config.site_name else f"{title} - {config.site_name}",
        "description": description,
        "url": page.canonical_url or "",
        "type": "website" if page.is_homepage else "article",
        "site_name": config.site_name,
    }
