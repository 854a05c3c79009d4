"""The core's HTML templates (Jinja2, in ``afweging/templates/``), autoescaped.

Every value a template shows is escaped, so a label from an uploaded file can never add
markup; what is markup already (the charts) is marked safe in the template itself, at
one place. Set up as the phone pages' templates are (``afweging_ui.workshop.phone``):
an undefined name is an error, not an empty string, and the templates are read once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from jinja2 import Environment, FileSystemLoader, StrictUndefined

#: Package data: the wheel carries the folder with the modules (tests/test_package.py).
TEMPLATES: Final = Path(__file__).parent / "templates"

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    auto_reload=False,  # templates are part of the release: no stat per report
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(name: str, **context: object) -> str:
    """The template ``name`` filled in with ``context``."""
    return _environment.get_template(name).render(**context)


__all__ = ["TEMPLATES", "render"]
