"""Where the content comes from: the bundled folders, or a council's own (AFWEGING_CONTENT_DIR).

Run through the command line as an operator runs it, from a directory that is not the
checkout, so nothing is found by accident relative to the working directory.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from afweging import content, serve

from .cli_run import Run, run_cli

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """``afweging ARGS`` from ``cwd`` with ``env`` and without any content setting of ours
    (in-process, tests/cli_run.py)."""
    environment = {k: v for k, v in os.environ.items() if k != content.ENV}
    environment.update(env or {})
    return run_cli(*args, cwd=cwd, env=environment)


def test_cases_and_sets_are_named_from_any_directory(tmp_path: Path) -> None:
    by_name = cli(
        "rank", "--scenarios", "sra", "--criteria", "kern", "--format", "json", cwd=tmp_path
    )
    assert by_name.returncode == 0, by_name.stderr
    by_path = cli(
        "rank",
        "--scenarios", str(ROOT / "scenarios" / "sra.yaml"),
        "--criteria", str(ROOT / "criteria" / "kern.yaml"),
        "--format", "json",
        cwd=tmp_path,
    )  # fmt: skip
    assert json.loads(by_name.stdout)["ranking"] == json.loads(by_path.stdout)["ranking"]


def test_an_unknown_name_says_where_it_was_looked_for(tmp_path: Path) -> None:
    done = cli("rank", "--scenarios", "sar", "--criteria", "kern", cwd=tmp_path)
    assert done.returncode == 1
    assert "sar.yaml" in done.stderr and "there: g32, sra" in done.stderr
    assert "Traceback" not in done.stderr


def test_validate_without_paths_checks_the_content_in_use(tmp_path: Path) -> None:
    done = cli("validate", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "2 case(s)" in done.stdout


def test_a_content_folder_without_criteria_is_named(tmp_path: Path) -> None:
    own = tmp_path / "raad"
    (own / "scenarios").mkdir(parents=True)
    done = cli("validate", cwd=tmp_path, env={content.ENV: str(own)})
    assert done.returncode == 1
    assert str(own) in done.stderr
    assert "criteria/" in done.stderr and "seeds/" in done.stderr
    assert "Traceback" not in done.stderr


def test_init_copies_the_bundled_content_and_never_overwrites(tmp_path: Path) -> None:
    own = tmp_path / "raad"
    done = cli("init", str(own), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (own / "criteria" / "kern.yaml").read_bytes() == (
        ROOT / "criteria" / "kern.yaml"
    ).read_bytes()
    assert (own / "seeds" / "parts.yaml").is_file()
    # The copy is a working content folder: change a label, and the council's data is used.
    case = own / "scenarios" / "sra.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace("id: sra\n", "id: raad\n", 1), encoding="utf-8"
    )
    case.rename(own / "scenarios" / "raad.yaml")
    ranked = cli("rank", "--scenarios", "raad", "--criteria", "kern", "--format", "json",
                 cwd=tmp_path, env={content.ENV: str(own)})  # fmt: skip
    assert ranked.returncode == 0, ranked.stderr
    assert json.loads(ranked.stdout)["case"] == "raad"
    marker = own / "criteria" / "kern.yaml"
    marker.write_text("# edited\n" + marker.read_text(encoding="utf-8"), encoding="utf-8")
    again = cli("init", str(own), cwd=tmp_path)
    assert again.returncode == 1 and "already there" in again.stderr
    assert marker.read_text(encoding="utf-8").startswith("# edited")


def test_the_content_setting_is_read_when_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(content.ENV, str(tmp_path))
    assert content.criteria_dir() == tmp_path.resolve() / "criteria"
    assert content.missing_folders() == ["criteria", "scenarios", "seeds"]
    assert serve.warnings() and str(tmp_path.resolve()) in serve.warnings()[0]
    monkeypatch.delenv(content.ENV)
    assert content.content_dir() == content.bundled_dir()
    assert content.missing_folders() == [] and serve.warnings() == []


def test_serve_runs_streamlit_on_the_app_with_the_settings_given() -> None:
    argv = serve.command(8600, "0.0.0.0", "/afweging/")
    assert argv[:4] == [sys.executable, "-m", "streamlit", "run"]
    script = Path(argv[4])
    assert script.name == "app.py" and "st.App(" in script.read_text(encoding="utf-8")
    assert "--server.port=8600" in argv and "--server.address=0.0.0.0" in argv
    assert "--server.baseUrlPath=afweging" in argv
    assert "--browser.gatherUsageStats=false" in argv
    assert not any(a.startswith("--server.baseUrlPath") for a in serve.command(8600, "::1"))


def test_the_page_names_a_missing_content_folder_in_dutch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    (tmp_path / "scenarios").mkdir()
    monkeypatch.setenv(content.ENV, str(tmp_path))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    shown = " ".join(str(e.value) for e in at.main if hasattr(e, "value"))
    assert "dit ligt niet aan u" in shown.lower()
    assert f"{tmp_path / 'criteria'}: de inhoudsmap heeft geen map criteria/" in shown
    assert "AFWEGING_CONTENT_DIR" in shown


def test_the_server_starts_and_logs_what_to_fix(tmp_path: Path) -> None:
    """A wrong database URL and an empty content folder: the server still starts, and its
    log says plainly what to fix, without the password."""
    import urllib.request

    from deploy.processes import streamlit_server

    env = {
        content.ENV: str(tmp_path / "leeg"),
        "AFWEGING_DATABASE_URL": "postgresql+psycopg://afweging:geheim@127.0.0.1:9/afweging",
    }
    with (
        streamlit_server(tmp_path / "data", env=env) as (base, _proc),
        urllib.request.urlopen(f"{base}/deelnemen", timeout=30) as page,
    ):
        assert page.status == 200  # the phones' code form needs neither
    log = (tmp_path / "data" / "streamlit.log").read_text()
    assert "workshop database postgresql+psycopg://afweging:***@127.0.0.1:9/afweging" in log
    assert "Connection refused" in log
    assert f"content folder {tmp_path / 'leeg'} lacks criteria/, scenarios/, seeds/" in log
    assert "geheim" not in log and "Traceback" not in log
