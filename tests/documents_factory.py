"""Real documents made in the tests: PDFs written by hand, DOCX with python-docx, zips.

pypdf cannot lay out text, so :func:`pdf` writes a minimal valid PDF itself
(Helvetica, WinAnsi encoding, one content stream per page, a correct xref).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Sequence

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from pypdf import PdfReader, PdfWriter

#: Uncompressed bytes fed to zlib per chunk when making a bomb.
_CHUNK = 16 << 20


def _literal(text: str) -> bytes:
    """A PDF literal string in WinAnsi (cp1252) encoding."""
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def page_content(lines: Sequence[str]) -> bytes:
    """A content stream that shows each line below the previous one."""
    out = [b"BT /F1 11 Tf 14 TL 72 760 Td"]
    for line in lines:
        out.append(_literal(line) + b" Tj T*")
    out.append(b"ET")
    return b"\n".join(out)


def pdf(
    pages: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    created: str | None = None,
    streams: Sequence[bytes] | None = None,
    flate: Sequence[bool] | None = None,
) -> bytes:
    """A PDF with one page per entry of ``pages`` (its lines of text).

    ``streams`` replaces the content streams (already filtered when ``flate`` says
    so for that page): how the bomb and the text-less page are made.
    """
    contents = list(streams) if streams is not None else [page_content(p) for p in pages]
    compressed = list(flate) if flate is not None else [False] * len(contents)
    count = len(contents)
    # objects: 1 catalog, 2 pages, 3 font, 4 info, then per page: page, content
    objects: list[bytes] = []
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(count))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode())
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    info = b"<< /Producer (afweging tests)"
    if title is not None:
        info += b" /Title " + _literal(title)
    if created is not None:
        info += b" /CreationDate (" + created.encode() + b")"
    objects.append(info + b" >>")
    for i, (content, packed) in enumerate(zip(contents, compressed, strict=True)):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {6 + 2 * i} 0 R "
            "/Resources << /Font << /F1 3 0 R >> >> >>".encode()
        )
        filters = b" /Filter /FlateDecode" if packed else b""
        objects.append(
            b"<< /Length "
            + str(len(content)).encode()
            + filters
            + b" >>\nstream\n"
            + content
            + b"\nendstream"
        )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 4 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def zeros_deflated(size: int) -> bytes:
    """``size`` zero bytes, zlib-compressed in chunks (about a thousandth of the size)."""
    packer = zlib.compressobj(9)
    chunk = bytes(min(size, _CHUNK))
    parts = []
    left = size
    while left > 0:
        parts.append(packer.compress(chunk[: min(left, _CHUNK)]))
        left -= _CHUNK
    parts.append(packer.flush())
    return b"".join(parts)


def bomb_pdf(unpacked: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``unpacked`` zero bytes."""
    return pdf([[]], streams=[zeros_deflated(unpacked)], flate=[True])


def scanned_pdf(pages: int = 2) -> bytes:
    """A PDF whose pages draw (a rectangle, as a scan draws an image) but hold no text."""
    return pdf([[]] * pages, streams=[b"0 0 1 rg 72 72 400 600 re f"] * pages)


def encrypted(data: bytes, password: str = "geheim") -> bytes:
    """The PDF encrypted with a user password (RC4, which pypdf does without extras);
    with ``password=""`` it opens without one (an owner password restricts printing)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(password, owner_password="eigenaar", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def word(
    paragraphs: Sequence[str],
    *,
    table: Sequence[Sequence[str]] = (),
    after: Sequence[str] = (),
    title: str | None = None,
    created: str | None = None,
    link: str | None = None,
    linked_picture: str | None = None,
) -> bytes:
    """A DOCX: paragraphs, then a table (rows of cells), then more paragraphs.

    ``link`` adds an external hyperlink relationship to that address;
    ``linked_picture`` an external picture (one a reader would fetch).
    """
    from datetime import datetime

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    for text in after:
        document.add_paragraph(text)
    if title is not None:
        document.core_properties.title = title
    if created is not None:
        document.core_properties.created = datetime.fromisoformat(created)
    if link is not None:
        document.part.relate_to(link, RT.HYPERLINK, is_external=True)
    if linked_picture is not None:
        document.part.relate_to(linked_picture, RT.IMAGE, is_external=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def with_parts(
    data: bytes, extra: dict[str, bytes], *, replace: dict[str, bytes] | None = None
) -> bytes:
    """The zip ``data`` with parts added (and some replaced)."""
    replace = replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, replace.get(item.filename, source.read(item.filename)))
        for name, body in extra.items():
            target.writestr(name, body)
    return out.getvalue()


def macro_word(data: bytes) -> bytes:
    """The DOCX with a VBA project part and the macro-enabled main content type."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    return with_parts(
        data,
        {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(512)},
        replace={"[Content_Types].xml": types},
    )


def zip_bomb_word(data: bytes, unpacked: int) -> bytes:
    """The DOCX with one extra part of ``unpacked`` zero bytes (packed about 1000:1)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        with target.open("word/media/image1.bin", "w", force_zip64=True) as part:
            chunk = bytes(_CHUNK)
            left = unpacked
            while left > 0:
                part.write(chunk[: min(left, _CHUNK)])
                left -= _CHUNK
    return out.getvalue()
