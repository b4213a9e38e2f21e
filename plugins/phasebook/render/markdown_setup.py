"""The markdown extensions generated pages rely on, switched on when a site lacks them."""

from __future__ import annotations

from typing import Any

from pymdownx.superfences import fence_code_format

MERMAID_FENCE = {"name": "mermaid", "class": "mermaid", "format": fence_code_format}
REQUIRED = ("tables", "attr_list", "admonition", "md_in_html", "toc", "pymdownx.tasklist")


def ensure_markdown_extensions(extensions: list[str], configs: dict[str, Any]) -> None:
    """Add the extensions the templates use, and a ``mermaid`` fence to superfences."""
    for name in (*REQUIRED, "pymdownx.superfences"):
        if name not in extensions:
            extensions.append(name)
    configs.setdefault("pymdownx.tasklist", {}).setdefault("custom_checkbox", True)
    fences = configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    if not any(fence.get("name") == "mermaid" for fence in fences):
        fences.append(MERMAID_FENCE)
