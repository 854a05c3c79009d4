"""What the server sends beside the app's websocket, through the real server: Streamlit's
frontend files and the app's plotly.js bundles from memory, gzip-compressed once
(:mod:`afweging_ui.static_cache`), and the page itself with the app's stylesheet and
preloads (:mod:`afweging_ui.server`)."""

from __future__ import annotations

import gzip
import http.client
from collections.abc import Iterator
from pathlib import Path

import pytest

from afweging_ui.plotly_bundles import FILES, FIRST_PLOTLY, PREFIX
from afweging_ui.preload import first_page_chunks
from afweging_ui.static_cache import FOLDER
from deploy.processes import start_streamlit, stop, streamlit_server, wait_healthy


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    with streamlit_server(tmp_path_factory.mktemp("static")) as (base, _proc):
        host, port = base.removeprefix("http://").split(":")
        yield host, int(port)


def get(
    server: tuple[str, int], path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(*server, timeout=30)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def chunk_path() -> str:
    """The largest of Streamlit's chunks the first page preloads."""
    largest = max(first_page_chunks(), key=lambda name: (FOLDER / "js" / name).stat().st_size)
    return f"/static/js/{largest}"


def on_disk(path: str) -> bytes:
    """The file an address under /static/ serves."""
    if path.startswith(PREFIX):
        return FILES[path.removeprefix(PREFIX)].read_bytes()
    return (FOLDER / path.removeprefix("/static/")).read_bytes()


SCRIPTS = [chunk_path(), *(PREFIX + name for name in FILES)]


@pytest.mark.parametrize("path", SCRIPTS)
def test_a_script_comes_compressed_and_is_the_file_itself(server, path: str) -> None:
    status, head, body = get(server, path, {"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200
    assert head["content-encoding"] == "gzip"
    assert head["content-type"].startswith("text/javascript")
    assert "immutable" in head["cache-control"] and head["vary"] == "accept-encoding"
    assert int(head["content-length"]) == len(body) < len(on_disk(path)) / 2
    assert gzip.decompress(body) == on_disk(path)


@pytest.mark.parametrize("path", SCRIPTS)
def test_a_client_without_gzip_gets_the_file_as_it_is(server, path: str) -> None:
    status, head, body = get(server, path)
    assert status == 200 and "content-encoding" not in head
    assert body == on_disk(path)


def test_a_known_version_is_answered_not_modified_and_head_has_no_body(server) -> None:
    path = PREFIX + FIRST_PLOTLY
    _, head, _ = get(server, path)
    status, _, body = get(server, path, {"If-None-Match": head["etag"]})
    assert (status, body) == (304, b"")
    status, head2, body = get(server, path, {"Accept-Encoding": "gzip"}, method="HEAD")
    assert status == 200 and body == b"" and int(head2["content-length"]) > 0


def test_small_files_and_fonts_are_not_compressed(server) -> None:
    font = next(p for p in (FOLDER / "media").iterdir() if p.suffix == ".woff2")
    status, head, body = get(server, f"/static/media/{font.name}", {"Accept-Encoding": "gzip"})
    assert status == 200 and "content-encoding" not in head and body == font.read_bytes()
    tiny = min((FOLDER / "js").glob("*.js"), key=lambda p: p.stat().st_size)
    status, head, body = get(server, f"/static/js/{tiny.name}", {"Accept-Encoding": "gzip"})
    assert status == 200 and "content-encoding" not in head and body == tiny.read_bytes()


@pytest.mark.parametrize(
    "path",
    [
        "/static/js/../../index.html",
        "/static/js/%2e%2e/%2e%2e/index.html",
        "/static/js/.hidden.js",
        "/static/../../../etc/passwd",
        "/static/js/no-such-file.abc123.js",
        "/static/afweging/plotly-basic-0.0.1.min.js",
        "/static/afweging/../js/" + first_page_chunks()[0],
        "/static/afweging/chart.js",
    ],
)
def test_anything_else_is_left_to_streamlit(server, path: str) -> None:
    status, head, body = get(server, path, {"Accept-Encoding": "gzip"})
    assert b"root:" not in body
    # Streamlit's own answer: refused, or its page (a single-page app's fallback).
    assert status in (400, 404) or body.lstrip().startswith(b"<!")
    assert "immutable" not in head.get("cache-control", "")


def test_the_page_itself_is_not_cached_here(server) -> None:
    status, head, body = get(server, "/", {"Accept-Encoding": "gzip"})
    assert status == 200 and b'<html lang="nl">' in body
    assert "immutable" not in head.get("cache-control", "")
    assert Path(FOLDER.parent / "index.html").is_file()


def test_the_page_carries_the_app_stylesheet_after_its_root(server) -> None:
    """The phone layout's CSS is in the page from the first paint, after the app's root, so
    it comes after the styles the app adds to the head and wins over them on a tie."""
    from afweging_ui.style import PAGE_CSS

    _, _, body = get(server, "/robuustheid?lang=en")
    page = body.decode()
    assert '<html lang="en">' in page
    assert f"<style>{PAGE_CSS}</style>" in page
    assert page.index('<div id="root">') < page.index(PAGE_CSS) < page.index("</body>")


def test_under_a_base_path_the_page_and_its_files_carry_it(tmp_path: Path) -> None:
    """Behind a reverse proxy at /afweging (docs/deploy.md): the page's preloads name the
    base path, and the files there come from memory, compressed: Streamlit's and the
    app's plotly.js."""
    base, proc = start_streamlit(tmp_path, options=["--server.baseUrlPath=afweging"])
    try:
        wait_healthy(f"{base}/afweging/_stcore/health", proc, tmp_path, 90)
        host, port = base.removeprefix("http://").split(":")
        where = (host, int(port))
        _, _, page = get(where, "/afweging/")
        chunk = chunk_path().removeprefix("/static/js/")
        assert f'<link rel="modulepreload" href="/afweging/static/js/{chunk}"' in page.decode()
        plotly = f"/afweging{PREFIX}{FIRST_PLOTLY}"
        assert f'<link rel="preload" as="script" href="{plotly}"' in page.decode()
        for path in (f"/afweging/static/js/{chunk}", plotly):
            status, head, body = get(where, path, {"Accept-Encoding": "gzip"})
            assert status == 200 and head["content-encoding"] == "gzip", path
            assert gzip.decompress(body) == on_disk(path.removeprefix("/afweging")), path
    finally:
        stop(proc)
