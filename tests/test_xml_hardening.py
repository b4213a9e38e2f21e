"""Every XML parse in the package goes through the hardened loader, ``readers/xmlsafe.py``.

A static check of the package's source: outside ``xmlsafe.py`` no module imports an XML
library (``xml.*``, ``lxml``, ``defusedxml``, ``xmlrpc``, expat) or calls a parsing function
by name, so no reader can parse a report with entity expansion or DTD fetching left on.
``xmlsafe.py`` itself takes its parsers from defusedxml and from C ElementTree, which it uses
only for a prolog that can declare no entity: hostile documents never reach it, the external
DTD of a plain one is never loaded, and both parsers word every refusal alike.
"""

from __future__ import annotations

import ast
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from phasebook.readers import ReportError, read_report, xmlsafe
from phasebook.readers.base import HEAD_BYTES

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "phasebook"
LOADER = PACKAGE / "readers" / "xmlsafe.py"
XML_MODULES = ("xml", "lxml", "defusedxml", "xmlrpc", "pyexpat", "expatbuilder")
PARSE_CALLS = {
    "fromstring",
    "fromstringlist",
    "iterparse",
    "XML",
    "XMLParser",
    "XMLPullParser",
    "XMLID",
    "parseString",
    "ParserCreate",
    "make_parser",
}
"""Names that parse XML whatever module they come from."""
PARSE_RECEIVERS = {
    "ElementTree",
    "ET",
    "etree",
    "minidom",
    "pulldom",
    "sax",
    "expat",
    "cElementTree",
}
"""Modules whose plain ``parse`` parses XML (a bare ``parse`` elsewhere, e.g. YAML's, is fine)."""
LOADER_XML_NAMES = {
    "xml.etree.ElementTree": {"Element", "ParseError", "XMLPullParser", "fromstring", "iterparse"},
    "xml.parsers.expat": {"version_info"},
}
"""What the loader takes from the standard library: the C parsers of its fast path, and the
expat version that decides whether the fast path is taken."""

SOURCES = sorted(PACKAGE.rglob("*.py"))


def _is_xml_module(name: str) -> bool:
    return name.split(".", maxsplit=1)[0] in XML_MODULES


