"""The date a build is "as of", the same way for the plugin and the ``phasebook`` command.

In order, the first that is set wins:

1. the explicit value: the plugin's ``as_of`` option, or the command's ``--as-of``;
2. the ``PHASEBOOK_AS_OF`` environment variable (``YYYY-MM-DD``);
3. the ``SOURCE_DATE_EPOCH`` environment variable (seconds since 1970, the reproducible-builds
   convention), as a date in UTC;
4. today in UTC, never the machine's local date, so two builders in different time zones agree.

Nothing here reads a file's modification time: a checkout's mtimes are the time of the clone.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

from phasebook.errors import PhasebookError

ENV_AS_OF = "PHASEBOOK_AS_OF"
ENV_EPOCH = "SOURCE_DATE_EPOCH"


class AsOfError(PhasebookError, ValueError):
    """A date that cannot be read; the message names where it came from and how to write it."""


def resolve_as_of(
    explicit: str | dt.date | None,
    environ: Mapping[str, str] | None = None,
    *,
    source: str = "as_of",
) -> dt.date:
    """The "as of" date: ``explicit``, else ``PHASEBOOK_AS_OF``, else ``SOURCE_DATE_EPOCH``
    (UTC), else today in UTC. ``source`` names ``explicit`` in error messages."""
    env = os.environ if environ is None else environ
    if isinstance(explicit, dt.datetime):
        return explicit.date()
    if isinstance(explicit, dt.date):
        return explicit
    if explicit:
        return _iso_date(str(explicit), source)
    named = env.get(ENV_AS_OF, "").strip()
    if named:
        return _iso_date(named, f"the environment variable {ENV_AS_OF}")
    epoch = env.get(ENV_EPOCH, "").strip()
    if epoch:
        return epoch_date(epoch)
    return dt.datetime.now(dt.UTC).date()


def epoch_date(text: str) -> dt.date:
    """The UTC date of ``SOURCE_DATE_EPOCH`` (a whole number of seconds since 1970)."""
    if not text.isascii() or not text.isdigit():
        raise AsOfError(
            f"{ENV_EPOCH}={text!r} is not a whole number of seconds since 1970-01-01 "
            f"(for example `git log -1 --format=%ct`)"
        )
    try:
        return dt.datetime.fromtimestamp(int(text), dt.UTC).date()
    except (OverflowError, OSError, ValueError):
        raise AsOfError(f"{ENV_EPOCH}={text!r} is out of range") from None


def _iso_date(text: str, source: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise AsOfError(f"{source} {text!r} is not a date; write it as YYYY-MM-DD") from None


__all__ = ["ENV_AS_OF", "ENV_EPOCH", "AsOfError", "epoch_date", "resolve_as_of"]
