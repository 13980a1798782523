"""Playwright against Debian's chromium, on a site built for and served from 127.0.0.1.

The browser is never downloaded: Playwright drives the system `chromium` (installed by .ci/run).
"""

from __future__ import annotations

import functools
import http.server
import socket
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers import ROOT, build_site

from tests.conftest import CHROMIUM_ARGS  # noqa: F401 - re-exported for scripts that import it here


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    """Says nothing when a browser hangs up mid-response (a closed page, an aborted fetch)."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


class LocalSite:
    """A built site served on 127.0.0.1 in a background thread."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
        handler = functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = _QuietServer(("127.0.0.1", self.port), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    """The bundled vault, built with site_url set to the port it is then served on."""
    site_dir = tmp_path_factory.mktemp("browser-site")
    server = LocalSite(site_dir)
    result = build_site(ROOT / "docs", site_dir, site_url=server.url)
    assert result.returncode == 0, result.stderr
    server.start()
    yield server
    server.stop()


class PageWatch:
    """Records every request a page makes and every console error it logs."""

    def __init__(self, page, site: LocalSite) -> None:
        self.site = site
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        # Workers' requests and console go through the context; count those too.
        page.context.on("request", lambda request: self.requests.append(request.url))

    def foreign_requests(self) -> list[str]:
        """Give back every request to a host other than the local server."""
        own = f"127.0.0.1:{self.site.port}"
        return [url for url in self.requests
                if not url.startswith(("data:", "blob:")) and urlsplit(url).netloc != own]


@pytest.fixture
def context(browser):
    # The offline service worker (tests/hosting covers it) would precache the whole site, 16 MB,
    # in every context; these tests are about the calculators.
    context = browser.new_context(service_workers="block")
    yield context
    context.close()


@pytest.fixture
def page(context, served_site):
    page = context.new_page()
    page.watch = PageWatch(page, served_site)
    yield page
    page.close()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    """Where the browser tests save screenshots (looked at by people, not compared)."""
    path = ROOT / "test-results" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
