"""Reading YAML safely, keeping the line of every value for error messages.

Only plain data is accepted: mappings, lists, strings, numbers, booleans and
null. Aliases, custom tags, oversized files, non-UTF-8 bytes and documents
that are not a mapping are refused with a message, never executed or expanded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from afweging.errors import InvalidData, Problem, format_path

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
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                "aliases (*name) are not allowed; write the value out in full",
                event.start_mark,
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

    def problem(self, path: Path_, message: str) -> Problem:
        """A problem located at ``path`` in this document."""
        return Problem(self.name, format_path(path), message, self.line(path))


class _Refused(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _refusal(name: str, message: str, line: int | None = None) -> InvalidData:
    return InvalidData([Problem(name, "", message, line)])


def _too_big(name: str, size: int) -> InvalidData:
    return _refusal(name, f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")


def _tag_message(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    return f"tag {shown!r} is not allowed: only plain text, numbers, lists and mappings"


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _plain(loader: _StrictLoader, node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    if len(path) > MAX_DEPTH:
        raise _Refused(f"nested more than {MAX_DEPTH} levels deep", _line(node))
    lines[path] = _line(node)
    if isinstance(node, yaml.MappingNode):
        if node.tag != _MAP_TAG:
            raise _Refused(_tag_message(node.tag), _line(node))
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused("a key must be plain text or a number", _line(key_node))
            key = _plain(loader, key_node, (*path, "<key>"), {})
            if key in out:
                raise _Refused(f"duplicate key {key!r}", _line(key_node))
            out[key] = _plain(loader, value_node, (*path, key), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ_TAG:
            raise _Refused(_tag_message(node.tag), _line(node))
        return [_plain(loader, item, (*path, i), lines) for i, item in enumerate(node.value)]
    if node.tag not in _PLAIN_SCALAR_TAGS:
        raise _Refused(_tag_message(node.tag), _line(node))
    return loader.construct_object(node, deep=True)


def parse(raw: bytes, name: str) -> Document:
    """Parse YAML bytes into a :class:`Document`, or raise InvalidData saying why not."""
    if len(raw) > MAX_BYTES:
        raise _too_big(name, len(raw))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"not UTF-8 text (byte {exc.start} cannot be decoded); save the file as UTF-8"
        raise _refusal(name, message) from None
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise _Refused("the file is empty; expected a mapping (key: value lines)", None)
        lines: dict[Path_, int] = {}
        data = _plain(loader, node, (), lines)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise _refusal(name, f"not valid YAML: {message}", line) from None
    except yaml.YAMLError as exc:
        raise _refusal(name, f"not valid YAML: {exc}") from None
    except _Refused as exc:
        raise _refusal(name, exc.message, exc.line) from None
    except RecursionError:
        raise _refusal(name, "nested too deeply to read") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single {type(data).__name__} value"
        raise _refusal(name, f"expected a mapping (key: value lines) at the top, found {kind}", 1)
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
            raise _too_big(name, size)
        raw = path.read_bytes()
    except OSError as exc:
        raise _refusal(name, f"cannot read the file: {exc.strerror}") from None
    return parse(raw, name)
