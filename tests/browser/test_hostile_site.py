"""The example, plus hostile text in every kind of field, in headless Chromium: every page.

Reports of several formats carry Markdown links and images, raw HTML with event handlers,
Jinja, unclosed fences and bidi controls in their paths, names and messages; the writers' YAML
carries the same in its Markdown fields and a ``javascript:`` link. On every built page: no
dialog opens, no request leaves 127.0.0.1, the console stays clean, and no text of a payload
became an element (checked on the DOM, not with a regex).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from .conftest import AS_OF, MERMAID, ROOT, TIMEOUT_MS, Site, require, serve, stays_local

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAYLOADS = (
    "[click](javascript:alert(1)) ![x](https://evil.example/a.png) <http://evil.example/>",
    "<img src=https://evil.example/b.png onerror=alert(2)> <script>alert(3)</script>",
    "<details open ontoggle=alert(4)>x</details> <iframe src=https://evil.example/></iframe>",
    "`` \\` `` <svg onload=alert(5)> {{ 7*7 }} {% raw %} <a href='javascript:alert(6)'>a</a>",
    "```\n<style>body{background:url(https://evil.example/c.png)}</style>",
    "\u202etxt.exe\n[d]: javascript:alert(7)\n> [e]: https://evil.example/e.png\n\n![f][e]",
    "<object data=https://evil.example/o></object><embed src=https://evil.example/m>",
    "<form action=https://evil.example/><input autofocus onfocus=alert(8)></form>",
    "</title></textarea></script><script>alert(10)</script><img src=//evil.example/t onerror=alert(11)>",
)
# Fields that hold text a tool copied from the scanned code, a path, a URI or a message.
HOSTILE_KEYS = {
    "filename", "issue_text", "test_name", "code", "more_info", "text", "uri", "markdown",
    "path", "message", "name", "desc", "solution", "param", "evidence", "otherinfo",
    "reference", "Title", "Description", "PkgName", "InstalledVersion", "Target", "check_id",
    "lines", "symbol", "obj", "module", "description", "fix_versions", "id",
}
FIXTURES = ROOT / "tests" / "fixtures" / "reports"
HOSTILE_REPORTS = {
    "bandit.json": FIXTURES / "bandit-json" / "three-severities.json",
    "zap.json": FIXTURES / "zap-json" / "two-sites-with-credentials.json",
    "semgrep.json": FIXTURES / "semgrep-json" / "many.json",
    "sarif.sarif": FIXTURES / "sarif" / "two-runs.sarif",
    "pylint.json": FIXTURES / "pylint-json" / "many.json",
    "pip-audit.json": FIXTURES / "pip-audit-json" / "one-vuln.json",
}


def poison(value: Any, counter: list[int]) -> Any:
    """The same JSON with every string under a hostile key replaced by the next payload."""
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if key in HOSTILE_KEYS and isinstance(item, str):
                counter[0] += 1
                result[key] = PAYLOADS[counter[0] % len(PAYLOADS)]
            else:
                result[key] = poison(item, counter)
        return result
    if isinstance(value, list):
        return [poison(item, counter) for item in value]
    return value


def junit() -> str:
    """A JUnit report whose names and messages are payloads (XML-escaped, as a tool writes)."""
    from xml.sax.saxutils import quoteattr

    cases = "".join(
        f"<testcase classname={quoteattr(text)} name={quoteattr(text + str(n))} time='0.1'>"
        f"<failure message={quoteattr(text)}>{quoteattr(text)[1:-1]}</failure></testcase>"
        for n, text in enumerate(PAYLOADS)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><testsuites><testsuite name='hostile' "
        f"tests='{len(PAYLOADS)}' failures='{len(PAYLOADS)}'>{cases}</testsuite></testsuites>"
    )


def poison_phase(path: Path) -> None:
    """Writers' fields of a phase file full of payloads, and a report list of hostile files."""
    phase = yaml.safe_load(path.read_text(encoding="utf-8"))
    # The title lands in the nav, the page titles and headings, the timeline and the packets.
    phase["title"] = PAYLOADS[-1]
    phase["brief"] = "\n\n".join(PAYLOADS)
    for decision in phase.get("decisions", []):
        decision["rationale"] = PAYLOADS[0] + "\n\n" + PAYLOADS[4]
        decision["context"] = PAYLOADS[5]
    for risk in phase.get("risks", []):
        risk["mitigation"] = PAYLOADS[1]
        risk["title"] = PAYLOADS[3]
    phase.setdefault("objectives", []).extend(PAYLOADS)
    phase.setdefault("reports", []).extend(
        {"path": f"reports/hostile/{name}", "title": PAYLOADS[n % len(PAYLOADS)]}
        for n, name in enumerate([*HOSTILE_REPORTS, "junit.xml"])
    )
    path.write_text(yaml.safe_dump(phase, allow_unicode=True, sort_keys=False), encoding="utf-8")


