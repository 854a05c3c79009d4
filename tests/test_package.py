"""The package as a council's IT department installs it (docs/deploy.md, steps 1 to 6).

A wheel is built from the checkout (``python -m build --wheel``) and installed into a
fresh virtual environment outside the checkout with the lock file as constraints,
exactly as the guide says; then, from another directory, the ``afweging`` command
validates and ranks the bundled content, starts a council's own content folder, and
serves the app on a throwaway PostgreSQL server set up with the guide's SQL and
settings. The guide's systemd unit is checked with ``systemd-analyze verify`` and its
``ExecStart`` line run; its HAProxy configuration is checked with ``haproxy -c``.
Nothing here imports the checkout: every command runs the installed copy.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import urllib.request
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "deploy.md"
UNIT = ROOT / "deploy" / "afweging@.service"
ENV_FILE = ROOT / "deploy" / "afweging.env"


def run(argv: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600):
    done = subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{' '.join(argv)}\n{done.stdout}\n{done.stderr}"
    return done


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that points at the checkout or its venv."""
    drop = {"PYTHONPATH", "VIRTUAL_ENV", "AFWEGING_DATABASE_URL", "AFWEGING_CONTENT_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(extra)
    return env


def guide_blocks(language: str) -> list[str]:
    """The fenced code blocks of the guide in ``language`` (sh, haproxy)."""
    return re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)


