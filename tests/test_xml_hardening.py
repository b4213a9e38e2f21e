"""Every XML parse in the package goes through the hardened loader, ``readers/xmlsafe.py``.

A static check of the package's source: outside ``xmlsafe.py`` no module imports an XML
library (``xml.*``, ``lxml``, ``defusedxml``, ``xmlrpc``, expat) or calls a parsing function
by name, so no reader can parse a report with entity expansion or DTD fetching left on.
``xmlsafe.py`` itself takes its parsers from defusedxml, and from ``xml.etree`` only the
``Element`` type and the ``ParseError`` it catches.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

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
LOADER_XML_NAMES = {"Element", "ParseError"}

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


def test_the_loader_parses_only_with_defusedxml() -> None:
    tree = ast.parse(LOADER.read_text(encoding="utf-8"))
    for line, module, names in _imports(tree):
        if module.split(".", maxsplit=1)[0] in ("xml", "lxml", "xmlrpc", "pyexpat"):
            assert module == "xml.etree.ElementTree", f"line {line}: {module}"
            assert set(names) <= LOADER_XML_NAMES, f"line {line}: {names}"
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
