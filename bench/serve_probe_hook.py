"""A MkDocs hook that logs, after every build, how many reports Phasebook has read so far.

``bench.serve_time`` adds it to both sides of the serve benchmark (it costs nothing without
Phasebook) and counts the reads a YAML edit causes from the difference between two builds.
It looks at the plugin's report cache (``ReportCache.misses``: reports parsed, ``hits``:
reports reused); if the plugin no longer has one, it says so instead of guessing.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority, get_plugin_logger

log = get_plugin_logger("bench-probe")
PREFIX = "bench-probe:"


@event_priority(-2000)
def on_post_build(*, config: MkDocsConfig) -> None:
    plugin = config.plugins.get("phasebook")
    if plugin is None:
        return
    cache = getattr(plugin, "cache", None)
    misses, hits = getattr(cache, "misses", None), getattr(cache, "hits", None)
    if isinstance(misses, int) and isinstance(hits, int):
        log.info("%s reports read=%d reused=%d", PREFIX, misses, hits)
    else:
        log.info("%s reports read=unknown (the plugin has no report cache counters)", PREFIX)
