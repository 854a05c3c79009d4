"""Problems found in input, and the few exceptions that carry them.

A :class:`Problem` carries a stable ``code`` and the ``params`` its message needs,
so an interface words it in its own language: the dashboard's texts are the
``problem_<code>`` entries of ``afweging/translations.yaml``. ``message`` is the English
wording for the command line, logs and tests, built from the same parameters by
:data:`MESSAGES`; a ``kind`` parameter is a sub-code whose English words are in
:data:`KINDS` (and ``problem_<code>_<kind>`` in the translation table).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

Param = str | int | float

#: English message per code: ``str.format`` templates over the problem's params.
MESSAGES: dict[str, str] = {
    # reading the file (afweging.yamlfile)
    "too_large": "file is {size:,} bytes; the limit is {limit:,}",
    "not_utf8": "not UTF-8 text (byte {byte} cannot be decoded); save the file as UTF-8",
    "cannot_read": "cannot read the file: {detail}",
    "content_missing": (
        "the content folder has no {folder}/ folder, or it is empty (set AFWEGING_CONTENT_DIR to a "
        "folder with criteria/, scenarios/ and seeds/; afweging init FOLDER makes one)"
    ),
    "empty": "the file is empty; expected a mapping (key: value lines)",
    "yaml_syntax": "not valid YAML at line {line}, column {column}: {kind}",
    "alias": "aliases (*name) are not allowed; write the value out in full",
    "custom_tag": "tag {tag!r} is not allowed: only plain text, numbers, lists and mappings",
    "too_deep": "nested more than {limit} levels deep",
    "too_many_values": "holds more than {limit:,} values; a criteria or scenario file has fewer",
    "number_too_large": (
        "the number {given} is too large: numbers (scale ends, scores, ranges, weights) "
        "must lie between -{limit:,} and {limit:,}"
    ),
    "no_yaml_files": "this folder holds no YAML file (a name ending in .yaml or .yml)",
    "complex_key": "a key must be plain text or a number",
    "duplicate_key": "duplicate key {key!r}",
    "not_mapping": "expected a mapping (key: value lines) at the top, found {kind}",
    # what kind of file (afweging.loading, and the dashboard's upload)
    "not_yaml_file": "not a YAML file: the name must end in .yaml or .yml",
    "unknown_kind": (
        "neither a criteria set (needs 'criteria:') nor a scenario file (needs 'options:')"
    ),
    "wrong_kind": "expected {kind}",
    # shape and types (the pydantic models, afweging.validation.model_problems)
    "missing_field": "required field is missing",
    "missing_text": "required field is missing: the {kind} text",
    "unknown_field": "unknown field {field!r}; allowed fields: {allowed}",
    "bad_id": "must be lower-case letters a-z, digits, '_' or '-', got {given}",
    "not_number": "must be a number, got {given}",
    "not_finite": "must be a finite number, got {given}",
    "negative_weight": "must not be negative, got {given}",
    "empty_text": "must not be empty",
    "text_too_long": "must be at most {max} characters long, got {count}",
    "not_allowed_value": "must be {expected}, got {given}",
    "too_few_items": "must hold at least {min} item(s), got {count}",
    "too_many_items": "must hold at most {max} item(s), got {count}",
    "wrong_type": "must be {kind}, got {given}",
    "invalid_value": "{detail}, got {given}",
    # meaning within a file (afweging.validation)
    "duplicate_id": "id {id!r} is already used at {first}",
    "scale_reversed": "max ({max:g}) must be greater than min ({min:g})",
    "level_off_scale": "level {level} lies outside the scale {min:g}..{max:g}",
    "zero_weights": "the default weights of these criteria are all zero",
    "empty_parent": "a parent needs sub-criteria",
    "parent_with_direction": "a parent criterion has no direction; set it on its sub-criteria",
    "parent_with_scale": "a parent criterion has no scale; set it on its sub-criteria",
    "leaf_without_direction": "required field is missing: a leaf criterion needs a direction",
    "leaf_without_scale": "required field is missing: a leaf criterion needs a scale",
    "range_reversed": "low end {low:g} is above high end {high:g}",
    "range_without_value": "range [{low:g}, {high:g}] does not contain the value {value:g}",
    "unknown_option": "prefers {option!r}, which is not an option of this case ({choices})",
    "quote_not_found": "quote not found in {source}: {quote!r}",
    "unknown_source": "source {source!r} is not a document in seeds/ (present: {present})",
    # against the criteria sets
    "unknown_criterion": "unknown criterion {criterion!r}; criteria that can be scored: {known}",
    "unknown_consideration": "unknown criterion {criterion!r}; criteria in the sets: {known}",
    "missing_score": "option {option!r} has no score for {missing} (criteria set {criteria_set!r})",
    "off_scale": "{value:g} is off the scale {min:g}..{max:g} of criterion {criterion!r}",
    "sets_disagree": "criterion {criterion!r} has another direction or scale in another set",
    # uploaded source documents (afweging.documents)
    "document_unknown_kind": (
        "this kind of file cannot be a source document: the name must end in .pdf, .docx, "
        ".html, .htm or .txt"
    ),
    "document_too_large": "the file is {size:g} MB; a source document may be at most {limit:g} MB",
    "document_kind_mismatch": (
        "the file is not what its name says: its content is {kind}, but its name ends in "
        "{extension}"
    ),
    "document_encrypted": "the PDF is encrypted or protected with a password",
    "document_malformed": "not a valid {format} file, or a damaged one",
    "document_too_slow": "reading the file took longer than {limit:g} seconds",
    "document_too_much_memory": "reading the file needed more than {limit:g} MB of memory",
    "document_bomb": "unpacked, the file would take more than {limit:g} MB (a decompression bomb?)",
    "document_bomb_ratio": "a part unpacks to over {limit:g} times its packed size (a zip bomb?)",
    "document_too_many_parts": "the file holds more than {limit:g} parts",
    "document_too_many_pages": "the file has more than {limit:g} pages",
    "document_too_much_text": "the file yields more than {limit:g} MB of text",
    "document_reader_stopped": "the process reading the file stopped unexpectedly",
    "document_external_links": "the Word document links to something outside itself ({target})",
    "document_macros": "the Word document holds macros",
    "document_no_text": "there is no text to read: {kind}",
    # a case library export (afweging.casebook.bundle)
    "bundle_not_zip": "not a zip file; an exported case is a .zip file",
    "bundle_unsafe_name": (
        "the entry {name!r} is refused: only plain names inside the export are allowed "
        "(no '..', no absolute path, no link, no folder outside criteria/, scenarios/, seeds/)"
    ),
    "bundle_too_many_entries": "holds {count:,} entries; an export holds at most {limit:,}",
    "bundle_too_large": "the entry {name!r} unpacks to {size:,} bytes; the limit is {limit:,}",
    "bundle_ratio": (
        "the entry {name!r} unpacks to {ratio:,} times its packed size; more than {limit} "
        "times is refused (a zip bomb?)"
    ),
    "bundle_encrypted": "the entry {name!r} is encrypted",
    "bundle_missing": "the export has no {name!r}",
    "bundle_manifest": "afweging-case.json does not describe an exported case: {detail}",
    "bundle_text_changed": (
        "the text of {name!r} is not the text that was exported (its hash differs); "
        "a source document's text cannot be edited"
    ),
    "bundle_document_differs": (
        "the document {name!r} is stored here already, with another text; it cannot be replaced"
    ),
}

#: The parameters each code carries, exactly (a Problem with others is refused).
PARAMS: dict[str, tuple[str, ...]] = {
    "too_large": ("size", "limit"),
    "not_utf8": ("byte",),
    "cannot_read": ("kind", "detail"),
    "content_missing": ("folder",),
    "yaml_syntax": ("line", "column", "kind"),
    "custom_tag": ("tag",),
    "too_deep": ("limit",),
    "too_many_values": ("limit",),
    "number_too_large": ("given", "limit"),
    "duplicate_key": ("key",),
    "not_mapping": ("kind",),
    "wrong_kind": ("kind",),
    "missing_field": ("field",),
    "missing_text": ("field", "kind"),
    "unknown_field": ("field", "allowed"),
    "bad_id": ("given",),
    "not_number": ("given",),
    "not_finite": ("given",),
    "negative_weight": ("given",),
    "text_too_long": ("max", "count"),
    "not_allowed_value": ("expected", "choices", "given"),
    "too_few_items": ("min", "count"),
    "too_many_items": ("max", "count"),
    "wrong_type": ("kind", "given"),
    "invalid_value": ("detail", "given"),
    "duplicate_id": ("id", "first"),
    "scale_reversed": ("min", "max"),
    "level_off_scale": ("level", "min", "max"),
    "range_reversed": ("low", "high"),
    "range_without_value": ("low", "high", "value"),
    "unknown_option": ("option", "choices"),
    "quote_not_found": ("source", "quote"),
    "unknown_source": ("source", "present"),
    "unknown_criterion": ("criterion", "known"),
    "unknown_consideration": ("criterion", "known"),
    "missing_score": ("option", "missing", "criteria_set"),
    "off_scale": ("value", "min", "max", "criterion"),
    "sets_disagree": ("criterion",),
    "document_too_large": ("size", "limit"),
    "document_kind_mismatch": ("kind", "extension"),
    "document_malformed": ("format",),
    "document_too_slow": ("limit",),
    "document_too_much_memory": ("limit",),
    "document_bomb": ("limit",),
    "document_bomb_ratio": ("limit",),
    "document_too_many_parts": ("limit",),
    "document_too_many_pages": ("limit",),
    "document_too_much_text": ("limit",),
    "document_external_links": ("target",),
    "document_no_text": ("kind",),
    "bundle_unsafe_name": ("name",),
    "bundle_too_many_entries": ("count", "limit"),
    "bundle_too_large": ("name", "size", "limit"),
    "bundle_ratio": ("name", "ratio", "limit"),
    "bundle_encrypted": ("name",),
    "bundle_missing": ("name",),
    "bundle_manifest": ("detail",),
    "bundle_text_changed": ("name",),
    "bundle_document_differs": ("name",),
}
"""Codes not named here carry no parameters."""

#: English words of each sub-code (``kind``) a code can carry.
KINDS: dict[str, dict[str, str]] = {
    "yaml_syntax": {
        "unclosed_quote": "a quoted text starts here and is never closed",
        "bad_escape": "a backslash in double quotes is followed by a character it cannot escape",
        "unclosed_brace": "the { that starts here is not closed with } (or a comma is missing)",
        "unclosed_bracket": "the [ that starts here is not closed with ] (or a comma is missing)",
        "unexpected_colon": "a colon is not expected here (quote text holding ': ', or indent)",
        "missing_colon": "a key is not followed by a colon",
        "text_after_value": (
            "more text follows a closed quote or bracket on this line "
            "(a ' inside the text? then put the text in double quotes)"
        ),
        "unmatched_close": "a } or ] here has no opening partner",
        "indentation": "this line is not indented like the lines it belongs with",
        "tab": "a tab character; indent with spaces",
        "bad_start": "a value cannot start with this character; put it in quotes",
        "several_documents": "the file holds more than one document (separated by ---)",
        "control_char": "an invisible control character that is not allowed",
        "other": "the structure is broken here",
    },
    "not_mapping": {
        "list": "a list",
        "text": "a single text",
        "number": "a single number",
        "boolean": "a single true/false value",
    },
    "cannot_read": {
        "not_found": "the file does not exist",
        "no_access": "no permission to read it",
        "is_directory": "it is a folder",
        "not_regular": "it is not a regular file but a device, pipe or socket",
        "link_loop": "it is a symbolic link that leads back to itself",
        "other": "the system refused",
    },
    "wrong_kind": {
        "criteria": "a criteria set",
        "scenario": "a scenario file",
    },
    "missing_text": {"nl": "Dutch", "en": "English"},
    "document_kind_mismatch": {
        "pdf": "a PDF",
        "docx": "a Word document (.docx)",
        "zip": "a zip archive that is not a Word document",
        "doc": "an older Word or Office file (.doc)",
        "html": "an HTML page",
        "txt": "plain text",
    },
    "document_no_text": {
        "scanned": "the PDF holds images but no text, probably a scan; run text recognition (OCR)",
        "empty": "the document is empty",
    },
    "wrong_type": {
        "mapping": "a mapping (key: value lines)",
        "list": "a list",
        "text": "text",
        "boolean": "true or false",
        "number": "a number",
    },
}


def english(code: str, params: Mapping[str, Param]) -> str:
    """The English message of a problem: its code's template filled with its params."""
    fields = dict(params)
    if code in KINDS:
        fields["kind"] = KINDS[code][str(params["kind"])]
    return MESSAGES[code].format(**fields)


