"""``afweging serve``: the dashboard and the phones' pages, as ``streamlit run`` of our app.

The core never imports Streamlit, so the server runs as ``python -m streamlit run
<app.py>`` in place of this process (``exec``: systemd sees one process, signals reach
Streamlit directly). The app script is the installed package's copy
(``afweging_ui/entry/app.py``, with its ``.streamlit/config.toml`` beside it) or, in a
source checkout, ``app.py`` at the top.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from afweging.content import CHECKOUT, content_dir, missing_folders

UI_PACKAGE = "afweging_ui"


def app_script() -> Path:
    """The Streamlit entry script; FileNotFoundError when neither copy is there."""
    spec = importlib.util.find_spec(UI_PACKAGE)
    if spec is not None and spec.origin:
        packaged = Path(spec.origin).parent / "entry" / "app.py"
        if packaged.is_file():
            return packaged
    checkout = CHECKOUT / "app.py"
    if checkout.is_file():
        return checkout
    raise FileNotFoundError(f"the app script is missing (looked in {UI_PACKAGE} and {CHECKOUT})")


def command(port: int, address: str, base_path: str = "", extra: Sequence[str] = ()) -> list[str]:
    """The ``streamlit run`` command line for these settings."""
    argv = [
        sys.executable, "-m", "streamlit", "run", str(app_script()),
        f"--server.port={port}", f"--server.address={address}",
        "--server.headless=true", "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
    ]  # fmt: skip
    if base_path.strip("/"):
        argv.append(f"--server.baseUrlPath={base_path.strip('/')}")
    return [*argv, *extra]


def warnings() -> list[str]:
    """What the operator should know before the server starts (it starts anyway, and the
    page says the same in Dutch): content folders that are missing or empty."""
    missing = missing_folders()
    if not missing:
        return []
    return [
        f"warning: the content folder {content_dir()} lacks {', '.join(missing)}/ "
        "(set AFWEGING_CONTENT_DIR to a folder with criteria/, scenarios/ and seeds/)"
    ]


def run(argv: list[str]) -> None:
    """Replace this process with the server (never returns)."""
    os.execv(argv[0], argv)


__all__ = ["app_script", "command", "run", "warnings"]
