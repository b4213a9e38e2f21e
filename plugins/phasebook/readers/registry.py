"""The explicit list of readers (no discovery by naming convention), and what derives from it.

Detection takes the first reader whose ``detect`` matches, so each family lists its most
specific readers first, and each ``detect`` checks keys or elements only its format has.

Each reader declares its role and the kinds of record it yields (see
:mod:`~phasebook.readers.roles`). Which formats the vulnerability metrics count, and which
never report findings, is derived here from those declarations, never kept by hand elsewhere.
"""

from __future__ import annotations

from phasebook.readers import family_deps, family_operations, family_static, family_tests
from phasebook.readers.base import Reader
from phasebook.readers.roles import SECURITY_ROLES, RecordKind, Role

READERS: tuple[Reader, ...] = (
    *family_tests.READERS,
    *family_static.READERS,
    *family_deps.READERS,
    *family_operations.READERS,
)


def known_formats() -> tuple[str, ...]:
    """Every registered format, in detection order."""
    return tuple(reader.format for reader in READERS)


def reader_for(format: str) -> Reader | None:
    """The reader of ``format``, or ``None`` when no reader has that name."""
    return next((reader for reader in READERS if reader.format == format), None)


def role_of(format: str) -> Role | None:
    """The role of ``format``'s reader (what ``phasebook read`` shows), ``None`` if unknown."""
    reader = reader_for(format)
    return None if reader is None else reader.role


def formats_with_role(*roles: Role) -> tuple[str, ...]:
    """The formats whose readers declare one of ``roles``, in detection order."""
    return tuple(reader.format for reader in READERS if reader.role in roles)


def formats_yielding(kind: RecordKind) -> tuple[str, ...]:
    """The formats whose readers declare that they yield records of ``kind``."""
    return tuple(reader.format for reader in READERS if kind in reader.kinds)


def finding_formats() -> tuple[str, ...]:
    """The formats that report findings: zero findings in one of them is a clean scan."""
    return formats_yielding("finding")


def security_formats() -> tuple[str, ...]:
    """The formats whose findings are vulnerabilities: their role is one of
    :data:`~phasebook.readers.roles.SECURITY_ROLES`."""
    return formats_with_role(*SECURITY_ROLES)
