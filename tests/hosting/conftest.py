"""The bundled vault built for and served under a sub-path (/atlas/), as GitHub Pages serves a project site.

The server strips the prefix, answers a missing file with the site's 404.html and status 404 (as Pages
does), and records every request outside the prefix and every 404, so a test can prove there are none.
"""

from __future__ import annotations

import http.server
import shutil
import socket
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.helpers import ROOT, build_site

PREFIX = "/atlas/"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/hosting/" in str(item.fspath) and "browser" in item.fixturenames:
            item.add_marker(pytest.mark.browser)


class PrefixedSite:
    """A built site served on 127.0.0.1 under PREFIX, in a background thread."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.outside_prefix: list[str] = []
        self.not_found: list[str] = []
        self.served: list[tuple[str, int]] = []  # (path under the prefix, status), in order
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        site = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(directory), **kwargs)

            def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
                pass

            def log_request(self, code="-", size="-"):
                site.served.append((unquote(urlsplit(self.path).path), int(code)))

            def send_head(self):
                path = urlsplit(self.path).path
                if not path.startswith(PREFIX):
                    site.outside_prefix.append(self.path)
                    self.send_error(404, "outside the site's prefix")
                    return None
                self.path = "/" + self.path[len(PREFIX):]
                target = Path(self.translate_path(self.path))
                if target.is_dir() and not path.endswith("/"):
                    return super().send_head()  # the stdlib redirects to the folder's URL
                if target.is_dir():
                    target = target / "index.html"
                if not target.is_file():
                    site.not_found.append(unquote(path))
                    body = (directory / "404.html").read_bytes()
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    return _Body(body)
                return super().send_head()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.origin + PREFIX

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Body:
    """A file-like body for SimpleHTTPRequestHandler.copyfile."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return data

    def close(self) -> None:
        pass


def hosted_vault(target: Path) -> Path:
    """Give back a copy of the bundled vault with a tags index, added only if the vault has none."""
    shutil.copytree(ROOT / "docs", target, ignore=shutil.ignore_patterns(".obsidian"))
    if not any("<!-- material/tags -->" in note.read_text("utf-8") for note in target.rglob("*.md")):
        (target / "Tags.md").write_text("# Tags\n\n<!-- material/tags -->\n", "utf-8")
    return target


@pytest.fixture(scope="session")
def hosted_site(tmp_path_factory):
    """The bundled vault built with site_url http://127.0.0.1:PORT/atlas/ and served there."""
    root = tmp_path_factory.mktemp("hosted")
    site_dir = root / "site"
    server = PrefixedSite(site_dir)
    # Not strict: the vault's own broken links (notes being written) are not what these tests are about.
    result = build_site(hosted_vault(root / "vault"), site_dir, site_url=server.url, strict=False)
    assert result.returncode == 0, result.stderr
    server.start()
    yield server
    server.stop()


class Watch:
    """Records a context's requests (pages, workers, service worker), console errors and policy violations."""

    def __init__(self, context, site: PrefixedSite) -> None:
        self.site = site
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("page", self.watch_page)
        # Recorded in the page itself, before any of its scripts run.
        context.add_init_script("""
            window.__violations = [];
            document.addEventListener("securitypolicyviolation", (event) => window.__violations.push(
              `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`));
        """)

    def watch_page(self, page) -> None:
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))

    def foreign_requests(self) -> list[str]:
        """Give back every request to a host other than the local server."""
        own = f"127.0.0.1:{self.site.port}"
        return [url for url in self.requests
                if not url.startswith(("data:", "blob:")) and urlsplit(url).netloc != own]


@pytest.fixture
def context(browser, hosted_site):
    context = browser.new_context()
    context.watch = Watch(context, hosted_site)
    hosted_site.not_found.clear()
    hosted_site.outside_prefix.clear()
    hosted_site.served.clear()
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()
