"""``phasebook assets fetch|status``: the pinned Mermaid and tablesort in the asset cache.

A site built without ``mermaid_js`` or ``tablesort_js`` publishes the copies found here, so
it works with no network; see :mod:`phasebook.assetcache`. Exit status: 0 when every package
asked for is there and checked; 1 (``status``) when one is missing or fails its check; 2 when a
fetch fails or is refused (the message says why and what to do).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from phasebook.assetcache import CACHE_ENV, AssetError, cache_root, fetch, status
from phasebook.vendored import PACKAGES, Package

DIR_HELP = (
    f"the folder to use instead of the cache ({CACHE_ENV}, else $XDG_CACHE_HOME/phasebook, "
    "else ~/.cache/phasebook); it holds PACKAGE/FILE, as vendor/ does"
)


def _chosen(args: argparse.Namespace) -> list[Package] | None:
    known = {package.name: package for package in PACKAGES}
    unknown = [name for name in args.packages if name not in known]
    if unknown:
        print(
            f"error: no pinned package {', '.join(unknown)} (known: {', '.join(known)})",
            file=sys.stderr,
        )
        return None
    return [known[name] for name in args.packages] or list(PACKAGES)


def _root(args: argparse.Namespace) -> Path:
    return Path(args.dir) if args.dir else cache_root()


def _fetch(args: argparse.Namespace) -> int:
    packages = _chosen(args)
    if packages is None:
        return 2
    root = _root(args)
    failed = False
    for package in packages:
        try:
            print(fetch(package, root))
        except AssetError as error:
            print(f"error: {error}", file=sys.stderr)
            failed = True
    return 2 if failed else 0


def _status(args: argparse.Namespace) -> int:
    packages = _chosen(args)
    if packages is None:
        return 2
    root = _root(args)
    found = [status(root, package) for package in packages]
    for item in found:
        print(item)
    return 0 if all(item.verified for item in found) else 1


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``phasebook assets`` and its two subcommands, added to the main parser's commands."""
    names = ", ".join(package.name for package in PACKAGES)
    assets = commands.add_parser(
        "assets",
        help="fetch or check the pinned Mermaid and tablesort that sites publish offline",
        description=__doc__,
    )
    actions = assets.add_subparsers(dest="assets_command", required=True)
    for name, run, text in (
        ("fetch", _fetch, "npm pack the pinned versions, check them and put them in the cache "
                          "(nothing to do for a package already there and checked)"),
        ("status", _status, "say what the cache holds, each file checked against its pin"),
    ):
        action = actions.add_parser(name, help=text, description=text)
        action.add_argument(
            "packages", nargs="*", metavar="PACKAGE", help=f"{names} (default: all)"
        )
        action.add_argument("--dir", help=DIR_HELP)
        action.set_defaults(run=run)


__all__ = ["add_commands"]
