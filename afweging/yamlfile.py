"""Reading YAML safely, keeping the line of every value for error messages.

Only plain data is accepted: mappings, lists, strings, numbers, booleans and
null. Aliases, custom tags, oversized files, non-UTF-8 bytes and documents
that are not a mapping are refused with a problem, never executed or expanded.
A syntax error is reported at its line and column with one of a few plain kinds
(an unclosed quote, a missing colon, a tab, ...), never in PyYAML's own words.
"""

from __future__ import annotations

import errno
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from afweging.errors import InvalidData, Param, Problem, format_path

MAX_BYTES = 1_000_000
MAX_DEPTH = 40

_PLAIN_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"

Path_ = tuple[str | int, ...]


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, so no alias bomb can be expanded later."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise _Refused("alias", self.peek_event().start_mark.line + 1)
        return super().compose_node(parent, index)


# Dates stay text: "2012-09-01" is a label here, not a timestamp.
_StrictLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Document:
    """Plain data read from one YAML file, with the line of each value."""

    name: str
    data: dict[str, Any]
    lines: dict[Path_, int] = field(default_factory=dict)
    checksum: str = ""

    def line(self, path: Path_) -> int | None:
        """The line of the deepest known value on ``path``."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return None

    def problem(self, path: Path_, code: str, **params: Param) -> Problem:
        """A problem located at ``path`` in this document."""
        return Problem(self.name, format_path(path), code, params, self.line(path))


class _Refused(Exception):
    def __init__(self, code: str, line: int | None = None, /, **params: Param) -> None:
        super().__init__(code)
        self.code = code
        self.line = line
        self.params = params


def _refusal(name: str, code: str, at: int | None = None, /, **params: Param) -> InvalidData:
    """A file refused as a whole: one problem, at line ``at`` when known."""
    return InvalidData([Problem(name, "", code, params, at)])


def too_large(name: str, size: int) -> Problem:
    """The problem of a file of ``size`` bytes, over :data:`MAX_BYTES`."""
    return Problem(name, "", "too_large", {"size": size, "limit": MAX_BYTES})


def _tag(node: yaml.Node) -> _Refused:
    return _Refused("custom_tag", _line(node), tag=node.tag.replace("tag:yaml.org,2002:", "!!"))


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _key_text(key: Any) -> Param:
    if isinstance(key, bool) or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    return key if isinstance(key, int | float | str) else str(key)


def _plain(loader: _StrictLoader, node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    if len(path) > MAX_DEPTH:
        raise _Refused("too_deep", _line(node), limit=MAX_DEPTH)
    lines[path] = _line(node)
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP_TAG:
            raise _tag(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused("complex_key", _line(key_node))
            key = _plain(loader, key_node, (*path, "<key>"), {})
            if key in out:
                raise _Refused("duplicate_key", _line(key_node), key=_key_text(key))
            out[key] = _plain(loader, value_node, (*path, key), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ_TAG:
            raise _tag(node)
        return [_plain(loader, item, (*path, i), lines) for i, item in enumerate(node.value)]
    if node.tag not in _PLAIN_SCALAR_TAGS:
        raise _tag(node)
    return loader.construct_object(node, deep=True)


# --- YAML syntax errors in plain words -------------------------------------------------------

#: (words in PyYAML's context, words in its problem) -> our kind; the first match wins.
_SYNTAX_KINDS: tuple[tuple[str, str, str], ...] = (
    ("quoted scalar", "escape", "bad_escape"),
    ("quoted scalar", "", "unclosed_quote"),
    ("flow mapping", "", "unclosed_brace"),
    ("flow sequence", "", "unclosed_bracket"),
    ("", "'\\t' that cannot start any token", "tab"),
    ("", "cannot start any token", "bad_start"),
    ("", "mapping values are not allowed", "unexpected_colon"),
    ("simple key", "could not find expected ':'", "missing_colon"),
    ("", "but found '<scalar>'", "text_after_value"),
    ("", "but found '}'", "unmatched_close"),
    ("", "but found ']'", "unmatched_close"),
    ("block mapping", "expected <block end>", "indentation"),
    ("block collection", "expected <block end>", "indentation"),
    ("", "expected <block end>", "indentation"),
    ("single document", "another document", "several_documents"),
    ("", "but found another document", "several_documents"),
)
#: Kinds whose problem lies where the construct opened, not where PyYAML gave up.
_AT_OPENING = {"unclosed_quote", "unclosed_brace", "unclosed_bracket"}


def _syntax_problem(name: str, exc: yaml.MarkedYAMLError) -> InvalidData:
    """A PyYAML syntax error as a line, a column and one of our kinds."""
    context, problem = str(exc.context or ""), str(exc.problem or "")
    kind = next(
        (k for c, p, k in _SYNTAX_KINDS if c in context and p in problem),
        "other",
    )
    mark = exc.problem_mark or exc.context_mark
    if kind in _AT_OPENING and exc.context_mark is not None:
        mark = exc.context_mark
    if mark is None:
        return _refusal(name, "yaml_syntax", None, line=1, column=1, kind=kind)
    line, column = mark.line + 1, mark.column + 1
    return _refusal(name, "yaml_syntax", line, line=line, column=column, kind=kind)


def _reader_problem(name: str, text: str, exc: yaml.reader.ReaderError) -> InvalidData:
    """A character YAML does not allow (a control character), located in the text."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    column = exc.position - (before.rfind("\n") + 1) + 1
    return _refusal(name, "yaml_syntax", line, line=line, column=column, kind="control_char")


def _found(data: Any) -> str:
    if isinstance(data, list):
        return "list"
    if isinstance(data, bool):
        return "boolean"
    if isinstance(data, int | float):
        return "number"
    return "text"


def parse(raw: bytes, name: str) -> Document:
    """Parse YAML bytes into a :class:`Document`, or raise InvalidData saying why not."""
    if len(raw) > MAX_BYTES:
        raise InvalidData([too_large(name, len(raw))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refusal(name, "not_utf8", byte=exc.start) from None
    loader = None
    try:
        loader = _StrictLoader(text)
        node = loader.get_single_node()
        if node is None:
            raise _Refused("empty")
        lines: dict[Path_, int] = {}
        data = _plain(loader, node, (), lines)
    except yaml.reader.ReaderError as exc:
        raise _reader_problem(name, text, exc) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(name, exc) from None
    except yaml.YAMLError:
        raise _refusal(name, "yaml_syntax", None, line=1, column=1, kind="other") from None
    except _Refused as exc:
        raise _refusal(name, exc.code, exc.line, **exc.params) from None
    except RecursionError:
        raise _refusal(name, "too_deep", None, limit=MAX_DEPTH) from None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        raise _refusal(name, "empty")
    if not isinstance(data, dict):
        raise _refusal(name, "not_mapping", 1, kind=_found(data))
    return Document(name, data, lines, hashlib.sha256(raw).hexdigest())


def display_name(path: Path) -> str:
    """A path as users wrote it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read(path: Path) -> Document:
    """Read and parse a YAML file, checking its size before reading it."""
    name = display_name(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InvalidData([too_large(name, size)])
        raw = path.read_bytes()
    except OSError as exc:
        kind = _READ_ERRORS.get(exc.errno or 0, "other")
        detail = exc.strerror or type(exc).__name__
        raise _refusal(name, "cannot_read", None, kind=kind, detail=detail) from None
    return parse(raw, name)


_READ_ERRORS = {
    errno.ENOENT: "not_found",
    errno.EACCES: "no_access",
    errno.EPERM: "no_access",
    errno.EISDIR: "is_directory",
}
