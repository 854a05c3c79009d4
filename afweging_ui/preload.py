"""Which of Streamlit's frontend chunks the dashboard's first page needs, to preload them.

Streamlit's page loads its entry chunk (and the modules it imports, which ``index.html``
preloads); each element's chunk is fetched only when the first element of its kind
arrives over the websocket, and each chunk's own imports only once that chunk has
arrived. So the first page fetched its files in waves, one after another: the sidebar's
widgets' imports at about 0.9 s, the ranking table's Arrow code (0.9 MB, since replaced
by a Markdown table) at about 1.4 s. Preloading the elements' chunks *and everything
they import* from the start puts all of it in the first wave. (A ``modulepreload``
fetches only the module named, not its imports.)
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import streamlit

#: Streamlit's built frontend: ``index.html`` and ``static/js``.
STATIC = Path(streamlit.__file__).parent / "static"

#: The element chunks the first page (Verkennen) draws: the sidebar's widgets, the
#: buttons and the custom component host (the charts, the viewport measure). plotly.js
#: is the app's own file (:mod:`afweging_ui.plotly_view`), preloaded beside these.
#: A browser test checks that the first page needs no other chunk.
FIRST_PAGE_ELEMENTS = (
    "Slider",
    "Selectbox",
    "Multiselect",
    "ButtonGroup",
    "Button",
    "LinkButton",
    "DownloadButton",
    "BidiComponent",
)

#: A static import in a built chunk: ``from"./x.js"`` or ``import"./x.js"`` (not
#: ``import("./x.js")``, which loads later, on demand).
_IMPORT = re.compile(r'(?:\bfrom|\bimport)\s*"\./([\w.\-]+\.js)"')
#: What ``index.html`` loads and preloads itself.
_INDEX_SCRIPT = re.compile(r'(?:src|href)="\./static/js/([\w.\-]+\.js)"')


def _js(name: str) -> Path:
    return STATIC / "static" / "js" / name


def imports(name: str) -> list[str]:
    """The chunks a built chunk imports statically, in the order it names them."""
    return list(dict.fromkeys(_IMPORT.findall(_js(name).read_text(encoding="utf-8"))))


def with_imports(roots: list[str]) -> list[str]:
    """The roots and every chunk they import, directly or not: roots first, each once."""
    seen: dict[str, None] = {}
    todo = list(roots)
    while todo:
        name = todo.pop(0)
        if name in seen or not _js(name).is_file():
            continue
        seen[name] = None
        todo += imports(name)
    return list(seen)


def index_chunks() -> list[str]:
    """What the page's HTML already loads: its entry script, its preloads, their imports."""
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    return with_imports(_INDEX_SCRIPT.findall(html))


def element_chunk(element: str) -> str | None:
    """The file name (with its content hash) of an element's chunk in this Streamlit."""
    found = sorted(p.name for p in (STATIC / "static" / "js").glob(f"{element}.*.js"))
    # "Button.*.js" also matches "Button.esm.*.js"-like names: take the shortest.
    return min(found, key=len) if found else None


@cache
def first_page_chunks() -> tuple[str, ...]:
    """The chunks to preload for the first page: its elements' and their imports, minus
    what the HTML loads already. Names Streamlit does not have (renamed, removed) are left
    out rather than preloaded as 404s."""
    roots = [c for c in (element_chunk(e) for e in FIRST_PAGE_ELEMENTS) if c]
    already = set(index_chunks())
    return tuple(name for name in with_imports(roots) if name not in already)


__all__ = ["FIRST_PAGE_ELEMENTS", "first_page_chunks", "imports", "index_chunks", "with_imports"]
