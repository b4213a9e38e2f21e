"""The plugin's options in ``mkdocs.yml`` (``plugins: - phasebook: …``)."""

from __future__ import annotations

import datetime as dt

from mkdocs.config import base
from mkdocs.config import config_options as c


class PhasebookConfig(base.Config):
    """Options of the ``phasebook`` plugin; each attribute documents one option."""

    data_dir = c.Type(str, default="data")
    """Folder, relative to ``mkdocs.yml``, holding ``programme.yml`` and ``phases/``."""

    templates_dir = c.Optional(c.Type(str))
    """Folder of templates that override the bundled ones file by file (same names)."""

    as_of = c.Optional(c.Type((str, dt.date)))
    """Date (YYYY-MM-DD) the site is "as of". Left out: the `PHASEBOOK_AS_OF` environment
    variable, else the UTC date of `SOURCE_DATE_EPOCH`, else today in UTC."""

    mermaid_js = c.Optional(c.Type(str))
    """Path to a local ``mermaid.min.js`` to publish with the site so diagrams render offline.
    Left out, or the file is absent: the pinned copy ``phasebook assets fetch`` put in the asset
    cache, checked at each build; with none there, the theme loads Mermaid from its CDN (the
    build says so in one line). Either way Mermaid runs with ``securityLevel: strict``."""

    tablesort_js = c.Type(str, default="vendor/tablesort/tablesort.min.js")
    """Path to tablesort's ``tablesort.min.js`` (``scripts/fetch-tablesort`` puts it there) to
    publish with the site: the findings tables then sort by a click on a column header, offline.
    When the file is absent, the asset cache's checked copy (``phasebook assets fetch``); with
    neither, the tables still filter but do not sort. Empty: never published."""

    history_dir = c.Optional(c.Type(str))
    """Folder, relative to ``mkdocs.yml``, of earlier builds' snapshots (each build publishes
    ``phasebook-snapshot.json``; copy it here to keep it). Gives trends and what changed since
    the last handoff."""

    audience = c.Choice(("internal", "public"), default="internal")
    """Who the site is for. ``public`` keeps verdicts, counts, trends, the schedule, risks and
    decisions, and leaves out what the reports say beyond counts (findings one by one, file
    paths, messages, test names, report file names), artifact locations, and every link and
    field the YAML marks internal. Set it per deploy with ``!ENV [PHASEBOOK_AUDIENCE,
    internal]`` to publish both from one repository."""

    nav = c.Type(bool, default=True)
    """When ``mkdocs.yml`` has no ``nav``, build one: programme pages in programme order,
    then the writers' own pages."""
