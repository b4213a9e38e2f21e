"""The example site built once, served on 127.0.0.1, and Debian's Chromium driving it.

What the browser tests need beyond Python packages (``/usr/bin/chromium`` and the vendored
``mermaid.min.js``) comes from ``scripts/install-test-deps``, which ``make test`` runs. Without
them these tests skip on a developer's machine and fail in CI, where a skip would hide a gap.
"""

from __future__ import annotations

import contextlib
import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Route

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
MERMAID = ROOT / "vendor" / "mermaid" / "mermaid.min.js"
# As in DESIGN.md: Debian's Chromium, headless, with nothing that phones home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Mermaid's first render takes a few seconds on a slow machine: be generous.
TIMEOUT_MS = 30_000
AS_OF = "2026-11-28"
# Material swaps each <pre class="mermaid"> for a <div class="mermaid"> host once drawn. A host
# inside a closed <details> or an inactive tab has no layout (offsetParent null): skip its size.
HOSTS_DRAWN = """(minHeight) => {
    const hosts = [...document.querySelectorAll('div.mermaid')];
    return document.querySelector('pre.mermaid') === null && hosts.length > 0
        && hosts.every(h => h.offsetParent === null
                            || h.getBoundingClientRect().height > minHeight);
}"""


def require(present: bool, what: str) -> None:
    """Skip without ``what`` on a developer's machine; in CI a missing tool is a failure."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: CI must install it (scripts/install-test-deps)")
    pytest.skip(f"{what} is missing: run `make test`, which installs it")


@dataclass
class Site:
    """The built example: its files on disk and the address it is served at."""

    directory: Path
    url: str


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Keep one line per request out of the test output."""


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """``mkdocs build --strict`` of the repository's example, served over HTTP on 127.0.0.1."""
    require(MERMAID.is_file(), str(MERMAID.relative_to(ROOT)))
    directory = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PHASEBOOK_AS_OF": AS_OF}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict",
         "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(directory)],
        capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    with serve(directory) as served:
        yield served


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[Site]:
    """A built site served over HTTP on 127.0.0.1, on any free port, while the block runs."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(directory, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium through Playwright; never a browser that Playwright downloads."""
    require(CHROMIUM.is_file(), str(CHROMIUM))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield instance
        finally:
            instance.close()


@dataclass
class Tab:
    """A page that records every request, the ones it refused, and console errors."""

    page: Page
    site: Site
    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def left_machine(self) -> list[str]:
        """Every request bound off 127.0.0.1, refused or not (there should be none)."""
        return sorted({*self.refused, *(url for url in self.requests if not stays_local(url))})

    def open(self, path: str) -> None:
        """Load ``path`` of the site and wait until the network has gone quiet."""
        self.page.goto(self.site.url + path)
        self.page.wait_for_load_state("networkidle")


def stays_local(url: str) -> bool:
    """Whether a request stays on this machine (data: and blob: URLs never leave the page)."""
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname == "127.0.0.1"


@pytest.fixture
def tab(browser: Browser, site: Site) -> Iterator[Tab]:
    """A fresh browser context per test, so one test's state never leaks into the next."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page, site)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            tab.errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def guard(route: Route) -> None:
        # Anything bound off the machine is refused, so the site must work offline.
        if stays_local(route.request.url):
            route.continue_()
        else:
            tab.refused.append(route.request.url)
            route.abort()

    page.on("request", lambda request: tab.requests.append(request.url))
    page.on("console", on_console)
    page.on("pageerror", lambda error: tab.errors.append(f"page error: {error}"))
    page.route("**/*", guard)
    try:
        yield tab
    finally:
        context.close()
