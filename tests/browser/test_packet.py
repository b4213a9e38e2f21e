"""Phase 1's handoff packet printed to PDF by headless Chromium: a page per section, and no
navigation on paper (``assets/phasebook-print.css``)."""

from __future__ import annotations

import re

import pytest

from .conftest import HOSTS_DRAWN, TIMEOUT_MS, Tab

pytestmark = pytest.mark.browser

SECTIONS = 8


def pdf_pages(pdf: bytes) -> int:
    """The pages of a PDF: with pypdf when installed, else its ``/Type /Page`` objects (Chromium
    writes its page objects uncompressed, and ``/Type /Pages`` is the tree, not a page)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    import io

    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_phase_packet_prints_a_page_per_section(tab: Tab) -> None:
    tab.open("/phase-1/packet/")
    tab.page.wait_for_function(HOSTS_DRAWN, arg=10, timeout=TIMEOUT_MS)
    sections = tab.page.locator(".pb-packet-section")
    assert sections.count() == SECTIONS + 1  # the eight sections, then the gate checklist

    tab.page.emulate_media(media="print")
    for selector in (".md-sidebar--primary", ".md-sidebar--secondary", ".md-header", ".md-footer"):
        assert tab.page.locator(selector).first.evaluate(
            "element => getComputedStyle(element).display"
        ) == "none", selector
    assert sections.first.evaluate("element => getComputedStyle(element).breakBefore") == "page"

    pdf = tab.page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    assert pdf_pages(pdf) >= SECTIONS
    assert not tab.errors
    assert not tab.left_machine


def test_output_handoff_links_to_its_packet(tab: Tab) -> None:
    tab.open("/phase-1/06-output-handoff/")
    link = tab.page.locator("a.pb-packet-link")
    assert link.inner_text() == "Print the handoff packet"
    assert link.get_attribute("href") == "../packet/"
    tab.page.emulate_media(media="print")
    assert link.evaluate("element => getComputedStyle(element).display") == "none"