def make_project(folder: Path) -> Path:
    """A copy of the example with hostile reports and writers' fields; returns mkdocs.yml."""
    for name in ("data", "docs", "hooks"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    (folder / "vendor").symlink_to(ROOT / "vendor")
    reports = folder / "data" / "reports" / "hostile"
    reports.mkdir(parents=True)
    counter = [0]
    for name, source in HOSTILE_REPORTS.items():
        data = json.loads(source.read_text(encoding="utf-8"))
        (reports / name).write_text(json.dumps(poison(data, counter)), encoding="utf-8")
    (reports / "junit.xml").write_text(junit(), encoding="utf-8")
    poison_phase(folder / "data" / "phases" / "phase-3.yml")
    programme_file = folder / "data" / "programme.yml"
    programme = yaml.safe_load(programme_file.read_text(encoding="utf-8"))
    programme["name"] = PAYLOADS[1]
    programme["description"] = "\n\n".join(PAYLOADS)
    programme["links"] = [{"title": PAYLOADS[3], "url": "javascript:alert(9)"}]
    programme_file.write_text(yaml.safe_dump(programme, allow_unicode=True), encoding="utf-8")
    return folder / "mkdocs.yml"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    require(MERMAID.is_file(), str(MERMAID.relative_to(ROOT)))
    project = tmp_path_factory.mktemp("hostile")
    config = make_project(project)
    directory = project / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PHASEBOOK_AS_OF": AS_OF}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(directory)],
        capture_output=True, text=True, env=env, cwd=project, check=False,
    )
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stderr}"
    with serve(directory) as served:
        yield served


# Elements no payload may become, and attributes no element may carry: in the content, and
# in the nav, header and title the theme writes around it. Material itself uses no frame,
# object or embed and no event handler anywhere; its own scripts and forms (palette, search)
# are outside the content, and none of them says ``alert(``.
FOREIGN = """() => {
    const bad = [
        ...document.querySelectorAll('iframe, object, embed, svg[onload], details[ontoggle], '
            + 'article script, article form, article style, article input[autofocus]'),
        ...[...document.querySelectorAll('script')].filter(
            el => el.textContent.includes('alert(')),
    ];
    const handlers = [...document.querySelectorAll('*')].filter(
        el => [...el.attributes].some(a => a.name.startsWith('on')));
    const links = [...document.querySelectorAll('a[href]')].map(el => el.getAttribute('href'))
        .filter(url => /^\\s*(javascript|data|vbscript):/i.test(url));
    const images = [...document.querySelectorAll('img[src]')].map(el => el.getAttribute('src'))
        .filter(url => /^\\s*[a-z]+:|^\\s*[\\/\\\\]{2}/i.test(url));
    return [...bad.map(el => el.outerHTML.slice(0, 80)),
            ...handlers.map(el => el.outerHTML.slice(0, 80)), ...links, ...images];
}"""


@dataclass
class Watched:
    """A browser page with what it did that a payload could have caused."""

    page: Page
    dialogs: list[str] = field(default_factory=list)
    off_site: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_inert(self) -> None:
        assert self.dialogs == []
        assert self.off_site == []
        assert self.errors == []


@contextmanager
def watched_page(browser: Browser) -> Iterator[Watched]:
    """A fresh page that records dialogs, console errors and requests bound off the machine
    (refused), for the length of the ``with`` block."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    watched = Watched(context.new_page())
    page = watched.page

    def guard(route: Any) -> None:
        if stays_local(route.request.url):
            route.continue_()
        else:
            watched.off_site.append(route.request.url)
            route.abort()

    page.on("dialog", lambda dialog: (watched.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console",
            lambda m: m.type == "error" and watched.errors.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda error: watched.errors.append(f"{page.url}: {error}"))
    page.route("**/*", guard)
    try:
        yield watched
    finally:
        context.close()


def test_every_page_is_inert(browser: Browser, hostile_site: Site) -> None:
    """Every page: no dialog, no request off the machine, no console error, no foreign element."""
    pages = sorted(p.relative_to(hostile_site.directory).as_posix()
                   for p in hostile_site.directory.rglob("*.html"))
    assert len(pages) > 100
    foreign: dict[str, list[str]] = {}
    with watched_page(browser) as watched:
        for path in pages:
            # "load" waits for every image and script a payload could have smuggled in.
            watched.page.goto(f"{hostile_site.url}/{path}", wait_until="load")
            if found := watched.page.evaluate(FOREIGN):
                foreign[path] = found
    watched.assert_inert()
    assert foreign == {}


def test_payload_text_is_shown_not_obeyed(hostile_site: Site) -> None:
    """The findings page shows a payload's words as text (nothing lost to the escaping)."""
    page = (hostile_site.directory / "phase-3" / "03-findings" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "javascript&#58;alert(1)" in page or "javascript:alert(1)" in page
    assert "<script>alert(3)</script>" not in page
    assert "&lt;U+202E&gt;" in page or "&#60;U+202E&#62;" in page


def test_search_results_show_payloads_as_text(browser: Browser, hostile_site: Site) -> None:
    """Searching for the payloads' words lists results without running or loading any of it:
    the search index holds the pages' text, and Material renders the results from it."""
    found: dict[str, list[str]] = {}
    shown: dict[str, int] = {}
    with watched_page(browser) as watched:
        page = watched.page
        for word in ("alert", "onerror", "script", "javascript"):
            page.goto(f"{hostile_site.url}/index.html", wait_until="load")
            box = page.locator("input.md-search__input")
            box.click()
            box.press_sequentially(word, delay=20)  # Material searches on key events
            results = page.locator(".md-search-result__item")
            results.first.wait_for(timeout=TIMEOUT_MS)
            page.wait_for_timeout(300)  # the rest of the list, and any image it would load
            shown[word] = results.count()
            if foreign := page.evaluate(FOREIGN):
                found[word] = foreign
    assert min(shown.values()) >= 1, " ".join(f"{w}={n}" for w, n in shown.items())
    watched.assert_inert()
    assert found == {}
