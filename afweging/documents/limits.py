"""The bounds within which an uploaded document is read, stated once.

Uploaded documents are untrusted: every bound here is enforced either before
parsing (size, the zip directory) or by the child process that parses (time,
memory, pages, text), and each is named in the message that refuses a file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

#: Bytes one uploaded document may have (20 MB).
MAX_DOCUMENT_BYTES = 20_000_000
#: Pages a PDF may have.
MAX_PAGES = 2_000
#: Bytes of extracted text (UTF-8) one document may yield (5 MB).
MAX_TEXT_BYTES = 5_000_000
#: Wall-clock seconds the child process may take (also its CPU-time limit).
MAX_SECONDS = 30.0
#: Address space of the child process (1 GiB).
MAX_MEMORY_BYTES = 1 << 30
#: DOCX: sum of the declared unpacked sizes of all its parts (200 MB).
MAX_UNPACKED_BYTES = 200_000_000
#: DOCX: unpacked-to-packed ratio allowed for a part larger than RATIO_FLOOR_BYTES.
MAX_UNPACK_RATIO = 100
RATIO_FLOOR_BYTES = 1_000_000
#: DOCX: parts in the zip.
MAX_ZIP_ENTRIES = 10_000
#: PDF: unpacked bytes of one stream (pypdf's own limit, kept at its default).
MAX_STREAM_BYTES = 75_000_000

MB = 1_000_000
MIB = 1 << 20


def megabytes(size: int, unit: int = MB) -> int | float:
    """A size in MB for a message, rounded up to 0.1 (whole numbers as int).

    Rounding up keeps a size just over a limit visibly over it (20.1 MB, not 20 MB).
    """
    tenths = -(-size * 10 // unit)
    return tenths // 10 if tenths % 10 == 0 else tenths / 10


def limit_megabytes(limit: int, unit: int = MB) -> int | float:
    """A limit in MB for a message, exact (whole numbers as int)."""
    return limit // unit if limit % unit == 0 else limit / unit


@dataclass(frozen=True)
class Limits:
    """The bounds of one extraction; tests and benchmarks pass tighter or looser ones."""

    document_bytes: int = MAX_DOCUMENT_BYTES
    pages: int = MAX_PAGES
    text_bytes: int = MAX_TEXT_BYTES
    seconds: float = MAX_SECONDS
    memory_bytes: int = MAX_MEMORY_BYTES
    unpacked_bytes: int = MAX_UNPACKED_BYTES
    unpack_ratio: int = MAX_UNPACK_RATIO
    zip_entries: int = MAX_ZIP_ENTRIES
    stream_bytes: int = MAX_STREAM_BYTES  # 0: pypdf's own stream limits switched off

    def to_json(self) -> dict[str, Any]:
        """The limits as a JSON object, for the child process."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Limits:
        """Limits read back in the child; unknown keys are ignored, missing ones default."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


DEFAULT_LIMITS = Limits()
