"""Reading YAML safely, keeping the line of every value for error messages.

Only plain data is accepted: mappings, lists, strings, numbers, booleans and
null. Aliases, custom tags, oversized files, non-UTF-8 bytes and documents
that are not a mapping are refused with a problem, never executed or expanded.
Only regular files are read (never a device, a pipe or a socket), and never more
than :data:`MAX_BYTES` plus one byte; a file of more than :data:`MAX_VALUES`
values, or with a number beyond :data:`MAX_NUMBER` in size, is refused too, so
reading any file takes bounded time and memory.
A syntax error is reported at its line and column with one of a few plain kinds
(an unclosed quote, a missing colon, a tab, ...), never in PyYAML's own words.
"""

from __future__ import annotations

import errno
import hashlib
import math
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from afweging.errors import InvalidData, Param, Problem, format_path

MAX_BYTES = 1_000_000
MAX_DEPTH = 40
#: The most values (mappings, lists and scalars) a file may hold. The largest bundled
#: file holds about 4,300; the limit keeps parsing any 1 MB file to about a second.
MAX_VALUES = 50_000
#: The largest number, in size, a file may hold: every sum and difference of such
#: numbers (scale ends, scores, weights) stays finite and exact to the unit.
MAX_NUMBER = 10**15
#: A number written with more characters than this is refused before it is converted
#: (converting a long one, such as ``1:2:3:...`` in base 60, takes quadratic time).
_MAX_NUMBER_CHARS = 64

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
    """SafeLoader that refuses aliases, so no alias bomb can be expanded later, and
    stops at :data:`MAX_VALUES` nodes, so a huge flat file cannot take minutes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise _Refused("alias", self.peek_event().start_mark.line + 1)
        self.nodes += 1
        if self.nodes > MAX_VALUES:
            raise _Refused(
                "too_many_values", self.peek_event().start_mark.line + 1, limit=MAX_VALUES
            )
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
    if node.tag in _NUMBER_TAGS:
        return _number(loader, node)
    return loader.construct_object(node, deep=True)


_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}


def _number(loader: _StrictLoader, node: yaml.Node) -> Any:
    """A number within :data:`MAX_NUMBER`; infinity and nan pass (the models refuse them
    with their own words), anything larger is refused before any float is made of it."""
    text = str(node.value)
    if len(text) > _MAX_NUMBER_CHARS:
        raise _too_big(node, _shortened(text))
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, OverflowError):
        raise _too_big(node, _shortened(text)) from None
    if isinstance(value, int) and abs(value) > MAX_NUMBER:
        raise _too_big(node, value if abs(value) < 10**30 else _shortened(text))
    if isinstance(value, float) and math.isfinite(value) and abs(value) > MAX_NUMBER:
        raise _too_big(node, value)
    return value


def _too_big(node: yaml.Node, given: Param) -> _Refused:
    return _Refused("number_too_large", _line(node), given=given, limit=MAX_NUMBER)


def _shortened(text: str) -> str:
    """A long number as its first and last digits, never 400 digits in a message."""
    return text if len(text) <= 24 else f"{text[:12]}…{text[-4:]}"


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
    """A path as users wrote it: relative to the working folder when inside it.

    Symbolic links are not followed, so a link is named, not what it points to (and a
    link that loops, which ``resolve()`` meets with RuntimeError on 3.11, is named too).
    """
    try:
        here = Path(os.path.abspath(Path.cwd()))
        return Path(os.path.abspath(path)).relative_to(here).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def read(path: Path) -> Document:
    """Read and parse a YAML file: a regular file only, and at most MAX_BYTES of it."""
    name = display_name(path)
    return parse(read_limited(path, name, MAX_BYTES), name)


def read_limited(path: Path, name: str, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or InvalidData saying why not.

    A device, pipe or socket is refused before it is opened (``/dev/zero`` never ends,
    a pipe blocks forever); the file is opened without blocking and checked again, and
    at most ``limit + 1`` bytes are read, so a file that grows meanwhile is refused too.
    """
    try:
        _check_kind(os.stat(path), name)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        try:
            info = os.fstat(fd)
            _check_kind(info, name)
            if info.st_size > limit:
                raise InvalidData(
                    [Problem(name, "", "too_large", {"size": info.st_size, "limit": limit})]
                )
            raw = _read_at_most(fd, limit + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        kind = _READ_ERRORS.get(exc.errno or 0, "other")
        detail = exc.strerror or type(exc).__name__
        raise _refusal(name, "cannot_read", None, kind=kind, detail=detail) from None
    except ValueError:  # a NUL byte in the name: no file can have it
        raise _refusal(name, "cannot_read", None, kind="not_found", detail="no such file") from None
    if len(raw) > limit:
        raise InvalidData(
            [Problem(name, "", "too_large", {"size": max(info.st_size, len(raw)), "limit": limit})]
        )
    return raw


def _check_kind(info: os.stat_result, name: str) -> None:
    """Refuse anything but a regular file: a folder, a device, a pipe, a socket."""
    if stat.S_ISDIR(info.st_mode):
        raise _refusal(name, "cannot_read", None, kind="is_directory", detail="Is a directory")
    if not stat.S_ISREG(info.st_mode):
        detail = "not a regular file but a device, pipe or socket"
        raise _refusal(name, "cannot_read", None, kind="not_regular", detail=detail)


def _read_at_most(fd: int, count: int) -> bytes:
    """Up to ``count`` bytes from ``fd``: fewer only at the end of the file."""
    parts: list[bytes] = []
    left = count
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


_READ_ERRORS = {
    errno.ENOENT: "not_found",
    errno.ENOTDIR: "not_found",
    errno.EACCES: "no_access",
    errno.EPERM: "no_access",
    errno.EISDIR: "is_directory",
    errno.ELOOP: "link_loop",
    errno.ENXIO: "not_regular",
    errno.EAGAIN: "not_regular",
}
