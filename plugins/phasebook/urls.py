"""Which URLs Phasebook will make a link of: the allow-list, shared by every layer.

Only http(s) with a host, mailto, or a path on the site itself; never ``javascript:``, ``data:``
or a protocol-relative ``//host`` (nor ``\\host``, which browsers read the same way).
"""

from __future__ import annotations

from urllib.parse import urlsplit

# Bidi controls reorder the text around them ("Trojan source"); shown, never obeyed.
BIDI_CONTROLS = frozenset(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)


def safe_url(value: object) -> str | None:
    """The URL if it is http(s), mailto or relative, else ``None`` (``javascript:`` and friends).

    Relative means a path on this site: no scheme, no host (``//host``, ``\\\\host``).
    """
    url = str(value).strip()
    if not url or any(ord(ch) < 32 or ord(ch) in BIDI_CONTROLS for ch in url):
        return None
    if url.replace("\\", "/").startswith("//"):  # browsers read \\host and /\host as //host
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and parts.netloc:
        return url
    if parts.scheme == "mailto" and parts.path:
        return url
    if not parts.scheme and ":" not in url.split("/", 1)[0]:
        return url
    return None
