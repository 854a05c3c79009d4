"""How much a case may hold, stated once: the store refuses anything beyond these.

The bounds keep one case (or one hostile client with an edit link) from filling the
database, and keep every stored text checkable like the content's own files.
"""

from __future__ import annotations

from typing import Final

from afweging.yamlfile import MAX_BYTES

#: Documents linked to one case.
MAX_DOCUMENTS_PER_CASE: Final = 50
#: Uploaded bytes of all documents of one case together (200 MB).
MAX_CASE_BYTES: Final = 200_000_000
#: Uploaded bytes of one document (20 MB, the upload limit of the document reader).
MAX_DOCUMENT_BYTES: Final = 20_000_000
#: Extracted text of one document, UTF-8 (5 MB, the document reader's own bound).
MAX_TEXT_BYTES: Final = 5_000_000
#: A case's YAML text and its criteria set's, each, UTF-8: the 1 MB of any content file.
MAX_YAML_BYTES: Final = MAX_BYTES
#: Saved versions of one case (an autosave every minute for a week stays well under).
MAX_VERSIONS_PER_CASE: Final = 20_000
#: Characters of a version's note, a document's title and its file name.
MAX_NOTE_CHARS: Final = 2_000
MAX_TITLE_CHARS: Final = 500
MAX_FILENAME_CHARS: Final = 255
#: Pages of one document.
MAX_PAGES: Final = 10_000

__all__ = [
    "MAX_CASE_BYTES",
    "MAX_DOCUMENTS_PER_CASE",
    "MAX_DOCUMENT_BYTES",
    "MAX_FILENAME_CHARS",
    "MAX_NOTE_CHARS",
    "MAX_PAGES",
    "MAX_TEXT_BYTES",
    "MAX_TITLE_CHARS",
    "MAX_VERSIONS_PER_CASE",
    "MAX_YAML_BYTES",
]
