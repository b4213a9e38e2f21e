"""Finding fingerprints unique within one report, one at a time or for many findings at once.

A fingerprint is :func:`~phasebook.evidence.fingerprint` of the parts that survive a move
(tool, rule, file, package, title), never the line. :meth:`Fingerprints.many` and
:func:`digests` do the per-finding steps as ``map`` over columns, for large reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from hashlib import sha256
from itertools import compress, repeat
from operator import itemgetter, methodcaller

from phasebook.evidence import fingerprint


class Fingerprints:
    """Fingerprints unique within one report: a repeat of the same parts gets an ordinal.

    Two findings of one rule in one file differ only by their line, which a fingerprint must
    not use; numbering repeats in report order keeps them apart and still survives a move.
    """

    def __init__(self, tool: str) -> None:
        self.tool = tool
        self._seen: dict[str, int] = {}
        self._normals: dict[str | None, str] = {None: "", tool: normal(tool)}
        """Rules, paths and packages repeat from finding to finding: :meth:`many` normalises
        each once."""

    def __call__(self, rule: str, path: str | None, package: str | None, title: str) -> str:
        base = fingerprint(self.tool, rule, path, package, title)
        return self._numbered(base, rule, path, package, title)

    def many(
        self,
        rules: Sequence[str],
        paths: Sequence[str | None],
        packages: Sequence[str | None],
        titles: Sequence[str],
    ) -> list[str]:
        """``[self(*parts) for parts in zip(rules, paths, packages, titles)]``, for thousands of
        findings at a time: the per-finding steps run as ``map`` over the columns (so the
        parts must be texts, as their types say)."""
        known = self._normals
        new = set(paths).union(packages, rules).difference(known)  # each once: they repeat
        words = [part for part in new if type(part) is str]
        known.update(zip(words, map(" ".join, map(str.split, words)), strict=True))  # normal()
        for part in new.difference(words):
            known[part] = normal(part)
        named = list(map(known.__getitem__, rules))
        if titles is rules:
            normal_titles: Iterable[str] = named
        else:  # a linter's messages repeat too: each distinct one normalised once
            distinct = list(set(titles))
            normals = dict(zip(distinct, map(" ".join, map(str.split, distinct)), strict=True))
            normal_titles = map(normals.__getitem__, titles)
        texts = list(
            map(
                "\x1f".join,
                zip(
                    repeat(known[self.tool]),
                    named,
                    map(known.__getitem__, paths),
                    map(known.__getitem__, packages),
                    normal_titles,
                ),
            )
        )
        return _numbered_in_order(digests(texts), texts, self._seen)

    def _numbered(
        self, base: str, rule: str, path: str | None, package: str | None, title: str
    ) -> str:
        """``base``, or for its n-th repeat the fingerprint of the parts and ``n``."""
        count = self._seen.get(base, 0)
        self._seen[base] = count + 1
        return base if count == 0 else fingerprint(self.tool, rule, path, package, title, count)


def normal(part: object) -> str:
    """A part of a fingerprint as :func:`~phasebook.evidence.fingerprint` normalises it."""
    return "" if part is None else " ".join(str(part).split())


_HEXDIGEST = methodcaller("hexdigest")
_FIRST_20 = itemgetter(slice(None, 20))


def digests(texts: Iterable[str]) -> list[str]:
    """:func:`~phasebook.evidence.fingerprint` of each text: its parts normalised already
    (:func:`normal`) and joined with ``"\\x1f"``. One ``map`` per step, for many findings."""
    return list(map(_FIRST_20, map(_HEXDIGEST, map(sha256, map(str.encode, texts)))))


def numbered_repeats(prints: list[str]) -> list[str]:
    """Fingerprints made unique within a report: the n-th repeat of one gets ``n`` hashed in.

    Two findings of one rule with one message in one file differ only by their line, which a
    fingerprint must not use; numbering them in report order keeps them apart in history.
    """
    return _numbered_in_order(prints, prints, {})


def _numbered_in_order(bases: list[str], texts: list[str], seen: dict[str, int]) -> list[str]:
    """``bases`` with the n-th repeat of each (counting those ``seen`` before, which are
    counted on) replaced by the digest of its text and ``n``; a loop only over the repeats."""
    counts = Counter(bases)
    if len(counts) == len(bases) and seen.keys().isdisjoint(counts):
        seen.update(dict.fromkeys(counts, 1))  # no repeats: each is its own first
        return bases
    again = {base for base, count in counts.items() if count > 1}.union(seen.keys() & counts)
    seen.update(dict.fromkeys(counts.keys() - again, 1))
    prints = bases.copy()
    repeats: list[int] = []
    numbered: list[str] = []
    for index in compress(range(len(bases)), map(again.__contains__, bases)):
        base = bases[index]
        count = seen.get(base, 0)
        seen[base] = count + 1
        if count:
            repeats.append(index)
            numbered.append(f"{texts[index]}\x1f{count}")
    for index, value in zip(repeats, digests(numbered), strict=True):
        prints[index] = value
    return prints
