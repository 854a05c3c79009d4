"""Where the content lives: ``criteria/``, ``scenarios/``, ``seeds/`` and ``schema/``.

Three places, first match wins:

1. ``AFWEGING_CONTENT_DIR``: a council's own content, a folder laid out like the
   bundled one (``criteria/``, ``scenarios/``, ``seeds/``; ``afweging init DIR``
   starts one from a copy of the bundled content).
2. The installed package: the wheel carries the bundled content in
   ``afweging/content/``.
3. The source checkout: the folders at the top of the repository.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Final

ENV: Final = "AFWEGING_CONTENT_DIR"
PACKAGED: Final = Path(__file__).resolve().parent / "content"
CHECKOUT: Final = Path(__file__).resolve().parent.parent
#: The folders a content directory holds.
FOLDERS: Final = ("criteria", "scenarios", "seeds")


def bundled_dir() -> Path:
    """The content that ships with Afweging (the wheel's copy, or the checkout's)."""
    return PACKAGED if PACKAGED.is_dir() else CHECKOUT


def content_dir() -> Path:
    """The content in use: ``AFWEGING_CONTENT_DIR`` when set, else the bundled content."""
    configured = os.environ.get(ENV, "").strip()
    if not configured:
        return bundled_dir()
    path = Path(configured).expanduser()
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: RuntimeError on 3.11; named as missing
        return path.absolute()


def criteria_dir() -> Path:
    """The criteria sets in use."""
    return content_dir() / "criteria"


def scenarios_dir() -> Path:
    """The cases (scenario files) in use."""
    return content_dir() / "scenarios"


def seeds_dir() -> Path:
    """The source documents the content's quotes are checked against."""
    return content_dir() / "seeds"


def schema_dir() -> Path:
    """The JSON Schemas for editors: beside the content in use (written by ``afweging schema``)."""
    return content_dir() / "schema"


def missing_folders(root: Path | None = None) -> list[str]:
    """The folders a content directory must have and this one lacks (empty when complete).

    A folder counts as missing when it does not exist; ``criteria/`` and ``scenarios/``
    also when they hold no YAML file, since nothing could be shown then.
    """
    root = root or content_dir()
    missing = []
    for name in FOLDERS:
        folder = root / name
        empty = name != "seeds" and not any(
            p.suffix in {".yaml", ".yml"} for p in folder.rglob("*") if p.is_file()
        )
        if not folder.is_dir() or empty:
            missing.append(name)
    return missing


def resolve(value: Path, folder: str) -> Path:
    """A file named on the command line: a path as given, or a bare name from the content.

    ``sra`` (no folder, no suffix) means ``<content>/scenarios/sra.yaml`` for
    ``folder="scenarios"``, so ``afweging rank --scenarios sra --criteria kern`` works
    from any directory. FileNotFoundError names both places looked at.
    """
    if value.is_file() or value.name != str(value) or value.suffix:
        return value
    candidate = content_dir() / folder / f"{value}.yaml"
    if candidate.is_file():
        return candidate
    there = sorted(p.stem for p in (content_dir() / folder).glob("*.yaml"))
    raise FileNotFoundError(
        f"no file {str(value)!r} here, and no {value}.yaml in {content_dir() / folder} "
        f"(there: {', '.join(there) or 'nothing'})"
    )


def copy_bundled(target: Path) -> list[Path]:
    """Copy the bundled content into ``target`` as a start for a council's own; returns
    the folders made. Never overwrites: FileExistsError when a folder is already there."""
    source = bundled_dir()
    names = (*FOLDERS, "schema")
    present = [target / n for n in names if (target / n).exists()]
    if present:
        raise FileExistsError(f"already there, nothing copied: {', '.join(map(str, present))}")
    target.mkdir(parents=True, exist_ok=True)
    made = []
    for name in names:
        shutil.copytree(source / name, target / name)
        made.append(target / name)
    return made


__all__ = [
    "CHECKOUT",
    "ENV",
    "FOLDERS",
    "PACKAGED",
    "bundled_dir",
    "content_dir",
    "copy_bundled",
    "criteria_dir",
    "missing_folders",
    "resolve",
    "scenarios_dir",
    "schema_dir",
    "seeds_dir",
]