def guide_line(starts: str) -> str:
    """The one shell line of the guide that starts with ``starts``."""
    lines = [
        line
        for block in guide_blocks("sh")
        for line in block.splitlines()
        if line.startswith(starts)
    ]
    assert len(lines) == 1, f"expected one guide line starting {starts!r}, found {lines}"
    return lines[0]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # The guide's build command, into a folder of the test's own.
    assert "python -m build --wheel" in GUIDE.read_text(encoding="utf-8")
    run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out)], cwd=ROOT)
    (found,) = out.glob("afweging-*-py3-none-any.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv outside the checkout with the wheel installed as the guide says."""
    prefix = tmp_path_factory.mktemp("opt") / "afweging"
    venv.create(prefix, with_pip=True)
    line = guide_line('sudo /opt/afweging/bin/pip install -c requirements.txt "afweging-0.1.0')
    assert '"afweging-0.1.0-py3-none-any.whl[postgres]"' in line
    assert wheel.name == "afweging-0.1.0-py3-none-any.whl"
    run(
        [str(prefix / "bin" / "pip"), "install", "--quiet", "-c", str(ROOT / "requirements.txt"),
         f"{wheel}[postgres]"],
        cwd=wheel.parent, env=clean_env(),
    )  # fmt: skip
    return prefix


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A working directory that is neither the checkout nor inside it."""
    assert ROOT not in tmp_path.parents
    return tmp_path


def test_the_wheel_holds_the_packages_the_content_and_the_app(wheel: Path) -> None:
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "afweging/cli.py",
        "afweging/content/criteria/kern.yaml",
        "afweging/content/scenarios/sra.yaml",
        "afweging/content/seeds/parts.yaml",
        "afweging/content/schema/scenario.schema.json",
        "afweging_ui/entry/app.py",
        "afweging_ui/entry/dashboard.py",
        "afweging_ui/entry/.streamlit/config.toml",
        "afweging_ui/workshop/phone/templates/weigh.html.j2",
        "afweging/translations.yaml",
        "afweging_ui/assets/chart.js",
        "afweging_ui/assets/plotly-basic-4.1.1.min.js",
        "afweging_ui/assets/LICENSE-plotly.js",
    ):
        assert expected in names, expected
    assert not any(n.startswith(("tests/", "bench/", "deploy/", "ui/")) for n in names)


def test_validate_and_rank_from_another_directory(installed: Path, elsewhere: Path) -> None:
    afweging = str(installed / "bin" / "afweging")
    ok = run([afweging, "validate"], cwd=elsewhere, env=clean_env())
    assert ok.stdout.startswith("ok: 2 criteria set(s), 2 case(s)")
    line = guide_line("/opt/afweging/bin/afweging rank")
    argv = [afweging, *line.split()[1:], "--format", "json"]
    ranked = json.loads(run(argv, cwd=elsewhere, env=clean_env()).stdout)
    assert ranked["case"] == "sra" and ranked["criteria_set"] == "kern"
    assert ranked["weights"]["legitimiteit"] == pytest.approx(0.5)
    # The installed copy reads the same content as the checkout: same data version.
    checkout = subprocess.run(
        [sys.executable, "-m", "afweging", *line.split()[1:], "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert ranked == json.loads(checkout.stdout)
    helped = run([afweging, "--help"], cwd=elsewhere, env=clean_env()).stdout
    for command in ("validate", "rank", "robustness", "table", "review", "schema", "serve"):
        assert command in helped


def test_the_app_reads_its_settings_wherever_it_is_started(installed: Path, elsewhere: Path):
    """Streamlit reads the config.toml beside the app script (the wheel's copy of the
    checkout's .streamlit/config.toml), so the public-server settings hold from any cwd."""
    probe = (
        "import sys\n"
        "from afweging.serve import app_script\n"
        "from streamlit import config\n"
        "config._main_script_path = str(app_script())\n"
        "config.get_config_options(force_reparse=True)\n"
        "print(app_script())\n"
        "for key in sys.argv[1:]:\n"
        "    print(key, config.get_option(key))\n"
    )
    keys = ["server.enableXsrfProtection", "server.maxUploadSize", "browser.gatherUsageStats",
            "client.showErrorDetails", "theme.primaryColor", "runner.postScriptGC"]  # fmt: skip
    done = run([str(installed / "bin" / "python"), "-c", probe, *keys], cwd=elsewhere,
               env=clean_env())  # fmt: skip
    lines = done.stdout.splitlines()
    assert lines[0].startswith(str(installed)) and lines[0].endswith("afweging_ui/entry/app.py")
    assert lines[1:] == [
        "server.enableXsrfProtection True", "server.maxUploadSize 20",
        "browser.gatherUsageStats False", "client.showErrorDetails none",
        "theme.primaryColor #00598B", "runner.postScriptGC False",
    ]  # fmt: skip


def test_a_councils_own_content_folder(installed: Path, elsewhere: Path) -> None:
    afweging = str(installed / "bin" / "afweging")
    own = elsewhere / "content"
    run([afweging, "init", str(own)], cwd=elsewhere, env=clean_env())
    env = clean_env(AFWEGING_CONTENT_DIR=str(own))
    case = own / "scenarios" / "sra.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace("id: sra\n", "id: raad\n", 1), encoding="utf-8"
    )
    case.rename(own / "scenarios" / "raad.yaml")
    assert "ok: 2 criteria set(s)" in run([afweging, "validate"], cwd=elsewhere, env=env).stdout
    ranked = run(
        [afweging, "rank", "--scenarios", "raad", "--criteria", "kern", "--format", "json"],
        cwd=elsewhere, env=env,
    )  # fmt: skip
    assert json.loads(ranked.stdout)["case"] == "raad"
    broken = subprocess.run(
        [afweging, "validate"], cwd=elsewhere, capture_output=True, text=True, check=False,
        env=clean_env(AFWEGING_CONTENT_DIR=str(elsewhere / "nothing")),
    )  # fmt: skip
    assert broken.returncode == 1 and "no criteria/, scenarios/, seeds/" in broken.stderr


@pytest.fixture(scope="module")
def postgres_admin() -> Iterator:
    from deploy.postgres import PostgresUnavailable, postgres_server

    try:
        with postgres_server() as admin:
            yield admin
    except PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL is needed for this test: {exc}")


def psql_argv(admin) -> list[str]:
    from deploy.postgres import _as_server_user, find_bindir

    host, port = admin.query["host"], admin.query["port"]
    return [*_as_server_user(), str(find_bindir() / "psql"), "-h", host, "-p", port, "-U",
            "postgres", "-v", "ON_ERROR_STOP=1"]  # fmt: skip


def test_serve_on_postgresql_as_the_guide_sets_it_up(
    installed: Path, elsewhere: Path, postgres_admin
) -> None:
    from deploy.processes import free_port

    # Step 3: the guide's SQL, as the postgres user would run it.
    line = guide_line('sudo -u postgres psql -c "CREATE ROLE')
    statements = re.findall(r'-c "([^"]+)"', line)
    assert [s.split()[0:2] for s in statements] == [["CREATE", "ROLE"], ["CREATE", "DATABASE"]]
    argv = psql_argv(postgres_admin)
    for statement in statements:
        argv += ["-c", statement]
    run(argv, cwd=Path("/"))
    # Step 4: the settings file, with the throwaway server's socket for "localhost".
    settings = dict(
        line.split("=", 1)
        for line in ENV_FILE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    host, pg_port = postgres_admin.query["host"], postgres_admin.query["port"]
    settings["AFWEGING_DATABASE_URL"] = settings["AFWEGING_DATABASE_URL"].replace(
        "@localhost/afweging", f"@/afweging?host={host}&port={pg_port}"
    )
    assert settings["AFWEGING_DATABASE_URL"].startswith("postgresql+psycopg://afweging:change-me@")
    # Step 5: the unit's ExecStart line, with this venv for /opt/afweging.
    exec_start = next(
        line.removeprefix("ExecStart=")
        for line in UNIT.read_text(encoding="utf-8").splitlines()
        if line.startswith("ExecStart=")
    )
    port = free_port()
    argv = exec_start.replace("/opt/afweging", str(installed)).replace("%i", str(port)).split()
    env = clean_env(**settings, AFWEGING_DATA_DIR=str(elsewhere / "state"))
    log = (elsewhere / "serve.log").open("wb")
    server = subprocess.Popen(argv, cwd=elsewhere, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        from deploy.processes import wait_healthy

        wait_healthy(f"{base}/_stcore/health", server, elsewhere, timeout=90)
        with urllib.request.urlopen(f"{base}/deelnemen", timeout=30) as page:
            assert "Afweging" in page.read().decode()
        with urllib.request.urlopen(f"{base}/", timeout=30) as page:
            assert '<html lang="nl"' in page.read().decode()
        # The charts' plotly.js, both bundles, from the installed copy.
        for name in ("plotly-basic-4.1.1.min.js", "plotly-full-4.1.1.min.js"):
            with urllib.request.urlopen(f"{base}/static/afweging/{name}", timeout=30) as js:
                assert js.status == 200 and b"plotly.js" in js.read(400), name
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    text = (elsewhere / "serve.log").read_text(errors="replace")
    assert "not available" not in text and "Traceback" not in text, text[-3000:]
    # The app made its tables in the council's database, as the role of step 3.
    import sqlalchemy as sa

    engine = sa.create_engine(settings["AFWEGING_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            owner = conn.execute(
                sa.text("SELECT tableowner FROM pg_tables WHERE tablename = 'sessions'")
            ).scalar()
    finally:
        engine.dispose()
    assert {"sessions", "participants", "submissions", "schema_migrations"} <= tables
    assert owner == "afweging"


def test_the_systemd_unit_verifies(installed: Path, tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not on this machine")
    unit = tmp_path / "afweging@.service"
    unit.write_text(UNIT.read_text(encoding="utf-8").replace("/opt/afweging", str(installed)))
    done = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, check=False
    )
    problems = [
        line for line in done.stderr.splitlines()
        if "afweging" in line and "Failed to" not in line and "User" not in line
    ]  # fmt: skip
    assert done.returncode == 0 and not problems, done.stderr


def test_the_guides_haproxy_configuration_is_valid(tmp_path: Path) -> None:
    from deploy.cluster import haproxy_binary

    (config,) = guide_blocks("haproxy")
    pem = tmp_path / "afweging.pem"
    key, cert = tmp_path / "k.pem", tmp_path / "c.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=afweging.example", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    pem.write_bytes(cert.read_bytes() + key.read_bytes())
    path = tmp_path / "haproxy.cfg"
    path.write_text(config.replace("/etc/haproxy/certs/afweging.pem", str(pem)))
    done = subprocess.run(
        [haproxy_binary(), "-c", "-f", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # It is the template that make serve and the cluster test use, filled in for two
    # processes with TLS; only the log target (syslog, not stdout) and the port-80
    # redirect are the server's own.
    from deploy.cluster import haproxy_config

    filled = haproxy_config(
        ":443",
        {"app1": "127.0.0.1:8501", "app2": "127.0.0.1:8502"},
        certificate=Path("/etc/haproxy/certs/afweging.pem"),
    )
    guide = {line.strip() for line in config.splitlines()}
    for line in filled.splitlines():
        if line.strip() and not line.startswith("#") and "log stdout" not in line:
            assert line.strip() in guide, line


def test_dependencies_are_declared_as_ranges_and_pinned_in_the_lock() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [Requirement(r) for r in project["dependencies"]]
    declared += [Requirement(r) for r in project["optional-dependencies"]["postgres"]]
    pins = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", line
            pins[req.name.lower()] = spec.version
    # An extra such as psycopg[binary] is pinned as the package psycopg-binary.
    extras = {f"{r.name}-{e}".lower() for r in declared for e in r.extras}
    assert {r.name.lower() for r in declared} | extras == set(pins)
    for req in declared:
        assert req.specifier.contains(pins[req.name.lower()]), f"{req} does not allow the lock"
        assert any(s.operator == "<" for s in req.specifier), f"{req}: give an upper bound"
    from afweging import __version__

    assert project["version"] == __version__
    assert project["scripts"]["afweging"] == "afweging.cli:main"
