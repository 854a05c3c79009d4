"""A case as a zip: a content folder ``afweging validate`` and ``afweging rank`` accept
anywhere, and that :func:`import_bundle` restores exactly.

Layout (unzip it and point ``AFWEGING_CONTENT_DIR`` at the folder)::

    criteria/<set id>.yaml        the case's criteria set, as saved
    scenarios/<case id>.yaml      the case, as saved (with its schema header)
    seeds/<sha16>.txt             each document's extracted text, UTF-8
    seeds/parts.yaml              each document's title and the lines its pages start on
    schema/*.schema.json          the JSON Schemas the headers name (for editors)
    afweging-case.json            what import needs besides: each document's hash,
                                  file name, kind, size, date; the version's note

An uploaded zip is hostile until shown otherwise: entries, sizes and compression ratios
are bounded before anything is unpacked, names must be plain relative paths inside the
layout (no ``..``, no absolute path, no link, no encryption), and a document's text must
be the one exported (its hash is in ``afweging-case.json``). Every refusal is an
:class:`~afweging.errors.InvalidData` of ``bundle_*`` problems naming the entry.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import zipfile
from typing import Any, Final

import yaml

from afweging.casebook import limits
from afweging.casebook.checking import file_name
from afweging.casebook.records import StoredDocument, source_name
from afweging.casebook.store import CaseLibrary, document_parts
from afweging.content import schema_dir
from afweging.documents.model import ExtractedDocument
from afweging.errors import InvalidData, Problem
from afweging.sources import PARTS_FILE

MANIFEST: Final = "afweging-case.json"
FORMAT: Final = "afweging-case/1"
#: Entries of an export: every document's text, the two YAML files, parts, schemas,
#: manifest, and a little room.
MAX_ENTRIES: Final = limits.MAX_DOCUMENTS_PER_CASE + 10
#: Bytes one zip may unpack to: every document's text at its limit would be far more
#: than a case's documents together may be, so the case's own bound is used.
MAX_UNPACKED_BYTES: Final = limits.MAX_CASE_BYTES
#: Unpacked size over packed size of one entry; text rarely packs better than 10 to 1.
MAX_RATIO: Final = 100
#: Bytes of the zip itself.
MAX_ZIP_BYTES: Final = MAX_UNPACKED_BYTES
_MAX_SMALL: Final = 1_000_000  # parts.yaml, the manifest, a schema
_ENTRY: Final = re.compile(
    r"^(?:criteria/[a-z0-9][a-z0-9_\-]{0,63}\.yaml|scenarios/[a-z0-9][a-z0-9_\-]{0,63}\.yaml"
    r"|seeds/[0-9a-f]{16}\.txt|seeds/parts\.yaml|schema/[a-z]+\.schema\.json"
    rf"|{re.escape(MANIFEST)})$"
)
_NAME = "export.zip"


def export(library: CaseLibrary, case_id: str, key: str, version: int | None = None) -> bytes:
    """The zip of a version of a case (default: the latest), readable with the view key."""
    saved = (
        library.latest(case_id, key) if version is None else library.version(case_id, version, key)
    )
    documents = library.documents(case_id, key)
    case_file = file_name(saved.case_yaml, "scenarios")
    criteria_file = file_name(saved.criteria_yaml, "criteria")
    parts = {
        d.source_name: [
            {
                "lines": [part.first, part.last],
                "title": {"nl": part.title_nl, "en": part.title_en},
                **({"pages": list(part.pages)} if part.pages else {}),
            }
            for part in document_parts(d)
        ]
        for d in documents
    }
    manifest = {
        "format": FORMAT,
        "case_file": case_file,
        "criteria_file": criteria_file,
        "version": saved.number,
        "data_version": saved.data_version,
        "saved_at": saved.saved_at,
        "note": saved.note,
        "published": saved.published,
        "documents": [_document_entry(d) for d in documents],
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(criteria_file, saved.criteria_yaml.encode("utf-8"))
        zf.writestr(case_file, saved.case_yaml.encode("utf-8"))
        for d in documents:
            zf.writestr(f"seeds/{d.source_name}", d.text.encode("utf-8"))
        header = (
            "# The documents of this case: title and the lines each page starts on, so a\n"
            "# quote is cited 'title, p. 3, regel 12'. Written by Afweging's export.\n"
        )
        body = yaml.safe_dump(parts, allow_unicode=True, sort_keys=True) if parts else ""
        zf.writestr(f"seeds/{PARTS_FILE}", (header + body).encode("utf-8"))
        for path in sorted(schema_dir().glob("*.schema.json")):
            zf.writestr(f"schema/{path.name}", path.read_bytes())
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
    return out.getvalue()


def _document_entry(d: StoredDocument) -> dict[str, Any]:
    return {
        "source_name": d.source_name,
        "sha256": d.sha256,
        "text_sha256": hashlib.sha256(d.text.encode("utf-8")).hexdigest(),
        "filename": d.filename,
        "kind": d.kind,
        "size": d.size,
        "title": d.title,
        "date": d.date,
        "pages": list(d.pages),
    }


# --------------------------------------------------------------------------- import


def _refused(code: str, **params: str | int) -> InvalidData:
    return InvalidData([Problem(_NAME, "", code, params)])


def read_entries(raw: bytes) -> dict[str, bytes]:
    """The entries of an export zip, each checked before it is unpacked (see the module)."""
    if len(raw) > MAX_ZIP_BYTES:
        raise _refused("bundle_too_large", name=_NAME, size=len(raw), limit=MAX_ZIP_BYTES)
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _refused("bundle_not_zip") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise _refused("bundle_too_many_entries", count=len(infos), limit=MAX_ENTRIES)
        seen: set[str] = set()
        total = 0
        for info in infos:
            name = info.filename
            mode = info.external_attr >> 16
            if not _ENTRY.match(name) or name in seen or stat.S_ISLNK(mode) or info.is_dir():
                raise _refused("bundle_unsafe_name", name=name[:120])
            seen.add(name)
            if info.flag_bits & 0x1:
                raise _refused("bundle_encrypted", name=name)
            limit = limits.MAX_TEXT_BYTES if name.startswith("seeds/") else _MAX_SMALL
            if name.endswith(".yaml") and not name.startswith("seeds/"):
                limit = limits.MAX_YAML_BYTES
            if info.file_size > limit:
                raise _refused("bundle_too_large", name=name, size=info.file_size, limit=limit)
            if info.file_size > MAX_RATIO * max(info.compress_size, 1):
                ratio = info.file_size // max(info.compress_size, 1)
                raise _refused("bundle_ratio", name=name, ratio=ratio, limit=MAX_RATIO)
            total += info.file_size
            if total > MAX_UNPACKED_BYTES:
                raise _refused("bundle_too_large", name=_NAME, size=total, limit=MAX_UNPACKED_BYTES)
        entries: dict[str, bytes] = {}
        for info in infos:
            try:
                with zf.open(info) as member:
                    # Never more than the declared size (already bounded) plus one byte.
                    data = member.read(info.file_size + 1)
            except (
                zipfile.BadZipFile,
                zipfile.LargeZipFile,
                NotImplementedError,
                OSError,
                EOFError,
            ):
                raise _refused("bundle_not_zip") from None
            if len(data) != info.file_size:
                raise _refused("bundle_not_zip")
            entries[info.filename] = data
    return entries


def _manifest(entries: dict[str, bytes]) -> dict[str, Any]:
    if MANIFEST not in entries:
        raise _refused("bundle_missing", name=MANIFEST)
    try:
        manifest = json.loads(entries[MANIFEST].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _refused("bundle_manifest", detail="not JSON text") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refused("bundle_manifest", detail=f"its format is not {FORMAT}")
    for field in ("case_file", "criteria_file"):
        if manifest.get(field) not in entries:
            raise _refused("bundle_missing", name=str(manifest.get(field))[:120])
    if not isinstance(manifest.get("documents"), list) or not isinstance(
        manifest.get("note", ""), str
    ):
        raise _refused("bundle_manifest", detail="documents must be a list, note a text")
    return manifest


def _document(item: Any, entries: dict[str, bytes]) -> ExtractedDocument:
    try:
        name = item["source_name"]
        entry = f"seeds/{name}"
        if not isinstance(name, str) or entry not in entries:
            raise _refused("bundle_missing", name=str(entry)[:120])
        raw = entries[entry]
        if hashlib.sha256(raw).hexdigest() != item["text_sha256"]:
            raise _refused("bundle_text_changed", name=entry)
        doc = ExtractedDocument(
            sha256=str(item["sha256"]),
            filename=str(item["filename"]),
            kind=item["kind"],
            size=int(item["size"]),
            title=str(item["title"]),
            date=None if item["date"] is None else str(item["date"]),
            text=raw.decode("utf-8"),
            pages=tuple(int(p) for p in item["pages"]),
        )
    except (KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:
        raise _refused(
            "bundle_manifest", detail=f"a document entry is incomplete ({exc!s:.80})"
        ) from None
    if source_name(doc.sha256) != name:
        raise _refused("bundle_manifest", detail=f"{name} is not named by its hash")
    return doc


def import_bundle(library: CaseLibrary, raw: bytes) -> tuple[str, str, str]:
    """A new case restored from an export: the same case and criteria texts, the same
    document texts, so the same data version. Returns (case id, edit key, view key).

    InvalidData with a ``bundle_*`` problem when the zip is refused; nothing is stored
    then. A document already stored here (same hash) must have the same text.
    """
    entries = read_entries(raw)
    manifest = _manifest(entries)
    documents = [_document(item, entries) for item in manifest["documents"]]
    if len(documents) > limits.MAX_DOCUMENTS_PER_CASE:
        raise _refused(
            "bundle_too_many_entries", count=len(documents), limit=limits.MAX_DOCUMENTS_PER_CASE
        )
    try:
        case_yaml = entries[manifest["case_file"]].decode("utf-8")
        criteria_yaml = entries[manifest["criteria_file"]].decode("utf-8")
    except UnicodeDecodeError:
        raise _refused("bundle_manifest", detail="a YAML file is not UTF-8 text") from None
    try:
        return library.restore(
            case_yaml,
            criteria_yaml,
            documents,
            note=str(manifest.get("note", ""))[: limits.MAX_NOTE_CHARS],
            publish=bool(manifest.get("published", False)),
        )
    except ValueError as exc:  # a document entry the store finds malformed
        raise _refused("bundle_manifest", detail=f"{exc!s:.120}") from None


__all__ = [
    "FORMAT",
    "MANIFEST",
    "MAX_ENTRIES",
    "MAX_RATIO",
    "export",
    "import_bundle",
    "read_entries",
]