def _imports(tree: ast.AST) -> Iterator[tuple[int, str, list[str]]]:
    """Every import: its line, the module, and the names taken from it."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module, [alias.name for alias in node.names]


def _parse_calls(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Calls that parse XML by their name, and dynamic imports of an XML module."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        receiver = func.value if isinstance(func, ast.Attribute) else None
        receiver_name = getattr(receiver, "id", getattr(receiver, "attr", ""))
        if name in PARSE_CALLS or (name == "parse" and receiver_name in PARSE_RECEIVERS):
            yield node.lineno, name
        if name in ("__import__", "import_module") and node.args:
            first = node.args[0]
            module = first.value if isinstance(first, ast.Constant) else None
            if isinstance(module, str) and _is_xml_module(module):
                yield node.lineno, f"{name}({module!r})"


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(PACKAGE.parent)
    found = [
        f"{where}:{line}: imports {module}"
        for line, module, _ in _imports(tree)
        if _is_xml_module(module)
    ]
    found += [f"{where}:{line}: calls {name}" for line, name in _parse_calls(tree)]
    return found


def test_the_package_and_its_loader_are_there() -> None:
    assert LOADER.is_file()
    assert len(SOURCES) > 30


@pytest.mark.parametrize(
    "path", [p for p in SOURCES if p != LOADER], ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_no_module_but_the_loader_touches_an_xml_library(path: Path) -> None:
    assert _problems(path) == []


def test_the_loader_parses_with_defusedxml_or_c_elementtree_only() -> None:
    tree = ast.parse(LOADER.read_text(encoding="utf-8"))
    for line, module, names in _imports(tree):
        if module.split(".", maxsplit=1)[0] in ("xml", "lxml", "xmlrpc", "pyexpat"):
            assert module in LOADER_XML_NAMES, f"line {line}: {module}"
            assert set(names) <= LOADER_XML_NAMES[module], f"line {line}: {names}"
    parsers = {
        name
        for _, module, names in _imports(tree)
        if module.startswith("defusedxml")
        for name in names
        if name in PARSE_CALLS
    }
    assert parsers == {"fromstring", "iterparse"}


@pytest.mark.parametrize(
    "source",
    [
        "import xml.etree.ElementTree as ET\n",
        "from xml.etree import ElementTree\n",
        "from xml.dom import minidom\n",
        "import xml.sax\n",
        "from lxml import etree\n",
        "from defusedxml.ElementTree import fromstring\n",
        "tree = ET.parse(path)\n",
        "root = etree.fromstring(data)\n",
        "doc = minidom.parseString(data)\n",
        "mod = importlib.import_module('xml.dom.minidom')\n",
        "mod = __import__('lxml.etree')\n",
    ],
)
def test_the_check_catches_each_way_round_the_loader(source: str) -> None:
    tree = ast.parse(source)
    imports = [module for _, module, _ in _imports(tree) if _is_xml_module(module)]
    calls = [name for _, name in _parse_calls(tree)]
    assert imports or calls


def test_a_yaml_or_url_parse_is_not_taken_for_xml() -> None:
    tree = ast.parse("yaml.parse(text)\nurllib.parse.urlsplit(u)\nparser.parse(args)\n")
    assert list(_parse_calls(tree)) == []


# The fast path: which documents reach C ElementTree, and what it does with them.

JUNIT = '<testsuite name="s" tests="1"><testcase classname="c" name="&x;"/></testsuite>\n'
HOSTILE = {
    "billion laughs": '<!DOCTYPE t [<!ENTITY a "aaaa"><!ENTITY x "&a;&a;&a;&a;">]>' + JUNIT,
    "external entity": '<!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + JUNIT,
    "parameter entity": '<!DOCTYPE t [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p"> %p;]>' + JUNIT,
    "> in a quoted id": '<!DOCTYPE t SYSTEM "><r>" [<!ENTITY x "boom">]>' + JUNIT,
    "subset after a comment": '<!-- a --><!DOCTYPE t [<!ENTITY x "b">]><!-- c -->' + JUNIT,
    "subset past the head": "<!DOCTYPE t ["
    + "<!-- pad -->" * (HEAD_BYTES // 12)
    + '<!ENTITY x "boom">]>'
    + JUNIT,
}


def _write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "junit.xml"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_prolog_never_reaches_the_c_parser(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, '<?xml version="1.0"?>\n' + HOSTILE[name])
    assert not xmlsafe.plain_prolog(path.read_bytes()[:HEAD_BYTES])
    with pytest.raises(ReportError, match="refused unsafe XML"):
        read_report(path, "junit-xml")


def test_an_entity_declaration_in_an_encoding_other_than_ascii_is_refused(
    tmp_path: Path,
) -> None:
    utf16 = _write(tmp_path, "\ufeff" + HOSTILE["billion laughs"], "utf-16-le")
    assert not xmlsafe.plain_prolog(utf16.read_bytes()[:HEAD_BYTES])
    with pytest.raises(ReportError, match="refused unsafe XML"):
        read_report(utf16, "junit-xml")
    declared = b'<?xml version="1.0" encoding="cp037"?><r/>'
    assert not xmlsafe.plain_prolog(declared)
    assert xmlsafe.plain_prolog(declared.replace(b"cp037", b"UTF-8"))


def test_an_older_expat_never_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    coverage_py = b'<?xml version="1.0" ?>\n<!DOCTYPE coverage SYSTEM "http://x/c.dtd">\n<coverage>'
    assert xmlsafe.plain_prolog(coverage_py)
    monkeypatch.setattr(xmlsafe, "FAST", False)
    assert not xmlsafe.plain_prolog(coverage_py)


FIXTURES = Path(__file__).parent / "fixtures" / "reports"


@pytest.mark.parametrize(
    ("fixture", "format"),
    [
        ("cobertura-xml/coverage-py-doctype.xml", "cobertura-xml"),
        ("junit-xml/pytest-four-outcomes.xml", "junit-xml"),
    ],
)
def test_a_plain_report_is_read_by_the_c_parser(
    monkeypatch: pytest.MonkeyPatch, fixture: str, format: str
) -> None:
    def defused(*args: object, **kwargs: object) -> None:
        raise AssertionError("defusedxml was used for a plain prolog")

    monkeypatch.setattr(xmlsafe, "defused_fromstring", defused)
    monkeypatch.setattr(xmlsafe, "defused_iterparse", defused)
    report = read_report(FIXTURES / fixture, format)
    assert report.records


def test_an_external_dtd_is_never_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "outside.dtd"
    dtd.write_text('<!ENTITY x "SECRET-FROM-THE-DTD">')
    doctype = f'<?xml version="1.0"?>\n<!DOCTYPE t SYSTEM "{dtd.as_uri()}">'
    in_attribute = _write(tmp_path, doctype + JUNIT)
    assert xmlsafe.plain_prolog(in_attribute.read_bytes())
    test = read_report(in_attribute, "junit-xml").tests[0]
    assert test.name == ""  # expat skips the entity its unread DTD may declare
    in_text = _write(tmp_path, doctype + JUNIT.replace("/></testsuite>", ">&x;</testcase>"))
    with pytest.raises(ReportError, match="undefined entity &x;") as caught:
        read_report(in_text, "junit-xml")
    assert "SECRET" not in str(caught.value)


BROKEN = {
    "cut off": '<?xml version="1.0"?>\n<coverage lines-valid="1" lines-covered="1"><packages>',
    "bad token": '<coverage lines-valid="1" lines-covered="1"><packages><</packages></coverage>',
    "mismatched tag": '<coverage lines-valid="1" lines-covered="1"><a></b></coverage>',
    "undefined entity": '<coverage lines-valid="1" lines-covered="1">&nope;</coverage>',
    "junk after the root": '<coverage lines-valid="1" lines-covered="1"/><x/>',
}


@pytest.mark.parametrize("name", BROKEN)
@pytest.mark.parametrize("format", ["cobertura-xml", "junit-xml"])
def test_both_parsers_refuse_broken_xml_in_the_same_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, format: str
) -> None:
    path = _write(tmp_path, BROKEN[name])
    assert xmlsafe.plain_prolog(path.read_bytes())
    with pytest.raises(ReportError) as fast:
        read_report(path, format)
    monkeypatch.setattr(xmlsafe, "FAST", False)
    with pytest.raises(ReportError) as defused:
        read_report(path, format)
    assert str(fast.value) == str(defused.value)


@pytest.mark.parametrize(
    "head",
    [
        b" " * HEAD_BYTES,
        b"<!--" + b"-" * HEAD_BYTES,
        b"<!-- a -->" * (HEAD_BYTES // 10) + b"!",
        b"<!DOCTYPE a " + b'"' * HEAD_BYTES,
        b"<?" + b"?" * HEAD_BYTES,
    ],
    ids=["spaces", "open comment", "comments", "quotes", "question marks"],
)
def test_the_prolog_check_takes_linear_time_on_any_head(head: bytes) -> None:
    started = time.perf_counter()
    assert not xmlsafe.plain_prolog(head)
    assert time.perf_counter() - started < 2  # a backtracking pattern would take ages
