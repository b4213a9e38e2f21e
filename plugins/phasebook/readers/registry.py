"""The explicit list of readers (no discovery by naming convention).

Detection takes the first reader whose ``detect`` matches, so each family lists its most
specific readers first, and each ``detect`` checks keys or elements only its format has.
"""

from __future__ import annotations

from phasebook.readers import family_deps, family_operations, family_static, family_tests
from phasebook.readers.base import Reader

READERS: tuple[Reader, ...] = (
    *family_tests.READERS,
    *family_static.READERS,
    *family_deps.READERS,
    *family_operations.READERS,
)
