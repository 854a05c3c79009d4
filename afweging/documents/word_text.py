"""Text of a DOCX, paragraphs and tables in order (run inside the sandboxed child).

Before python-docx opens the file, its zip directory is checked for bombs
(declared sizes and ratios) and its parts for macros and external
relationships, reading no part larger than a relationship file can be.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any
from xml.etree import ElementTree

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from afweging.documents.limits import RATIO_FLOOR_BYTES, Limits, limit_megabytes
from afweging.documents.refusal import Refused
from afweging.documents.text import TextBudget, clip_title, iso_date, normalise

#: Bytes a relationship file or [Content_Types].xml may have before it is read.
MAX_PART_READ = 1_000_000
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
#: The end of a hyperlink relationship's type (transitional and strict OOXML alike).
_HYPERLINK = "/hyperlink"


def read_docx(data: bytes, limits: Limits) -> dict[str, Any]:
    """Title, date and text of a DOCX; Refused for bombs, macros, links or a broken file."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive, limits)
        return _read(data, limits)
    except (Refused, MemoryError):
        raise
    except Exception:  # zipfile, lxml and python-docx raise many kinds on broken input
        raise Refused("document_malformed", format="DOCX") from None


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a zip bomb, macros or external relationships, before any XML is parsed."""
    entries = archive.infolist()
    if len(entries) > limits.zip_entries:
        raise Refused("document_too_many_parts", limit=limits.zip_entries)
    if sum(e.file_size for e in entries) > limits.unpacked_bytes:
        raise Refused("document_bomb", limit=limit_megabytes(limits.unpacked_bytes))
    for entry in entries:
        packed = max(entry.compress_size, 1)
        if entry.file_size > RATIO_FLOOR_BYTES and entry.file_size / packed > limits.unpack_ratio:
            raise Refused("document_bomb_ratio", limit=limits.unpack_ratio)
    names = {e.filename.lower(): e for e in entries}
    if any(name.endswith("vbaproject.bin") for name in names):
        raise Refused("document_macros")
    types = names.get("[content_types].xml")
    if types is not None and b"macroenabled" in _bounded(archive, types).lower():
        raise Refused("document_macros")
    for name, entry in sorted(names.items()):
        if name.endswith(".rels"):
            target = _external_target(_bounded(archive, entry))
            if target is not None:
                raise Refused("document_external_links", target=target)


def _bounded(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    """A small part's bytes; a part too large for its role makes the file malformed."""
    if entry.file_size > MAX_PART_READ:
        raise Refused("document_malformed", format="DOCX")
    with archive.open(entry) as part:
        return part.read(MAX_PART_READ + 1)[:MAX_PART_READ]


def _external_target(rels: bytes) -> str | None:
    """The target of the first external relationship a reader would load (a linked
    picture, template, frame or object), if any.

    A hyperlink is only text pointing elsewhere: a policy memo is full of them and
    nothing is fetched when the text is read, so hyperlinks are allowed."""
    if b"<!DOCTYPE" in rels.upper():  # no DTD in a package part: no entity tricks
        raise Refused("document_malformed", format="DOCX")
    root = ElementTree.fromstring(rels)
    for relation in root.iter(_RELATIONSHIPS):
        external = relation.get("TargetMode", "").strip().lower() == "external"
        if external and not relation.get("Type", "").endswith(_HYPERLINK):
            return relation.get("Target", "")[:200]
    return None


def _read(data: bytes, limits: Limits) -> dict[str, Any]:
    document = docx.Document(io.BytesIO(data))
    budget = TextBudget(limits.text_bytes)
    lines: list[str] = []
    for block in document.iter_inner_content():
        line = _paragraph(block) if isinstance(block, Paragraph) else _table(block)
        budget.spend(line)
        lines.append(line)
    text = normalise("\n".join(lines))
    properties = document.core_properties
    return {
        "title": clip_title(properties.title or ""),
        "date": iso_date(properties.created),
        "text": text,
        "pages": [1],
    }


def _paragraph(paragraph: Paragraph) -> str:
    return paragraph.text


def _table(table: Table) -> str:
    """One line per row, cells separated by a tab (a merged cell once)."""
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split("\n")))
        rows.append("\t".join(cells))
    return "\n".join(rows)