def format_path(parts: Sequence[str | int]) -> str:
    """Render a location as ``options[2].scores.efficientie.value``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input file, located as precisely as can be known.

    ``code`` (a key of :data:`MESSAGES`) and ``params`` (exactly those of
    :data:`PARAMS`) say what is wrong, for any language; ``message`` is its English
    wording, derived from them.
    """

    file: str
    path: str
    code: str
    params: Mapping[str, Param] = field(default_factory=dict, hash=False)
    line: int | None = None
    message: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        if self.code not in MESSAGES:
            raise ValueError(f"unknown problem code {self.code!r}")
        if set(self.params) != set(PARAMS.get(self.code, ())):
            raise ValueError(f"problem {self.code!r} takes {PARAMS.get(self.code, ())}")
        object.__setattr__(self, "params", dict(self.params))
        object.__setattr__(self, "message", english(self.code, self.params))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


#: A place a problem belongs to (a grid cell, a criterion's position).
K = TypeVar("K")


def by_place(
    problems: Iterable[Problem], place: Callable[[Problem], K | None]
) -> tuple[dict[K, list[Problem]], list[Problem]]:
    """Problems sorted to the places ``place`` finds for them (a cell, a criterion), in
    their order, and those it finds none for."""
    found: dict[K, list[Problem]] = {}
    rest: list[Problem] = []
    for problem in problems:
        where = place(problem)
        if where is None:
            rest.append(problem)
        else:
            found.setdefault(where, []).append(problem)
    return found, rest


class AfwegingError(Exception):
    """Base class for errors the user can act on; never shown as a traceback."""


class InvalidData(AfwegingError):
    """A criteria or scenario file has problems; all of them are listed."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class InvalidWeights(AfwegingError):
    """Weights given by a user cannot be turned into a weighting."""
